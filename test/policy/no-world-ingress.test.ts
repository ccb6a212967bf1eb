import * as assert from "assert";
import { messages, Resource } from "../../policy/lib/resources";
import { checkWorldIngress, noWorldIngress, portText } from "../../policy/policies/no-world-ingress";
import { runStackPolicy, TestResource, UNKNOWN_FROM_ENGINE, urnOf } from "./harness";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

const r = (type: string, name: string, props: Record<string, unknown>): Resource => ({
  type,
  name,
  urn: urnOf(type, name),
  id: typeof props.id === "string" ? props.id : undefined,
  props,
});

/** The public UI as `components/jenkins` builds it with a certificate and no allowed CIDRs. */
function publicUi(overrides: { lb?: object; listener?: object; rule?: object } = {}): Resource[] {
  return [
    r(SG, "ui-alb", { id: "sg-alb", vpcId: "vpc-1" }),
    r(LB, "ui", {
      id: "arn:alb",
      arn: "arn:alb",
      loadBalancerType: "application",
      internal: false,
      securityGroups: ["sg-alb"],
      ...overrides.lb,
    }),
    r(LISTENER, "ui-443", {
      loadBalancerArn: "arn:alb",
      port: 443,
      protocol: "HTTPS",
      defaultActions: [
        { type: "authenticate-oidc", order: 1, authenticateOidc: { issuer: "https://idp.example.com" } },
        { type: "forward", order: 2, targetGroupArn: "arn:tg" },
      ],
      ...overrides.listener,
    }),
    r(LISTENER, "ui-80", { loadBalancerArn: "arn:alb", port: 80, protocol: "HTTP" }),
    r(INGRESS, "alb-in-443", {
      securityGroupId: "sg-alb",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      ...overrides.rule,
    }),
  ];
}

const RULE = `${INGRESS} "alb-in-443"`;
const ONLY_443 =
  "only tcp 443 of an internet-facing HTTPS application load balancer may admit the whole internet";

