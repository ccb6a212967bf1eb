import * as assert from "assert";
import { decodeConfig, NETWORK_DEFAULTS, parseStackConfig, StackConfig } from "../../config";
import { decodeStated } from "../harness/config";
import { INBOUND_AGENT_IMAGE, JENKINS_IMAGE, KUBERNETES_VERSION, NGINX_IMAGE } from "../../config/versions";

const NS = "jenkins-agent-bridge";

/** Parses engine-shaped values (objects given as JSON text, as the engine passes them). */
function parse(values: Record<string, unknown>) {
  const text = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
  return parseStackConfig(decodeStated(text));
}

function problemsOf(values: Record<string, unknown>): string[] {
  const result = parse(values);
  assert.strictEqual(result.ok, false, "expected the config to be refused");
  return result.ok ? [] : result.problems;
}

function configOf(values: Record<string, unknown>): StackConfig {
  const result = parse(values);
  if (!result.ok) assert.fail(result.problems.join("\n"));
  return result.config;
}

const REGION = { "aws:region": "us-east-1" };

describe("stack config", () => {
  describe("defaults", () => {
    it("fills every key from named defaults when only the region is set", () => {
      const config = configOf(REGION);
      assert.strictEqual(config.region, "us-east-1");
      assert.strictEqual(config.transport, "websocket");
      assert.deepStrictEqual(config.tags, {});
      assert.strictEqual(config.throwaway, false);
      assert.deepStrictEqual(config.masterNetwork, {
        cidrBlock: NETWORK_DEFAULTS.masterCidrBlock,
        azCount: 2,
        availabilityZoneIds: undefined,
        natStrategy: "perAz",
        publicSubnetPrefixLength: 24,
        privateSubnetPrefixLength: 20,
        flowLogRetentionDays: 90,
        flowLogTrafficType: "ALL",
      });
      assert.strictEqual(config.agentNetwork.cidrBlock, NETWORK_DEFAULTS.agentCidrBlock);
      assert.strictEqual(config.controller.image, JENKINS_IMAGE);
      assert.strictEqual(config.controller.healthCheckGracePeriodSec, 600);
      assert.strictEqual(config.controller.homeDeletionProtection, true);
      assert.deepStrictEqual(config.controller.ui, {
        internetFacing: false,
        certificateArn: undefined,
        allowedCidrs: [],
        idleTimeoutSec: 120,
        deletionProtection: true,
        oidc: {
          issuer: undefined,
          authorizationEndpoint: undefined,
          tokenEndpoint: undefined,
          userInfoEndpoint: undefined,
          clientId: undefined,
          clientSecretArn: undefined,
        },
        accessLogsBucket: undefined,
      });
      assert.deepStrictEqual(config.gateway.allowedPrincipals, []);
      assert.strictEqual(config.gateway.deletionProtection, true);
      assert.strictEqual(config.gateway.tcpTlsListener, false);
      assert.strictEqual(config.agentCluster.kubernetesVersion, KUBERNETES_VERSION);
      assert.strictEqual(config.agentCluster.inboundAgentImage, INBOUND_AGENT_IMAGE);
      assert.strictEqual(config.proxy.image, NGINX_IMAGE);
      assert.strictEqual(config.proxy.replicas, 2);
    });

    it("reads scalars given as text, as the engine passes them", () => {
      const config = configOf({
        ...REGION,
        [`${NS}:transport`]: "tcp",
        [`${NS}:throwaway`]: "true",
        [`${NS}:masterNetwork`]: { azCount: "3" },
        [`${NS}:agentNetwork`]: { azCount: "3", natStrategy: "single" },
      });
      assert.strictEqual(config.transport, "tcp");
      assert.strictEqual(config.throwaway, true);
      assert.strictEqual(config.agentNetwork.azCount, 3);
      assert.strictEqual(config.agentNetwork.natStrategy, "single");
    });

    it("ignores keys of other namespaces", () => {
      assert.strictEqual(
        configOf({ ...REGION, "aws:profile": "ci", "kubernetes:context": "x" }).region,
        "us-east-1",
      );
    });
  });

  describe("one line per mistake, naming key, value and what is accepted", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      [
        "an unknown transport, with the near value suggested",
        { [`${NS}:transport`]: "websockets" },
        `${NS}:transport: got "websockets"; expected one of websocket, tcp (did you mean "websocket"?)`,
      ],
      [
        "a mistyped transport",
        { [`${NS}:transport`]: ["tcp"] },
        `${NS}:transport: got ["tcp"]; expected one of websocket, tcp`,
      ],
      [
        "a malformed CIDR",
        { [`${NS}:masterNetwork`]: { cidrBlock: "10.0.0.300/16" } },
        `${NS}:masterNetwork.cidrBlock: got "10.0.0.300/16"; expected an IPv4 CIDR block from /16 to /28, such as 10.0.0.0/16 (the address is not four octets of 0-255)`,
      ],
      [
        "a CIDR with host bits",
        { [`${NS}:agentNetwork`]: { cidrBlock: "10.20.1.0/16" } },
        `${NS}:agentNetwork.cidrBlock: got "10.20.1.0/16"; expected an IPv4 CIDR block from /16 to /28, such as 10.0.0.0/16 (host bits are set (the block is 10.20.0.0/16))`,
      ],
      [
        "a VPC larger than AWS allows",
        { [`${NS}:masterNetwork`]: { cidrBlock: "10.0.0.0/8" } },
        `${NS}:masterNetwork.cidrBlock: got "10.0.0.0/8"; expected an IPv4 CIDR block from /16 to /28, such as 10.0.0.0/16 (AWS VPCs are /16 to /28)`,
      ],
      [
        "overlapping master and agent CIDRs",
        {
          [`${NS}:masterNetwork`]: { cidrBlock: "10.10.0.0/16" },
          [`${NS}:agentNetwork`]: { cidrBlock: "10.10.128.0/17" },
        },
        `${NS}:agentNetwork.cidrBlock: got "10.10.128.0/17"; expected a block that does not overlap masterNetwork.cidrBlock 10.10.0.0/16`,
      ],
      [
        "fewer than two zones by count",
        { [`${NS}:masterNetwork`]: { azCount: 1 } },
        `${NS}:masterNetwork.azCount: got 1; expected an integer from 2 to 6`,
      ],
      [
        "fewer than two zones by ID",
        { [`${NS}:agentNetwork`]: { availabilityZoneIds: ["use1-az1"] } },
        `${NS}:agentNetwork.availabilityZoneIds: got ["use1-az1"]; expected a list of 2 to 6 items (string)`,
      ],
      [
        "zone names, no longer accepted, with zone IDs suggested",
        { [`${NS}:masterNetwork`]: { availabilityZones: ["us-east-1a", "us-east-1b"] } },
        `${NS}:masterNetwork.availabilityZones: unknown key (got ["us-east-1a","us-east-1b"]); did you mean ${NS}:masterNetwork.availabilityZoneIds?`,
      ],
      [
        "a zone name where a zone ID belongs",
        { [`${NS}:masterNetwork`]: { availabilityZoneIds: ["us-east-1a", "use1-az2"] } },
        `${NS}:masterNetwork.availabilityZoneIds[0]: got "us-east-1a"; expected an availability zone ID such as use1-az1`,
      ],
      [
        "zone IDs of another region",
        { [`${NS}:masterNetwork`]: { availabilityZoneIds: ["euw1-az1", "euw1-az2"] } },
        `${NS}:masterNetwork.availabilityZoneIds: got ["euw1-az1","euw1-az2"]; expected zone IDs of aws:region us-east-1 (use1-az1, use1-az2, ...)`,
      ],
      [
        "the same zone twice",
        { [`${NS}:masterNetwork`]: { availabilityZoneIds: ["use1-az1", "use1-az1"] } },
        `${NS}:masterNetwork.availabilityZoneIds: got ["use1-az1","use1-az1"]; expected distinct zone IDs`,
      ],
      [
        "a zone where EKS cannot place a control plane",
        { [`${NS}:masterNetwork`]: { availabilityZoneIds: ["use1-az1", "use1-az3"] } },
        `${NS}:masterNetwork.availabilityZoneIds: got ["use1-az1","use1-az3"]; expected zone IDs where EKS can place a control plane (not use1-az3; the agent network takes its zones from the master network's)`,
      ],
      [
        "both a zone count and zone IDs",
        { [`${NS}:agentNetwork`]: { azCount: 2, availabilityZoneIds: ["use1-az1", "use1-az2"] } },
        `${NS}:agentNetwork.availabilityZoneIds: got ["use1-az1","use1-az2"]; expected either agentNetwork.azCount or agentNetwork.availabilityZoneIds, not both`,
      ],
      [
        "agent zones the endpoint service does not serve",
        {
          [`${NS}:masterNetwork`]: { availabilityZoneIds: ["use1-az1", "use1-az2"] },
          [`${NS}:agentNetwork`]: { availabilityZoneIds: ["use1-az2", "use1-az4"] },
        },
        `${NS}:agentNetwork.availabilityZoneIds: got ["use1-az2","use1-az4"]; expected zone IDs among masterNetwork.availabilityZoneIds ["use1-az1","use1-az2"]: the agents' interface endpoint only uses zones where the endpoint service's load balancer, in the master network, has a subnet`,
      ],
      [
        "agent zone IDs while the master network's are chosen by count",
        { [`${NS}:agentNetwork`]: { availabilityZoneIds: ["use1-az1", "use1-az2"] } },
        `${NS}:agentNetwork.availabilityZoneIds: got ["use1-az1","use1-az2"]; expected no agentNetwork.availabilityZoneIds unless masterNetwork.availabilityZoneIds lists them too (or agentNetwork.azCount, which takes the master network's first zones): the agents' interface endpoint only uses zones where the endpoint service's load balancer, in the master network, has a subnet`,
      ],
      [
        "more agent zones than master zones",
        { [`${NS}:agentNetwork`]: { azCount: 3 } },
        `${NS}:agentNetwork.azCount: got 3; expected at most the master network's 2 zones: the agents' interface endpoint only uses zones where the endpoint service's load balancer, in the master network, has a subnet`,
      ],
      [
        "a subnet layout that does not fit the VPC",
        { [`${NS}:masterNetwork`]: { cidrBlock: "10.10.0.0/20", privateSubnetPrefixLength: 21, azCount: 3 } },
        `${NS}:masterNetwork.cidrBlock: got "10.10.0.0/20"; expected a block that holds every subnet: 3 public /24 and 3 private /21 subnets need 6912 addresses; 10.10.0.0/20 holds 4096 (enlarge the block, lengthen the subnet prefixes or use fewer zones)`,
      ],
      [
        "an unknown NAT strategy",
        { [`${NS}:masterNetwork`]: { natStrategy: "perAZ" } },
        `${NS}:masterNetwork.natStrategy: got "perAZ"; expected one of none, single, perAz (did you mean "perAz"?)`,
      ],
      [
        "a negative size",
        { [`${NS}:agentCluster`]: { agentNodes: { cpuLimit: -1 } } },
        `${NS}:agentCluster.agentNodes.cpuLimit: got -1; expected an integer from 1 to 100000`,
      ],
      [
        "an architecture Karpenter does not know",
        { [`${NS}:agentCluster`]: { agentNodes: { architectures: ["x86_64"] } } },
        `${NS}:agentCluster.agentNodes.architectures[0]: got "x86_64"; expected one of amd64, arm64`,
      ],
      [
        "an architecture listed twice",
        { [`${NS}:agentCluster`]: { agentNodes: { architectures: ["arm64", "arm64"] } } },
        `${NS}:agentCluster.agentNodes.architectures: got ["arm64","arm64"]; expected distinct architectures`,
      ],
      [
        "an instance family that is not one",
        { [`${NS}:agentCluster`]: { agentNodes: { instanceFamilies: ["m6i.large"] } } },
        `${NS}:agentCluster.agentNodes.instanceFamilies[0]: got "m6i.large"; expected an instance family such as m6i or c7g`,
      ],
      [
        "an AMI alias of a family agent nodes do not run",
        { [`${NS}:agentCluster`]: { agentNodes: { amiAlias: "windows2022@latest" } } },
        `${NS}:agentCluster.agentNodes.amiAlias: got "windows2022@latest"; expected al2023@latest, al2023@vYYYYMMDD, bottlerocket@latest or bottlerocket@vX.Y.Z`,
      ],
      [
        "a system node capacity type EKS does not offer",
        { [`${NS}:agentCluster`]: { systemNodes: { capacityType: "spot" } } },
        `${NS}:agentCluster.systemNodes.capacityType: got "spot"; expected one of ON_DEMAND, SPOT (did you mean "SPOT"?)`,
      ],
      [
        "a controller capacity type Fargate does not offer",
        { [`${NS}:controller`]: { capacityType: "FARGATE_SPOT" } },
        `${NS}:controller.capacityType: got "FARGATE_SPOT"; expected one of ON_DEMAND, SPOT`,
      ],
      [
        "a tag Karpenter sets on agent nodes itself",
        { [`${NS}:tags`]: { "karpenter.sh/nodepool": "mine" } },
        `${NS}:tags.karpenter.sh/nodepool: got "mine"; expected a tag key Karpenter does not set itself on agent nodes (not eks:eks-cluster-name, kubernetes.io/cluster/*, karpenter.sh/nodepool, karpenter.sh/nodeclaim or karpenter.k8s.aws/ec2nodeclass)`,
      ],
      [
        "a non-integer size",
        { [`${NS}:controller`]: { memoryMiB: 2048.5 } },
        `${NS}:controller.memoryMiB: got 2048.5; expected an integer from 512 to 122880`,
      ],
      [
        "a size given as words",
        { [`${NS}:proxy`]: { replicas: "two" } },
        `${NS}:proxy.replicas: got "two"; expected an integer from 2 to 20`,
      ],
      [
        "a retention CloudWatch does not offer",
        { [`${NS}:masterNetwork`]: { flowLogRetentionDays: 10 } },
        `${NS}:masterNetwork.flowLogRetentionDays: got 10; expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653`,
      ],
      [
        "an unknown top-level key, with the nearest key",
        { [`${NS}:trasnport`]: "tcp" },
        `${NS}:trasnport: unknown key (got "tcp"); did you mean ${NS}:transport?`,
      ],
      [
        "an unknown nested key, with the nearest key",
        { [`${NS}:masterNetwork`]: { natStrategey: "single" } },
        `${NS}:masterNetwork.natStrategey: unknown key (got "single"); did you mean ${NS}:masterNetwork.natStrategy?`,
      ],
      [
        "an unknown key with nothing near, listing the valid keys",
        { [`${NS}:proxy`]: { colour: "blue" } },
        `${NS}:proxy.colour: unknown key (got "blue"); valid keys here: ${NS}:proxy.image, ${NS}:proxy.replicas, ${NS}:proxy.timeoutMinutes, ${NS}:proxy.cpuMillicores, ${NS}:proxy.memoryMiB`,
      ],
      [
        "a wildcard endpoint-service principal",
        { [`${NS}:gateway`]: { allowedPrincipals: ["*"] } },
        `${NS}:gateway.allowedPrincipals[0]: got "*"; expected an IAM principal ARN (a wildcard would let any AWS account connect to the controller)`,
      ],
      [
        "an image without a pinned version",
        { [`${NS}:controller`]: { image: "jenkins/jenkins:latest" } },
        `${NS}:controller.image: got "jenkins/jenkins:latest"; expected an image reference with a pinned tag or digest (pin a version tag or a digest, not latest)`,
      ],
      [
        "a public UI without a certificate",
        {
          [`${NS}:controller`]: {
            ui: { internetFacing: true, allowedCidrs: ["198.51.100.0/24"], accessLogsBucket: "ci-logs" },
          },
        },
        `${NS}:controller.ui.certificateArn: got nothing with controller.ui.internetFacing true; expected a certificate for a public UI (or throwaway: true for a short-lived environment)`,
      ],
      [
        "a section that is not an object",
        { [`${NS}:gateway`]: "jenkins" },
        `${NS}:gateway: got "jenkins"; expected an object with keys privateZoneName, hostName, allowedPrincipals, deletionProtection, tcpTlsListener, certificateValidityDays`,
      ],
      [
        "a reserved tag key",
        { [`${NS}:tags`]: { "aws:owner": "me" } },
        `${NS}:tags.aws:owner: got "me"; expected a string value under a valid key (the aws: prefix is reserved)`,
      ],
    ];
    for (const [what, values, line] of cases) {
      it(`reports ${what}`, () => {
        assert.deepStrictEqual(problemsOf({ ...REGION, ...values }), [line]);
      });
    }

    it("reports a missing aws:region with the command that sets it", () => {
      assert.deepStrictEqual(problemsOf({}), [
        "aws:region: missing; expected an AWS region such as us-east-1 (pulumi config set aws:region us-east-1)",
      ]);
    });

    it("reports a malformed aws:region", () => {
      assert.deepStrictEqual(problemsOf({ "aws:region": "US East" }), [
        'aws:region: got "US East"; expected an AWS region the AWS SDK lists, such as us-east-1',
      ]);
    });

    it("reports every mistake at once, in one pass", () => {
      const problems = problemsOf({
        [`${NS}:transport`]: "udp",
        [`${NS}:trasnport`]: "tcp",
        [`${NS}:masterNetwork`]: { natStrategy: "some", azCount: 0 },
        [`${NS}:agentCluster`]: { systemNodes: { count: 1.5 } },
      });
      assert.deepStrictEqual(problems, [
        `${NS}:trasnport: unknown key (got "tcp"); did you mean ${NS}:transport?`,
        `${NS}:transport: got "udp"; expected one of websocket, tcp`,
        `${NS}:masterNetwork.azCount: got 0; expected an integer from 2 to 6`,
        `${NS}:masterNetwork.natStrategy: got "some"; expected one of none, single, perAz`,
        `${NS}:agentCluster.systemNodes.count: got 1.5; expected an integer from 1 to 10`,
        "aws:region: missing; expected an AWS region such as us-east-1 (pulumi config set aws:region us-east-1)",
      ]);
    });
  });

  describe("accepted edge values", () => {
    it("allows a public UI without a certificate in a throwaway stack", () => {
      const config = configOf({
        ...REGION,
        [`${NS}:throwaway`]: true,
        [`${NS}:controller`]: {
          ui: { internetFacing: true, allowedCidrs: ["198.51.100.0/24"], accessLogsBucket: "ci-logs" },
        },
      });
      assert.strictEqual(config.controller.ui.internetFacing, true);
    });

    it("accepts explicit zones of the region and a layout that fills the block exactly", () => {
      const config = configOf({
        ...REGION,
        [`${NS}:masterNetwork`]: { availabilityZoneIds: ["use1-az4", "use1-az1", "use1-az2"] },
        [`${NS}:agentNetwork`]: {
          cidrBlock: "10.20.0.0/24",
          availabilityZoneIds: ["use1-az1", "use1-az4"],
          publicSubnetPrefixLength: 26,
          privateSubnetPrefixLength: 26,
        },
      });
      assert.deepStrictEqual(config.agentNetwork.availabilityZoneIds, ["use1-az1", "use1-az4"]);
    });

    it("accepts account roots and roles as endpoint-service principals", () => {
      const principals = ["arn:aws:iam::210987654321:root", "arn:aws:iam::210987654321:role/ci-agents"];
      const config = configOf({ ...REGION, [`${NS}:gateway`]: { allowedPrincipals: principals } });
      assert.deepStrictEqual(config.gateway.allowedPrincipals, principals);
    });
  });
});

