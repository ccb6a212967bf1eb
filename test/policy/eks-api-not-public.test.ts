import * as assert from "assert";
import { messages } from "../../policy/lib/resources";
import { TYPES } from "../../policy/lib/types";
import { checkEksApi, eksApiNotPublic } from "../../policy/policies/eks-api-not-public";
import { runResourcePolicy, UNKNOWN_FROM_ENGINE } from "./harness";

const cluster = (vpcConfig: unknown) => ({ type: TYPES.eksCluster, name: "agents", props: { vpcConfig } });
const check = (vpcConfig: unknown) => messages(checkEksApi(cluster(vpcConfig)));
const C = `${TYPES.eksCluster} "agents"`;

describe("policy eks-api-not-public", () => {
  it("accepts a public endpoint limited to named blocks, and a private-only endpoint", () => {
    assert.deepStrictEqual(
      check({
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: ["198.51.100.7/32", "10.0.0.0/8"],
      }),
      [],
    );
    assert.deepStrictEqual(check({ endpointPrivateAccess: true, endpointPublicAccess: false }), []);
  });

  it("refuses the whole internet, over IPv4 or IPv6", () => {
    assert.deepStrictEqual(
      check({ endpointPublicAccess: true, publicAccessCidrs: ["198.51.100.7/32", "0.0.0.0/0", "::/0"] }),
      [
        `${C}: the public API endpoint is on and publicAccessCidrs contains "0.0.0.0/0"; the Kubernetes API must not be open to the whole internet`,
        `${C}: the public API endpoint is on and publicAccessCidrs contains "::/0"; the Kubernetes API must not be open to the whole internet`,
      ],
    );
  });

  it("refuses missing blocks, which AWS turns into 0.0.0.0/0, also when public access is left to its default", () => {
    const missing = (state: string, value: string) =>
      `${C}: the public API endpoint is ${state} and publicAccessCidrs is ${value}, which AWS treats as ["0.0.0.0/0"]; ` +
      `list the blocks allowed, or set endpointPublicAccess false`;
    assert.deepStrictEqual(check({ endpointPublicAccess: true }), [missing("on", "unset")]);
    assert.deepStrictEqual(check({ endpointPublicAccess: true, publicAccessCidrs: [] }), [
      missing("on", "[]"),
    ]);
    assert.deepStrictEqual(check({ subnetIds: ["subnet-1"] }), [missing("on by default", "unset")]);
    assert.deepStrictEqual(check(undefined), [missing("on by default", "unset")]);
  });

  describe("as a resource policy", () => {
    it("waits for blocks that are unknown during a preview (the NAT addresses of a new stack)", async () => {
      const c = cluster({ endpointPublicAccess: true, publicAccessCidrs: UNKNOWN_FROM_ENGINE });
      assert.deepStrictEqual(await runResourcePolicy(eksApiNotPublic, c), []);
    });

    it("judges the known entries of a partly unknown list", async () => {
      const c = cluster({
        endpointPublicAccess: true,
        publicAccessCidrs: [UNKNOWN_FROM_ENGINE, "0.0.0.0/0"],
      });
      assert.deepStrictEqual(await runResourcePolicy(eksApiNotPublic, c), [
        `${C}: the public API endpoint is on and publicAccessCidrs contains "0.0.0.0/0"; the Kubernetes API must not be open to the whole internet`,
      ]);
    });
  });
});
