import * as assert from "assert";
import { planGateway } from "../../components/gateway/plan";
import { ControllerRule, controllerRules } from "../../components/jenkins/security-group-rules";
import { planUi } from "../../components/jenkins/ui";

const VPC = "10.20.0.0/16";
const internalUi = planUi({ internetFacing: false, allowedCidrs: [], vpcCidrBlock: VPC }).ingress;
const gatewayPorts = (transport: "websocket" | "tcp") => planGateway(transport).targets.map((t) => t.port);

/** The rules every controller has, after the load balancer's ingress. */
const CORE: ControllerRule[] = [
  {
    name: "alb-out-controller",
    tag: "alb-out-controller",
    group: "alb",
    direction: "egress",
    protocol: "tcp",
    port: 8080,
    peer: { group: "controller" },
    description: "To the Jenkins controller",
  },
  {
    name: "controller-in-alb",
    tag: "controller-in-alb",
    group: "controller",
    direction: "ingress",
    protocol: "tcp",
    port: 8080,
    peer: { group: "alb" },
    description: "Jenkins UI from its load balancer",
  },
  {
    name: "controller-out-https",
    tag: "controller-out-https",
    group: "controller",
    direction: "egress",
    protocol: "tcp",
    port: 443,
    peer: { cidr: "0.0.0.0/0" },
    description: "HTTPS out: image registry, update center and plugins, AWS and Kubernetes APIs",
  },
  {
    name: "controller-out-efs",
    tag: "controller-out-efs",
    group: "controller",
    direction: "egress",
    protocol: "tcp",
    port: 2049,
    peer: { group: "efs" },
    description: "NFS to JENKINS_HOME",
  },
  {
    name: "efs-in-controller",
    tag: "efs-in-controller",
    group: "efs",
    direction: "ingress",
    protocol: "tcp",
    port: 2049,
    peer: { group: "controller" },
    description: "NFS from the Jenkins controller only",
  },
];

const gatewayRules = (port: number): ControllerRule[] => [
  {
    name: `controller-in-gateway-${port}`,
    tag: `controller-in-gateway-${port}`,
    group: "controller",
    direction: "ingress",
    protocol: "tcp",
    port,
    peer: { group: "gateway" },
    description: `Agents through the PrivateLink gateway on ${port}`,
  },
  {
    name: `gateway-out-${port}`,
    tag: `gateway-out-${port}`,
    group: "gateway",
    direction: "egress",
    protocol: "tcp",
    port,
    peer: { group: "controller" },
    description: `Gateway to the Jenkins controller on ${port}`,
  },
];

describe("controller security group rules", () => {
  it("internal UI without a gateway: HTTP 80 from the VPC, the load balancer to 8080, Jenkins to NFS and HTTPS", () => {
    assert.deepStrictEqual(controllerRules({ uiIngress: internalUi, gatewayPorts: [] }), [
      {
        name: "alb-in-80-10-20-0-0-16",
        tag: "alb-in-80",
        group: "alb",
        direction: "ingress",
        protocol: "tcp",
        port: 80,
        peer: { cidr: VPC },
        description: "Jenkins UI over HTTP from 10.20.0.0/16",
      },
      ...CORE,
    ]);
  });

  it("public UI behind the identity provider: HTTPS 443 from anywhere, and no port 80 from anywhere", () => {
    const uiIngress = planUi({
      internetFacing: true,
      certificateArn: "arn:cert",
      authenticate: true,
      allowedCidrs: [],
      vpcCidrBlock: VPC,
    }).ingress;
    assert.deepStrictEqual(controllerRules({ uiIngress, gatewayPorts: [] }), [
      {
        name: "alb-in-443-0-0-0-0-0",
        tag: "alb-in-443",
        group: "alb",
        direction: "ingress",
        protocol: "tcp",
        port: 443,
        peer: { cidr: "0.0.0.0/0" },
        description: "Jenkins UI over HTTPS from 0.0.0.0/0",
      },
      ...CORE,
    ]);
  });

  it("HTTPS UI with allowed CIDRs: 443 and the redirect on 80 per CIDR, tagged by port", () => {
    const uiIngress = planUi({
      internetFacing: false,
      certificateArn: "arn:cert",
      allowedCidrs: ["192.168.4.0/24", "172.16.0.0/12"],
      vpcCidrBlock: VPC,
    }).ingress;
    const alb = controllerRules({ uiIngress, gatewayPorts: [] }).slice(0, 4);
    assert.deepStrictEqual(
      alb.map((r) => [r.name, r.tag, r.port, r.peer]),
      [
        ["alb-in-443-192-168-4-0-24", "alb-in-443", 443, { cidr: "192.168.4.0/24" }],
        ["alb-in-443-172-16-0-0-12", "alb-in-443", 443, { cidr: "172.16.0.0/12" }],
        ["alb-in-80-192-168-4-0-24", "alb-in-80", 80, { cidr: "192.168.4.0/24" }],
        ["alb-in-80-172-16-0-0-12", "alb-in-80", 80, { cidr: "172.16.0.0/12" }],
      ],
    );
  });

  it("websocket gateway: the gateway's group reaches 8080 only", () => {
    assert.deepStrictEqual(gatewayPorts("websocket"), [8080]);
    assert.deepStrictEqual(
      controllerRules({ uiIngress: internalUi, gatewayPorts: gatewayPorts("websocket") }),
      [...controllerRules({ uiIngress: internalUi, gatewayPorts: [] }), ...gatewayRules(8080)],
    );
  });

  it("tcp gateway: the gateway's group reaches 8080 and 50000, each in and out", () => {
    assert.deepStrictEqual(gatewayPorts("tcp"), [8080, 50000]);
    const rules = controllerRules({ uiIngress: internalUi, gatewayPorts: gatewayPorts("tcp") });
    assert.deepStrictEqual(rules.slice(6), [...gatewayRules(8080), ...gatewayRules(50000)]);
    assert.strictEqual(rules.length, 10);
  });

  it("admits nothing into the task or the file system from an address block", () => {
    const rules = controllerRules({ uiIngress: internalUi, gatewayPorts: gatewayPorts("tcp") });
    const inbound = rules.filter((r) => r.direction === "ingress" && r.group !== "alb");
    assert.deepStrictEqual(
      inbound.map((r) => [r.group, r.port, r.peer]),
      [
        ["controller", 8080, { group: "alb" }],
        ["efs", 2049, { group: "controller" }],
        ["controller", 8080, { group: "gateway" }],
        ["controller", 50000, { group: "gateway" }],
      ],
    );
  });

  it("names every rule once", () => {
    const rules = controllerRules({ uiIngress: internalUi, gatewayPorts: gatewayPorts("tcp") });
    assert.strictEqual(new Set(rules.map((r) => r.name)).size, rules.length);
  });
});