describe("stack config: values AWS or state would mishandle", () => {
  const NSK = "jenkins-agent-bridge";
  const parseLines = (values: Record<string, unknown>, secretKeys: string[] = []) => {
    const text = Object.fromEntries(
      Object.entries({ "aws:region": "us-east-1", ...values }).map(([k, v]) => [
        k,
        typeof v === "string" ? v : JSON.stringify(v),
      ]),
    );
    const result = parseStackConfig(decodeStated(text), secretKeys);
    return result.ok ? [] : result.problems;
  };

  it("refuses a secret in a project key, reporting only that", () => {
    assert.deepStrictEqual(parseLines({ [`${NSK}:tags`]: { Owner: "[secret]" } }, [`${NSK}:tags`]), [
      `${NSK}:tags: holds a secret; expected a plain value: no setting of this project is secret (the admin password is generated)`,
    ]);
  });

  it("leaves secrets of other namespaces alone", () => {
    assert.deepStrictEqual(parseLines({ "aws:secretKey": "x" }, ["aws:secretKey"]), []);
  });

  it("refuses CIDRs with spaces or leading zeros, which AWS would refuse later", () => {
    assert.deepStrictEqual(parseLines({ [`${NSK}:masterNetwork`]: { cidrBlock: "10.10.0.0/16 " } }), [
      `${NSK}:masterNetwork.cidrBlock: got "10.10.0.0/16 "; expected an IPv4 CIDR block from /16 to /28, such as 10.0.0.0/16 (not in a.b.c.d/n form)`,
    ]);
    assert.deepStrictEqual(parseLines({ [`${NSK}:agentNetwork`]: { cidrBlock: "10.20.0.0/016" } }), [
      `${NSK}:agentNetwork.cidrBlock: got "10.20.0.0/016"; expected an IPv4 CIDR block from /16 to /28, such as 10.0.0.0/16 (not in a.b.c.d/n form)`,
    ]);
  });

  it("refuses tags AWS would refuse part-way through an update, and tags the blueprint owns", () => {
    assert.deepStrictEqual(parseLines({ [`${NSK}:tags`]: { Team: "R&D", Stack: "other" } }), [
      `${NSK}:tags.Team: got "R&D"; expected a string value under a valid key (tags allow letters, digits, spaces and _ . : / = + - @)`,
      `${NSK}:tags.Stack: got "other"; expected a string value under a valid key (the blueprint sets Stack itself)`,
    ]);
    // 50 a resource, less 10 kept for the tags EKS and Karpenter add to instances, less the blueprint's 5.
    const many = Object.fromEntries(Array.from({ length: 36 }, (_, i) => [`t${i}`, "x"]));
    assert.deepStrictEqual(
      parseLines({ [`${NSK}:tags`]: many }).map((l) => l.replace(/got .*; expected/, "got ...; expected")),
      [`${NSK}:tags: got ...; expected at most 35 entries`],
    );
  });

  it("refuses a master network without NAT, saying why", () => {
    assert.deepStrictEqual(parseLines({ [`${NSK}:masterNetwork`]: { natStrategy: "none" } }), [
      `${NSK}:masterNetwork.natStrategy: got "none"; expected single or perAz: the controller pulls its image and plugins and reaches the agent cluster's API through NAT`,
    ]);
  });
});

