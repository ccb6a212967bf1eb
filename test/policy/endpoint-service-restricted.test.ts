import * as assert from "assert";
import { messages } from "../../policy/lib/resources";
import { TYPES } from "../../policy/lib/types";
import {
  checkEndpointService,
  endpointServiceRestricted,
} from "../../policy/policies/endpoint-service-restricted";
import { runResourcePolicy, UNKNOWN_FROM_ENGINE } from "./harness";

const check = (type: string, name: string, props: Record<string, unknown>) =>
  messages(checkEndpointService({ type, name, props }));

describe("policy endpoint-service-restricted", () => {
  it("accepts a service that requires acceptance, and named principals", () => {
    assert.deepStrictEqual(
      check(TYPES.endpointService, "svc", {
        acceptanceRequired: true,
        networkLoadBalancerArns: ["arn:nlb"],
        allowedPrincipals: ["arn:aws:iam::210987654321:root"],
      }),
      [],
    );
    assert.deepStrictEqual(
      check(TYPES.allowedPrincipal, "self", {
        vpcEndpointServiceId: "vpce-svc-1",
        principalArn: "arn:aws:iam::123456789012:root",
      }),
      [],
    );
  });

  it("requires acceptance", () => {
    assert.deepStrictEqual(check(TYPES.endpointService, "svc", { acceptanceRequired: false }), [
      `${TYPES.endpointService} "svc": acceptanceRequired is false; every endpoint connection must be accepted`,
    ]);
    assert.deepStrictEqual(check(TYPES.endpointService, "svc", {}), [
      `${TYPES.endpointService} "svc": acceptanceRequired is unset; every endpoint connection must be accepted`,
    ]);
  });

  it("refuses wildcard principals, inline or as separate permissions", () => {
    assert.deepStrictEqual(
      check(TYPES.endpointService, "svc", {
        acceptanceRequired: true,
        allowedPrincipals: ["arn:aws:iam::1:root", "*"],
      }),
      [`${TYPES.endpointService} "svc": allowedPrincipals contains "*"; allow named principals only`],
    );
    assert.deepStrictEqual(check(TYPES.allowedPrincipal, "everyone", { principalArn: "*" }), [
      `${TYPES.allowedPrincipal} "everyone": principalArn is "*"; allow named principals only`,
    ]);
    assert.deepStrictEqual(
      check(TYPES.allowedPrincipal, "any-account", { principalArn: "arn:aws:iam::*:root" }),
      [
        `${TYPES.allowedPrincipal} "any-account": principalArn is "arn:aws:iam::*:root"; allow named principals only`,
      ],
    );
  });

  describe("as a resource policy", () => {
    it("accepts a principal that is unknown during a preview (the deploying account)", async () => {
      const permission = {
        type: TYPES.allowedPrincipal,
        name: "self",
        props: { principalArn: UNKNOWN_FROM_ENGINE },
      };
      assert.deepStrictEqual(await runResourcePolicy(endpointServiceRestricted, permission), []);
    });

    it("reports a service that accepts connections without review", async () => {
      const service = { type: TYPES.endpointService, name: "svc", props: { acceptanceRequired: false } };
      assert.deepStrictEqual(await runResourcePolicy(endpointServiceRestricted, service), [
        `${TYPES.endpointService} "svc": acceptanceRequired is false; every endpoint connection must be accepted`,
      ]);
    });
  });
});
