import * as assert from "assert";
import { messages } from "../../policy/lib/resources";
import {
  ALLOWED_PRINCIPAL,
  checkEndpointService,
  ENDPOINT_SERVICE,
  endpointServiceRestricted,
} from "../../policy/policies/endpoint-service-restricted";
import { runResourcePolicy, UNKNOWN_FROM_ENGINE } from "./harness";

const check = (type: string, name: string, props: Record<string, unknown>) =>
  messages(checkEndpointService({ type, name, props }));

describe("policy endpoint-service-restricted", () => {
  it("accepts a service that requires acceptance, and named principals", () => {
    assert.deepStrictEqual(
      check(ENDPOINT_SERVICE, "svc", {
        acceptanceRequired: true,
        networkLoadBalancerArns: ["arn:nlb"],
        allowedPrincipals: ["arn:aws:iam::210987654321:root"],
      }),
      [],
    );
    assert.deepStrictEqual(
      check(ALLOWED_PRINCIPAL, "self", {
        vpcEndpointServiceId: "vpce-svc-1",
        principalArn: "arn:aws:iam::123456789012:root",
      }),
      [],
    );
  });

  it("requires acceptance", () => {
    assert.deepStrictEqual(check(ENDPOINT_SERVICE, "svc", { acceptanceRequired: false }), [
      `${ENDPOINT_SERVICE} "svc": acceptanceRequired is false; every endpoint connection must be accepted`,
    ]);
    assert.deepStrictEqual(check(ENDPOINT_SERVICE, "svc", {}), [
      `${ENDPOINT_SERVICE} "svc": acceptanceRequired is unset; every endpoint connection must be accepted`,
    ]);
  });

  it("refuses wildcard principals, inline or as separate permissions", () => {
    assert.deepStrictEqual(
      check(ENDPOINT_SERVICE, "svc", {
        acceptanceRequired: true,
        allowedPrincipals: ["arn:aws:iam::1:root", "*"],
      }),
      [`${ENDPOINT_SERVICE} "svc": allowedPrincipals contains "*"; allow named principals only`],
    );
    assert.deepStrictEqual(check(ALLOWED_PRINCIPAL, "everyone", { principalArn: "*" }), [
      `${ALLOWED_PRINCIPAL} "everyone": principalArn is "*"; allow named principals only`,
    ]);
    assert.deepStrictEqual(check(ALLOWED_PRINCIPAL, "any-account", { principalArn: "arn:aws:iam::*:root" }), [
      `${ALLOWED_PRINCIPAL} "any-account": principalArn is "arn:aws:iam::*:root"; allow named principals only`,
    ]);
  });

  describe("as a resource policy", () => {
    it("accepts a principal that is unknown during a preview (the deploying account)", async () => {
      const permission = {
        type: ALLOWED_PRINCIPAL,
        name: "self",
        props: { principalArn: UNKNOWN_FROM_ENGINE },
      };
      assert.deepStrictEqual(await runResourcePolicy(endpointServiceRestricted, permission), []);
    });

    it("reports a service that accepts connections without review", async () => {
      const service = { type: ENDPOINT_SERVICE, name: "svc", props: { acceptanceRequired: false } };
      assert.deepStrictEqual(await runResourcePolicy(endpointServiceRestricted, service), [
        `${ENDPOINT_SERVICE} "svc": acceptanceRequired is false; every endpoint connection must be accepted`,
      ]);
    });
  });
});
