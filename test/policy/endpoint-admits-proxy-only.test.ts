import * as assert from "assert";
import { messages, Resource } from "../../policy/lib/resources";
import {
  checkEndpointAdmission,
  endpointAdmitsProxyOnly,
} from "../../policy/policies/endpoint-admits-proxy-only";
import { TransportDecision } from "../../policy/policies/no-agent-port-with-websocket";
import { runStackPolicy, urnOf } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>, id?: string): Resource => ({
  type,
  name,
  props,
  urn: urnOf(type, name),
  ...(id ? { id } : {}),
});
const WEBSOCKET: TransportDecision = { transport: "websocket", source: "policy config" };
const TAIL = "with transport websocket (policy config) the endpoint admits only the proxy's node group";

/** An endpoint, its group, the EKS cluster (with its cluster group) and one ingress rule. */
function stack(rule: Record<string, unknown>): Resource[] {
  return [
    r(
      "aws:eks/cluster:Cluster",
      "agents",
      { vpcConfig: { clusterSecurityGroupId: "sg-cluster" } },
      "agents-dev",
    ),
    r("aws:ec2/securityGroup:SecurityGroup", "gateway-endpoint", {}, "sg-endpoint"),
    r("aws:ec2/securityGroup:SecurityGroup", "agents-system", {}, "sg-system"),
    r("aws:ec2/vpcEndpoint:VpcEndpoint", "gateway-endpoint", {
      vpcEndpointType: "Interface",
      securityGroupIds: ["sg-endpoint"],
    }),
    r("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "gateway-endpoint-in-443", {
      securityGroupId: "sg-endpoint",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      ...rule,
    }),
  ];
}

describe("policy endpoint-admits-proxy-only", () => {
  it("passes the system nodes' group, refuses the cluster group and any block in websocket mode, ignores tcp", () => {
    assert.deepStrictEqual(
      messages(checkEndpointAdmission(stack({ referencedSecurityGroupId: "sg-system" }), WEBSOCKET)),
      [],
    );
    const rule = 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule "gateway-endpoint-in-443"';
    assert.deepStrictEqual(
      messages(checkEndpointAdmission(stack({ referencedSecurityGroupId: "sg-cluster" }), WEBSOCKET)),
      [`${rule}: admits the cluster security group sg-cluster of agents; ${TAIL}`],
    );
    assert.deepStrictEqual(messages(checkEndpointAdmission(stack({ cidrIpv4: "10.20.0.0/16" }), WEBSOCKET)), [
      `${rule}: admits cidrIpv4 10.20.0.0/16; ${TAIL}`,
    ]);
    assert.deepStrictEqual(
      messages(
        checkEndpointAdmission(stack({ cidrIpv4: "10.20.0.0/16" }), {
          transport: "tcp",
          source: "policy config",
        }),
      ),
      [],
    );
  });

  it("refuses a rule computed from the cluster during a preview, and runs as a stack policy", async () => {
    const resources = stack({ referencedSecurityGroupId: "[unknown]" }).map((x) =>
      x.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
        ? {
            ...x,
            propertyDependencies: { referencedSecurityGroupId: [urnOf("aws:eks/cluster:Cluster", "agents")] },
          }
        : x,
    );
    assert.strictEqual(checkEndpointAdmission(resources, WEBSOCKET).length, 1);
    const reported = await runStackPolicy(
      endpointAdmitsProxyOnly,
      stack({ cidrIpv6: "::/0" }).map((x) => ({
        type: x.type,
        name: x.name,
        urn: x.urn,
        props: { ...x.props, ...(x.id ? { id: x.id } : {}) },
      })),
      { transport: "websocket" },
    );
    assert.deepStrictEqual(
      reported.map((v) => v.message),
      [
        `aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule "gateway-endpoint-in-443": admits cidrIpv6 ::/0; ${TAIL}`,
      ],
    );
  });
});