describe("policy no-world-ingress", () => {
  it("names ports: single, range, all traffic, numeric protocols", () => {
    assert.strictEqual(portText("tcp", 443, 443), "tcp 443");
    assert.strictEqual(portText("6", 0, 65535), "tcp 0-65535");
    assert.strictEqual(portText("17", 53, 53), "udp 53");
    assert.strictEqual(portText("-1", 0, 0), "all traffic");
    assert.strictEqual(portText("icmp"), "icmp (all ports)");
  });

  it("allows tcp 443 from anywhere on a public HTTPS application load balancer's own group, behind OIDC", () => {
    assert.deepStrictEqual(checkWorldIngress(publicUi()), []);
  });

  it("allows it when the load balancer type and scheme are left to their defaults (application, internet-facing)", () => {
    assert.deepStrictEqual(
      checkWorldIngress(publicUi({ lb: { loadBalancerType: undefined, internal: undefined } })),
      [],
    );
  });

  it("allows the same permission as an inline ingress block of that group", () => {
    const stack = publicUi().filter((x) => x.type !== INGRESS);
    stack[0] = r(SG, "ui-alb", {
      id: "sg-alb",
      ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }],
    });
    assert.deepStrictEqual(checkWorldIngress(stack), []);
  });

  it("refuses any other port or protocol from anywhere, even on that group", () => {
    assert.deepStrictEqual(messages(checkWorldIngress(publicUi({ rule: { fromPort: 80, toPort: 80 } }))), [
      `${RULE}: ingress from 0.0.0.0/0 on tcp 80; ${ONLY_443}`,
    ]);
    assert.deepStrictEqual(messages(checkWorldIngress(publicUi({ rule: { fromPort: 0, toPort: 65535 } }))), [
      `${RULE}: ingress from 0.0.0.0/0 on tcp 0-65535; ${ONLY_443}`,
    ]);
    assert.deepStrictEqual(
      messages(
        checkWorldIngress(publicUi({ rule: { ipProtocol: "-1", fromPort: undefined, toPort: undefined } })),
      ),
      [`${RULE}: ingress from 0.0.0.0/0 on all traffic; ${ONLY_443}`],
    );
    assert.deepStrictEqual(messages(checkWorldIngress(publicUi({ rule: { ipProtocol: "udp" } }))), [
      `${RULE}: ingress from 0.0.0.0/0 on udp 443; ${ONLY_443}`,
    ]);
  });

  it("refuses 443 from anywhere on an internal load balancer, also over IPv6", () => {
    assert.deepStrictEqual(
      messages(
        checkWorldIngress(
          publicUi({ lb: { internal: true }, rule: { cidrIpv4: undefined, cidrIpv6: "::/0" } }),
        ),
      ),
      [
        `${RULE}: ingress from ::/0 on tcp 443; ${LB} "ui" is not an internet-facing application load balancer`,
      ],
    );
  });

  it("refuses it on a network load balancer", () => {
    assert.deepStrictEqual(messages(checkWorldIngress(publicUi({ lb: { loadBalancerType: "network" } }))), [
      `${RULE}: ingress from 0.0.0.0/0 on tcp 443; ${LB} "ui" is not an internet-facing application load balancer`,
    ]);
  });

  it("refuses it when the HTTPS listener forwards without signing users in (a local password is not enough)", () => {
    assert.deepStrictEqual(
      messages(
        checkWorldIngress(
          publicUi({ listener: { defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] } }),
        ),
      ),
      [
        `${RULE}: ingress from 0.0.0.0/0 on tcp 443; ${LB} "ui" does not sign users in on 443 (no authenticate-oidc action)`,
      ],
    );
  });

  it("refuses it when 443 is not an HTTPS listener", () => {
    assert.deepStrictEqual(messages(checkWorldIngress(publicUi({ listener: { protocol: "HTTP" } }))), [
      `${RULE}: ingress from 0.0.0.0/0 on tcp 443; ${LB} "ui" has no HTTPS listener on 443`,
    ]);
  });

  it("refuses it when the group is also attached to anything else", () => {
    const stack = [
      ...publicUi(),
      r("aws:ecs/service:Service", "svc", { networkConfiguration: { securityGroups: ["sg-alb"] } }),
    ];
    assert.deepStrictEqual(messages(checkWorldIngress(stack)), [
      `${RULE}: ingress from 0.0.0.0/0 on tcp 443; security group "ui-alb" is also attached to aws:ecs/service:Service "svc"`,
    ]);
  });

  it("refuses it when the group is attached to nothing, or is not in the stack", () => {
    const detached = publicUi().filter((x) => x.type === SG || x.type === INGRESS);
    assert.deepStrictEqual(messages(checkWorldIngress(detached)), [
      `${RULE}: ingress from 0.0.0.0/0 on tcp 443; security group "ui-alb" is not attached to an internet-facing application load balancer`,
    ]);
    assert.deepStrictEqual(
      messages(checkWorldIngress(publicUi({ rule: { securityGroupId: "sg-elsewhere" } }))),
      [
        `${RULE}: ingress from 0.0.0.0/0 on tcp 443; its security group is not one of this stack's security groups`,
      ],
    );
  });

  it("checks inline ingress blocks, security group rules of type ingress, and network policies", () => {
    const stack = [
      r(SG, "open", {
        id: "sg-open",
        ingress: [
          { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] },
          { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
        ],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
      }),
      r(SG_RULE, "ssh", {
        type: "ingress",
        securityGroupId: "sg-open",
        protocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"],
      }),
      r(SG_RULE, "out", {
        type: "egress",
        securityGroupId: "sg-open",
        protocol: "-1",
        cidrBlocks: ["0.0.0.0/0"],
      }),
      r(EGRESS, "https-out", {
        securityGroupId: "sg-open",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
      }),
      r("kubernetes:networking.k8s.io/v1:NetworkPolicy", "np", {
        spec: {
          ingress: [
            { from: [{ podSelector: {} }, { ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }] },
          ],
          egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }],
        },
      }),
    ];
    assert.deepStrictEqual(messages(checkWorldIngress(stack)), [
      `${SG} "open": ingress from 0.0.0.0/0 on all traffic (ingress[1]); ${ONLY_443}`,
      `${SG} "open": ingress from ::/0 on all traffic (ingress[1]); ${ONLY_443}`,
      `${SG_RULE} "ssh": ingress from 0.0.0.0/0 on tcp 22; ${ONLY_443}`,
      `kubernetes:networking.k8s.io/v1:NetworkPolicy "np": ingress from 0.0.0.0/0 on all traffic ` +
        `(spec.ingress[0].from[1].ipBlock); a network policy never admits the whole internet`,
    ]);
  });

  describe("as a stack policy", () => {
    /** A preview of a new stack: IDs and ARNs unknown, references known only as dependencies. */
    function preview(internal: boolean): TestResource[] {
      const sg = urnOf(SG, "ui-alb");
      const lb = urnOf(LB, "ui");
      return [
        { type: SG, name: "ui-alb", urn: sg, props: { id: UNKNOWN_FROM_ENGINE, vpcId: UNKNOWN_FROM_ENGINE } },
        {
          type: LB,
          name: "ui",
          urn: lb,
          props: {
            arn: UNKNOWN_FROM_ENGINE,
            loadBalancerType: "application",
            internal,
            securityGroups: [UNKNOWN_FROM_ENGINE],
          },
          propertyDependencies: { securityGroups: [sg] },
        },
        {
          type: LISTENER,
          name: "ui-443",
          props: {
            loadBalancerArn: UNKNOWN_FROM_ENGINE,
            port: 443,
            protocol: "HTTPS",
            // The client secret is unknown (read from Secrets Manager); the action's type is known.
            defaultActions: [
              {
                type: "authenticate-oidc",
                order: 1,
                authenticateOidc: { clientSecret: UNKNOWN_FROM_ENGINE },
              },
              { type: "forward", order: 2, targetGroupArn: UNKNOWN_FROM_ENGINE },
            ],
          },
          propertyDependencies: { loadBalancerArn: [lb] },
        },
        {
          type: INGRESS,
          name: "alb-in-443",
          props: {
            securityGroupId: UNKNOWN_FROM_ENGINE,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrIpv4: "0.0.0.0/0",
          },
          propertyDependencies: { securityGroupId: [sg] },
        },
      ];
    }

    it("follows property dependencies when IDs are unknown (a preview of a new stack)", async () => {
      assert.deepStrictEqual(await runStackPolicy(noWorldIngress, preview(false)), []);
    });

    it("reports against the offending resource's URN", async () => {
      assert.deepStrictEqual(await runStackPolicy(noWorldIngress, preview(true)), [
        {
          message: `${RULE}: ingress from 0.0.0.0/0 on tcp 443; ${LB} "ui" is not an internet-facing application load balancer`,
          urn: urnOf(INGRESS, "alb-in-443"),
        },
      ]);
    });
  });
});
