/** Stack config mistakes: one line per mistake, naming the key, the value and what is accepted. */
import * as assert from "assert";
import { problemsOf } from "../harness/config";

const NS = "jenkins-agent-bridge";
const REGION = { "aws:region": "us-east-1" };

describe("stack config", () => {
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
});