describe("stack config: the AWS CLI's credentials", () => {
  it("repeats the provider's profile and first assumed role", () => {
    const result = parseStackConfig(
      decodeStated({
        "aws:region": "us-east-1",
        "aws:profile": "ci",
        "aws:assumeRoles":
          '[{"roleArn":"arn:aws:iam::123456789012:role/deploy"},{"roleArn":"arn:aws:iam::1:role/x"}]',
      }),
    );
    assert.ok(result.ok);
    assert.deepStrictEqual(result.ok && result.config.awsCli, {
      profile: "ci",
      roleArn: "arn:aws:iam::123456789012:role/deploy",
    });
  });

  it("is empty when the provider uses the environment's credentials", () => {
    const result = parseStackConfig(decodeStated({ "aws:region": "us-east-1" }));
    assert.deepStrictEqual(result.ok && result.config.awsCli, {});
  });

  it("refuses a quota with no room for an agent beside the proxy and the smoke check", () => {
    const result = parseStackConfig(
      decodeStated({
        "aws:region": "us-east-1",
        "jenkins-agent-bridge:agentCluster": '{"quotaPods":2,"quotaCpuCores":1,"quotaMemoryGiB":1}',
      }),
    );
    assert.deepStrictEqual(!result.ok && result.problems, [
      "jenkins-agent-bridge:agentCluster.quotaPods: got a quota (2 pods, 1 cores, 1 GiB) with no room for one agent (1000m, 1536 MiB) beside the proxy and the smoke check; expected a larger quota",
    ]);
  });

  describe("proxy memory for the agents the quota admits", () => {
    // Enough CPU and memory for 5000 default agent pods (1 core, 1.5 GiB each), so pods bind, and
    // autoscaler limits high enough that the quota is what binds.
    const limits = '"agentNodes":{"cpuLimit":20000,"memoryLimitGiB":40000}';
    const big = `{"quotaPods":5000,"quotaCpuCores":5000,"quotaMemoryGiB":7500,${limits}}`;
    const parse = (extra: Record<string, string>) =>
      parseStackConfig(
        decodeStated({ "aws:region": "us-east-1", "jenkins-agent-bridge:agentCluster": big, ...extra }),
      );

    it("refuses a replica too small to hold every agent", () => {
      // 4996 agents fit beside 2 proxy replicas, the smoke pod and the agent path check's pod: 2 + 12 + 4996 * 48 / 1024 MiB.
      assert.deepStrictEqual(!parse({}).ok && (parse({}) as { problems: string[] }).problems, [
        "jenkins-agent-bridge:proxy.memoryMiB: got 128; a replica needs 249 MiB to hold all 4996 agents the container cap admits (48 KiB each, plus 14 MiB for nginx with 1 worker); expected 249 or more, or a smaller agentCluster.quotaPods",
      ]);
    });

    it("counts one worker per whole core of the proxy's CPU", () => {
      const result = parse({ "jenkins-agent-bridge:proxy": '{"cpuMillicores":2500,"memoryMiB":260}' });
      assert.ok(!result.ok);
      assert.match(result.problems[0], /needs 261 MiB .* plus 26 MiB for nginx with 2 workers/);
    });

    it("refuses a replica whose workers cannot hold two connections per agent", () => {
      const huge = `{"quotaPods":10000,"quotaCpuCores":10000,"quotaMemoryGiB":15000,${limits}}`;
      const result = parseStackConfig(
        decodeStated({
          "aws:region": "us-east-1",
          "jenkins-agent-bridge:agentCluster": huge,
          "jenkins-agent-bridge:proxy": '{"memoryMiB":1024}',
        }),
      );
      assert.deepStrictEqual(!result.ok && result.problems, [
        "jenkins-agent-bridge:proxy.cpuMillicores: got 100 (1 nginx worker of 16384 connections); a replica needs 20056 connections for all 9996 agents the container cap admits; expected 2000 or more, or a smaller agentCluster.quotaPods",
      ]);
      assert.ok(
        parseStackConfig(
          decodeStated({
            "aws:region": "us-east-1",
            "jenkins-agent-bridge:agentCluster": huge,
            "jenkins-agent-bridge:proxy": '{"memoryMiB":1024,"cpuMillicores":2000}',
          }),
        ).ok,
      );
    });

    it("accepts enough memory, and asks nothing of tcp stacks (no proxy)", () => {
      assert.ok(parse({ "jenkins-agent-bridge:proxy": '{"memoryMiB":249}' }).ok);
      assert.ok(parse({ "jenkins-agent-bridge:transport": "tcp" }).ok);
    });
  });
});

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
