/** Where Pulumi runs from (`agentCluster.apiAccess`), as the stack config states it. */
import * as assert from "assert";
import { decodeConfig, parseStackConfig } from "../../config";

const NS = "jenkins-agent-bridge";

describe("stack config: where Pulumi runs from (agentCluster.apiAccess)", () => {
  const KEY = `${NS}:agentCluster`;
  const lines = (cluster: Record<string, unknown> | undefined, extra: Record<string, string> = {}) => {
    const values: Record<string, string> = { "aws:region": "us-east-1", ...extra };
    if (cluster) values[KEY] = JSON.stringify(cluster);
    const result = parseStackConfig(decodeConfig(values));
    return result.ok ? [] : result.problems;
  };

  it("refuses a stack that does not say, naming the key and both choices", () => {
    const missing = `${KEY}.apiAccess.from: got nothing; expected where pulumi up runs from: cidrs (with agentCluster.apiAccess.cidrs naming the public blocks of the machines that run it) or masterVpc (a runner inside the master VPC, through its NAT addresses); without it nothing that runs Pulumi can reach the cluster's API`;
    assert.deepStrictEqual(lines(undefined), [missing]);
    assert.deepStrictEqual(lines({ apiAccess: { cidrs: ["192.0.2.0/24"] } }), [missing]);
  });

  it("refuses cidrs without a block, and blocks with masterVpc", () => {
    assert.deepStrictEqual(lines({ apiAccess: { from: "cidrs" } }), [
      `${KEY}.apiAccess.cidrs: got []; expected at least one public block that pulumi up runs from, with apiAccess.from cidrs (or apiAccess.from masterVpc for a runner inside the master VPC)`,
    ]);
    assert.deepStrictEqual(lines({ apiAccess: { from: "masterVpc", cidrs: ["192.0.2.0/24"] } }), [
      `${KEY}.apiAccess.cidrs: got ["192.0.2.0/24"]; expected no blocks with apiAccess.from masterVpc (or apiAccess.from cidrs)`,
    ]);
  });

  it("refuses an unknown origin and a block open to the world", () => {
    assert.deepStrictEqual(lines({ apiAccess: { from: "laptop" } }), [
      `${KEY}.apiAccess.from: got "laptop"; expected one of cidrs, masterVpc`,
    ]);
    assert.deepStrictEqual(lines({ apiAccess: { from: "cidrs", cidrs: ["0.0.0.0/0"] } }), [
      `${KEY}.apiAccess.cidrs[0]: got "0.0.0.0/0"; expected an IPv4 CIDR block narrower than the whole internet (the API must not be open to the world)`,
    ]);
  });

  it("keeps the blocks and the master network's NAT addresses within the 40 EKS takes", () => {
    const cidrs = Array.from({ length: 35 }, (_, i) => `192.0.2.${i}/32`);
    assert.deepStrictEqual(
      lines(
        { apiAccess: { from: "cidrs", cidrs } },
        { [`${NS}:masterNetwork`]: JSON.stringify({ azCount: 6, natStrategy: "perAz" }) },
      ).map((l) => l.replace(/got .*; expected/, "got ...; expected")),
      [
        `${KEY}.apiAccess.cidrs: got ...; expected at most 34 blocks: EKS takes 40 public access blocks, 6 of them the master network's NAT addresses`,
      ],
    );
    assert.deepStrictEqual(
      lines(
        { apiAccess: { from: "cidrs", cidrs: cidrs.slice(0, 34) } },
        {
          [`${NS}:masterNetwork`]: JSON.stringify({ azCount: 6, natStrategy: "perAz" }),
          [`${NS}:agentNetwork`]: JSON.stringify({ azCount: 2 }),
        },
      ),
      [],
    );
  });

  it("accepts both decisions", () => {
    assert.deepStrictEqual(lines({ apiAccess: { from: "masterVpc" } }), []);
    assert.deepStrictEqual(
      lines({ apiAccess: { from: "cidrs", cidrs: ["192.0.2.0/24", "198.51.100.7/32"] } }),
      [],
    );
  });
});
