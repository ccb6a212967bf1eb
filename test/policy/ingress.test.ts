import * as assert from "assert";
import { ingressEntries, ingressGroup } from "../../policy/lib/ingress";
import { Resource } from "../../policy/lib/resources";
import { TYPES } from "../../policy/lib/types";
import { TestResource, urnOf } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>): Resource & TestResource => ({
  type,
  name,
  urn: urnOf(type, name),
  props,
});

describe("policy lib ingress", () => {
  const group = r(TYPES.securityGroup, "web", {
    id: "sg-web",
    ingress: [
      { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"], ipv6CidrBlocks: ["::/0"] },
      { fromPort: 22, toPort: 22 },
    ],
  });
  const rule = r(TYPES.securityGroupRule, "web-in", {
    type: "ingress",
    securityGroupId: "sg-web",
    protocol: "udp",
    cidrBlocks: ["192.0.2.0/24"],
  });
  const egressRule = r(TYPES.securityGroupRule, "web-out", { type: "egress", securityGroupId: "sg-web" });
  const ingressRule = r(TYPES.ingressRule, "web-in2", {
    securityGroupId: "sg-other",
    ipProtocol: "tcp",
    cidrIpv4: "198.51.100.0/24",
    cidrIpv6: "2001:db8::/32",
  });

  it("reads the three shapes, with their blocks, protocol (all when unset) and group", () => {
    const rows = [group, rule, egressRule, ingressRule]
      .flatMap(ingressEntries)
      .map((e) => [e.resource.name, e.where, e.ipv4, e.ipv6, e.protocol, e.group]);
    assert.deepStrictEqual(rows, [
      ["web", " (ingress[0])", ["10.0.0.0/8"], ["::/0"], "tcp", "self"],
      ["web", " (ingress[1])", [], [], "-1", "self"],
      ["web-in", "", ["192.0.2.0/24"], [], "udp", "securityGroupId"],
      ["web-in2", "", ["198.51.100.0/24"], ["2001:db8::/32"], "tcp", "securityGroupId"],
    ]);
  });

  it("finds the group of a rule only among the stack's security groups", () => {
    const [inline] = ingressEntries(group);
    const [ruleEntry] = ingressEntries(rule);
    const [other] = ingressEntries(ingressRule);
    assert.strictEqual(ingressGroup(inline, []), group);
    assert.strictEqual(ingressGroup(ruleEntry, [rule, group]), group);
    assert.strictEqual(ingressGroup(other, [group]), undefined);
  });
});
