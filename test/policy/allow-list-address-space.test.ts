import * as assert from "assert";
import { messages, Resource } from "../../policy/lib/resources";
import { TYPES } from "../../policy/lib/types";
import { allowListAddressSpace, checkAllowLists } from "../../policy/policies/allow-list-address-space";
import { runStackPolicy, TestResource, UNKNOWN_FROM_ENGINE, urnOf } from "./harness";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const r = (type: string, name: string, props: Record<string, unknown>): Resource & TestResource => ({
  type,
  name,
  urn: urnOf(type, name),
  props,
});
const WHOLE =
  "these blocks cover 3702258688 public IPv4 addresses (100% of the public internet); expected at most 16777216, the size of one /8";

/** The UI's security group with one rule resource per allowed block, as components/jenkins builds it. */
const ui = (...cidrs: string[]) => [
  r(SG, "ui-alb", { id: "sg-alb" }),
  ...cidrs.map((cidr, i) =>
    r(INGRESS, `ui-in-${i}`, { securityGroupId: "sg-alb", cidrIpv4: cidr, ipProtocol: "tcp" }),
  ),
];
const cluster = (publicAccessCidrs: unknown, endpointPublicAccess: unknown = true) =>
  r(TYPES.eksCluster, "agents", { vpcConfig: { endpointPublicAccess, publicAccessCidrs } });

describe("policy allow-list-address-space", () => {
  it("refuses a UI opened to both halves of the internet through two rules", () => {
    assert.deepStrictEqual(messages(checkAllowLists(ui("0.0.0.0/1", "128.0.0.0/1"))), [
      `${SG} "ui-alb": ingress from 0.0.0.0/1, 128.0.0.0/1: ${WHOLE}`,
    ]);
  });

  it("refuses a cluster API opened to both halves of the internet", () => {
    assert.deepStrictEqual(
      messages(checkAllowLists([cluster(["0.0.0.0/1", "128.0.0.0/1", "198.51.100.7/32"])])),
      [`${TYPES.eksCluster} "agents": publicAccessCidrs 0.0.0.0/1, 128.0.0.0/1, 198.51.100.7/32: ${WHOLE}`],
    );
    assert.deepStrictEqual(messages(checkAllowLists([cluster(["0.0.0.0/1"], false)])), []);
  });

  it("counts inline rules and rule resources of one group together", () => {
    const resources = [
      r(SG, "g", {
        id: "sg-1",
        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/2"] }],
      }),
      r(SG_RULE, "g-more", { type: "ingress", securityGroupId: "sg-1", cidrBlocks: ["64.0.0.0/2"] }),
    ];
    assert.strictEqual(checkAllowLists(resources).length, 1);
    assert.deepStrictEqual(checkAllowLists(resources.slice(1)).length, 1);
  });

  it("accepts named networks, private ranges and the literal world block (other rules own it)", () => {
    assert.deepStrictEqual(checkAllowLists([...ui("198.51.100.7/32", "10.0.0.0/8", "0.0.0.0/0")]), []);
    assert.deepStrictEqual(checkAllowLists([cluster(["203.0.113.0/24", UNKNOWN_FROM_ENGINE])]), []);
  });

  it("follows the pack's configured limit", async () => {
    const wide = ui("1.0.0.0/8", "2.0.0.0/8");
    assert.strictEqual((await runStackPolicy(allowListAddressSpace, wide)).length, 1);
    assert.deepStrictEqual(await runStackPolicy(allowListAddressSpace, wide, { maxPrefix: 7 }), []);
  });
});
