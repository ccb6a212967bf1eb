/**
 * Each acceptance rule against small plan records that break it, with the exact line it prints;
 * and the skip a value known only at deploy time gets instead of a pass.
 */
import * as assert from "assert";
import { checkAcceptance, renderAcceptance, Rule } from "../../offline/acceptance";
import { ec2Descriptions } from "../../offline/acceptance/ec2-descriptions";
import {
  eksAddonOnce,
  eksNodeGroupSizes,
  eksPublicCidrs,
  eksSubnetZones,
} from "../../offline/acceptance/eks";
import { elbNames } from "../../offline/acceptance/elb-names";
import { endpointZones } from "../../offline/acceptance/endpoint-zones";
import { fargateSizes, fargateSpot } from "../../offline/acceptance/fargate";
import { iamRoles } from "../../offline/acceptance/iam-names";
import { PlanView, resourceRule, UNKNOWN } from "../../offline/acceptance/rule";
import { serviceNames } from "../../offline/acceptance/service-names";
import { tags } from "../../offline/acceptance/tags";
import type { PlannedResource } from "../../offline/engine";

function res(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  more: Partial<PlannedResource> = {},
): PlannedResource {
  return { urn: `urn:${type}::${name}`, type, name, custom: true, protect: false, inputs, ...more };
}

/** The lines `rule` prints over `resources`, without the summary. */
function lines(rule: Rule, ...resources: PlannedResource[]): string[] {
  return renderAcceptance(checkAcceptance(resources, [rule])).slice(0, -1);
}

const SG = "aws:ec2/securityGroup:SecurityGroup";
const SUBNET = "aws:ec2/subnet:Subnet";
const subnet = (id: string, zone: string) => res(SUBNET, id, { availabilityZone: zone }, { id });

describe("acceptance rules", () => {
  it("ec2-description: refuses an apostrophe and more than 255 characters, in groups and rules", () => {
    assert.deepStrictEqual(
      lines(
        ec2Descriptions,
        res(SG, "endpoint", {
          description: "Agents' endpoint",
          ingress: [{ description: "ok (fine)" }, { description: "x".repeat(256) }],
        }),
        res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "in", {
          description: "from the cluster's nodes",
        }),
      ),
      [
        `violation [ec2-description] endpoint (${SG}) description: "Agents' endpoint" has characters EC2 refuses ("'"); it accepts a-zA-Z0-9, space and ._-:/()#,@[]+=&;{}!$*`,
        `violation [ec2-description] endpoint (${SG}) ingress[1].description: is 256 characters; EC2 accepts at most 255`,
        `violation [ec2-description] in (aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule) description: "from the cluster's nodes" has characters EC2 refuses ("'"); it accepts a-zA-Z0-9, space and ._-:/()#,@[]+=&;{}!$*`,
      ],
    );
  });

  it("ec2-description: accepts every character EC2 lists", () => {
    assert.deepStrictEqual(
      lines(ec2Descriptions, res(SG, "g", { description: "aZ09 ._-:/()#,@[]+=&;{}!$*" })),
      [],
    );
  });

  it("elb-name: refuses long, internal- and badly formed names, including auto-names", () => {
    const LB = "aws:lb/loadBalancer:LoadBalancer";
    const TG = "aws:lb/targetGroup:TargetGroup";
    assert.deepStrictEqual(
      lines(
        elbNames,
        res(LB, "a-load-balancer-with-a-long-name", {}),
        res(LB, "ui", { name: "internal-ui" }),
        res(TG, "tg", { name: "tg_8080-" }),
      ),
      [
        `violation [elb-name] a-load-balancer-with-a-long-name (${LB}) name: auto-named "a-load-balancer-with-a-long-name-xxxxxxx" (40 characters) is longer than 32 characters`,
        `violation [elb-name] ui (${LB}) name: "internal-ui" begins with internal-, which load balancer names may not`,
        `violation [elb-name] tg (${TG}) name: "tg_8080-" has characters other than letters, digits and hyphens`,
        `violation [elb-name] tg (${TG}) name: "tg_8080-" begins or ends with a hyphen`,
      ],
    );
  });

  it("iam-role: refuses names over 64, prefixes over 38 and description characters IAM refuses", () => {
    const ROLE = "aws:iam/role:Role";
    assert.deepStrictEqual(
      lines(
        iamRoles,
        res(ROLE, "r1", { name: "r".repeat(65) }),
        res(ROLE, "r2", { namePrefix: "p".repeat(39), description: "tab\tok, but not \u2019" }),
      ),
      [
        `violation [iam-role] r1 (${ROLE}) name: "${"r".repeat(65)}" is longer than 64 characters`,
        `violation [iam-role] r2 (${ROLE}) namePrefix: prefix "${"p".repeat(39)}" (+26 characters the provider adds = 65) is longer than 64 characters`,
        `violation [iam-role] r2 (${ROLE}) description: "tab\\tok, but not \u2019" has characters IAM refuses (\u2019)`,
      ],
    );
  });

  it("tags: refuses more than 50, more than 40 on instances, long keys and values, and aws:", () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v"]));
    const LT = "aws:ec2/launchTemplate:LaunchTemplate";
    assert.deepStrictEqual(
      lines(
        tags,
        res("aws:ec2/vpc:Vpc", "vpc", { tags: { ...many(51), "aws:owner": "x" } }),
        res(LT, "nodes", {
          tags: many(41),
          tagSpecifications: [{ resourceType: "instance", tags: many(41) }],
        }),
        res("aws:s3/bucket:Bucket", "b", {
          tags: { ["k".repeat(129)]: "v", Team: "v".repeat(257), Dept: "R&D" },
        }),
      ),
      [
        "violation [tags] vpc (aws:ec2/vpc:Vpc) tags: has 51 tags; at most 50 a resource",
        "violation [tags] vpc (aws:ec2/vpc:Vpc) tags.aws:owner: the aws: prefix is reserved for AWS",
        `violation [tags] nodes (${LT}) tagSpecifications[0].tags: has 41 tags; at most 40 (50 less 10 kept for the tags EKS, auto scaling and Karpenter add to instances)`,
        `violation [tags] b (aws:s3/bucket:Bucket) tags.${"k".repeat(129)}: the key is 129 characters; tag keys are 1 to 128`,
        "violation [tags] b (aws:s3/bucket:Bucket) tags.Team: the value is 257 characters; tag values are at most 256",
        'violation [tags] b (aws:s3/bucket:Bucket) tags.Dept: the value "R&D" has characters tags may not hold (letters, digits, spaces and _ . : / = + - @)',
      ],
    );
  });

  it("service-name: refuses log group, secret, alias, EKS cluster and ECS names AWS refuses", () => {
    assert.deepStrictEqual(
      lines(
        serviceNames,
        res("aws:cloudwatch/logGroup:LogGroup", "logs", { name: "/ecs/jenkins logs" }),
        res("aws:secretsmanager/secret:Secret", "secret", { namePrefix: `${"s".repeat(487)}-` }),
        res("aws:kms/alias:Alias", "a1", { name: "alias/aws/jenkins" }),
        res("aws:kms/alias:Alias", "a2", { name: "jenkins" }),
        res("aws:eks/cluster:Cluster", "agents", { name: "agents-team.dev" }),
        res("aws:ecs/taskDefinition:TaskDefinition", "task", { family: "f".repeat(256) }),
      ),
      [
        'violation [service-name] logs (aws:cloudwatch/logGroup:LogGroup) name: "/ecs/jenkins logs" has characters log group names may not hold ( ); allowed: letters, digits and . - _ / #',
        `violation [service-name] secret (aws:secretsmanager/secret:Secret) namePrefix: prefix "${"s".repeat(487)}-" (+26 characters the provider adds = 514) is longer than the 512 characters secret names may have`,
        'violation [service-name] a1 (aws:kms/alias:Alias) name: "alias/aws/jenkins" begins with alias/aws/, which AWS keeps for its own keys',
        'violation [service-name] a2 (aws:kms/alias:Alias) name: "jenkins" does not begin with alias/',
        'violation [service-name] agents (aws:eks/cluster:Cluster) name: "agents-team.dev" has characters EKS cluster names may not hold (.); allowed: letters, digits, _ and -',
        `violation [service-name] task (aws:ecs/taskDefinition:TaskDefinition) family: "${"f".repeat(256)}" is longer than the 255 characters task definition family names may have`,
      ],
    );
  });

  it("fargate-size: refuses a pair outside the ECS table", () => {
    const TD = "aws:ecs/taskDefinition:TaskDefinition";
    assert.deepStrictEqual(
      lines(
        fargateSizes,
        res(TD, "task", { requiresCompatibilities: ["FARGATE"], cpu: "1024", memory: "1024" }),
      ),
      [
        `violation [fargate-size] task (${TD}) cpu, memory: 1024 CPU units with 1024 MiB: with 1024 CPU units Fargate offers 2048 to 8192 in steps of 1024 MiB`,
      ],
    );
  });

  it("fargate-spot: refuses a launch type beside the strategy, ARM64 tasks and a cluster without FARGATE_SPOT", () => {
    const TD = "aws:ecs/taskDefinition:TaskDefinition";
    const SVC = "aws:ecs/service:Service";
    const cluster = (name: string) =>
      res("aws:ecs/cluster:Cluster", name, { name }, { state: { arn: `arn:cluster/${name}`, name } });
    const td = (name: string, cpuArchitecture: string) =>
      res(TD, name, { runtimePlatform: { cpuArchitecture } }, { state: { arn: `arn:td/${name}` } });
    const spot = [{ capacityProvider: "FARGATE_SPOT", weight: 1 }];
    const service = (name: string, on: string, task: string, extra: Record<string, unknown> = {}) =>
      res(SVC, name, {
        cluster: `arn:cluster/${on}`,
        taskDefinition: `arn:td/${task}`,
        capacityProviderStrategies: spot,
        ...extra,
      });
    assert.deepStrictEqual(
      lines(
        fargateSpot,
        cluster("offers"),
        cluster("bare"),
        res("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "providers", {
          clusterName: "offers",
          capacityProviders: ["FARGATE_SPOT"],
        }),
        td("x86", "X86_64"),
        td("arm", "ARM64"),
        service("fine", "offers", "x86"),
        service("both", "offers", "x86", { launchType: "FARGATE" }),
        service("on-arm", "offers", "arm"),
        service("no-provider", "bare", "x86"),
        res(SVC, "on-demand", { cluster: "arn:cluster/bare", launchType: "FARGATE" }),
      ),
      [
        `violation [fargate-spot] both (${SVC}) launchType: FARGATE beside a capacity provider strategy: ECS takes one or the other`,
        `violation [fargate-spot] arm (${TD}) runtimePlatform.cpuArchitecture: ARM64 for a FARGATE_SPOT service: Fargate Spot runs X86_64 tasks only`,
        `violation [fargate-spot] no-provider (${SVC}) capacityProviderStrategies: FARGATE_SPOT on cluster bare, which has no aws:ecs/clusterCapacityProviders listing FARGATE_SPOT`,
      ],
    );
  });

  it("eks-addon-once: refuses a second add-on of one name on one cluster, not on another cluster", () => {
    const ADDON = "aws:eks/addon:Addon";
    const addon = (name: string, clusterName: string, addonName: string) =>
      res(ADDON, name, { clusterName, addonName });
    assert.deepStrictEqual(
      lines(
        eksAddonOnce,
        addon("karpenter-pia", "agents", "eks-pod-identity-agent"),
        addon("cni", "agents", "vpc-cni"),
        addon("monitoring-pia", "agents", "eks-pod-identity-agent"),
        addon("other-pia", "other", "eks-pod-identity-agent"),
        addon("later", "[unknown]", "vpc-cni"),
      ),
      [
        `violation [eks-addon-once] monitoring-pia (${ADDON}) addonName: eks-pod-identity-agent again on cluster agents (already karpenter-pia); EKS takes each add-on once a cluster`,
        `skipped [eks-addon-once] later (${ADDON}) clusterName, addonName: computed at deploy time`,
      ],
    );
  });

  it("eks-public-cidrs: refuses more than 40 blocks", () => {
    const cidrs = Array.from({ length: 41 }, (_, i) => `198.51.100.${i}/32`);
    assert.deepStrictEqual(
      lines(
        eksPublicCidrs,
        res("aws:eks/cluster:Cluster", "agents", { vpcConfig: { publicAccessCidrs: cidrs } }),
      ),
      [
        "violation [eks-public-cidrs] agents (aws:eks/cluster:Cluster) vpcConfig.publicAccessCidrs: has 41 blocks; EKS takes at most 40",
      ],
    );
  });

  it("eks-subnet-zones: refuses subnets in one zone, and skips subnets it cannot place", () => {
    assert.deepStrictEqual(
      lines(
        eksSubnetZones,
        subnet("subnet-a", "us-east-1a"),
        subnet("subnet-b", "us-east-1a"),
        res("aws:eks/cluster:Cluster", "agents", { vpcConfig: { subnetIds: ["subnet-a", "subnet-b"] } }),
        res("aws:eks/cluster:Cluster", "other", { vpcConfig: { subnetIds: "[unknown]" } }),
      ),
      [
        "violation [eks-subnet-zones] agents (aws:eks/cluster:Cluster) vpcConfig.subnetIds: spans 1 zone (us-east-1a); EKS needs subnets in at least two",
        "skipped [eks-subnet-zones] other (aws:eks/cluster:Cluster) vpcConfig.subnetIds: subnets computed at deploy time",
      ],
    );
  });

  it("eks-node-group-size: refuses desired outside min..max and max 0", () => {
    const NG = "aws:eks/nodeGroup:NodeGroup";
    assert.deepStrictEqual(
      lines(
        eksNodeGroupSizes,
        res(NG, "a", { scalingConfig: { minSize: 2, desiredSize: 1, maxSize: 3 } }),
        res(NG, "b", { scalingConfig: { minSize: 0, desiredSize: 0, maxSize: 0 } }),
      ),
      [
        `violation [eks-node-group-size] a (${NG}) scalingConfig: min 2, desired 1, max 3; EKS needs 0 <= min <= desired <= max and max >= 1`,
        `violation [eks-node-group-size] b (${NG}) scalingConfig: min 0, desired 0, max 0; EKS needs 0 <= min <= desired <= max and max >= 1`,
      ],
    );
  });

  /**
   * A load balancer with subnets in `lbZones`, its endpoint service, and an endpoint with subnets
   * in `endpointZones`; `field` says how subnets name their zone.
   */
  function gateway(
    field: "availabilityZone" | "availabilityZoneId",
    lbZones: string[],
    endpointZones: string[],
  ) {
    const lbArn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/nlb/1";
    const place = (prefix: string, zones: string[]) =>
      zones.map((zone, i) => res(SUBNET, `${prefix}${i}`, { [field]: zone }, { id: `${prefix}${i}` }));
    const lbSubnets = place("subnet-m", lbZones);
    const endpointSubnets = place("subnet-a", endpointZones);
    return [
      ...lbSubnets,
      ...endpointSubnets,
      res("aws:lb/loadBalancer:LoadBalancer", "nlb", { subnets: lbSubnets.map((r) => r.id) }, { id: lbArn }),
      res(
        "aws:ec2/vpcEndpointService:VpcEndpointService",
        "service",
        { networkLoadBalancerArns: [lbArn] },
        { state: { serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-1" } },
      ),
      res("aws:ec2/vpcEndpoint:VpcEndpoint", "endpoint", {
        vpcEndpointType: "Interface",
        serviceName: "com.amazonaws.vpce.us-east-1.vpce-svc-1",
        subnetIds: endpointSubnets.map((r) => r.id),
      }),
    ];
  }

  it("endpoint-zones: refuses an endpoint subnet in a zone the service's load balancer lacks", () => {
    assert.deepStrictEqual(
      lines(
        endpointZones,
        ...gateway("availabilityZone", ["us-east-1a", "us-east-1b"], ["us-east-1a", "us-east-1c"]),
        res("aws:ec2/vpcEndpoint:VpcEndpoint", "later", {
          vpcEndpointType: "Interface",
          serviceName: "[unknown]",
          subnetIds: [],
        }),
      ),
      [
        "violation [endpoint-zones] endpoint (aws:ec2/vpcEndpoint:VpcEndpoint) subnetIds: has subnets in us-east-1c, where the load balancer of service has none (it serves us-east-1a, us-east-1b)",
        "skipped [endpoint-zones] later (aws:ec2/vpcEndpoint:VpcEndpoint) serviceName: computed at deploy time",
      ],
    );
  });

  it("endpoint-zones: compares zone IDs when every subnet is placed by ID", () => {
    assert.deepStrictEqual(
      lines(
        endpointZones,
        ...gateway("availabilityZoneId", ["use1-az1", "use1-az2"], ["use1-az2", "use1-az4"]),
      ),
      [
        "violation [endpoint-zones] endpoint (aws:ec2/vpcEndpoint:VpcEndpoint) subnetIds: has subnets in use1-az4, where the load balancer of service has none (it serves use1-az1, use1-az2)",
      ],
    );
  });

  it("summarises rules, resources, violations and skips with their reasons", () => {
    const report = checkAcceptance([
      res(SG, "g", { description: "[unknown]" }),
      res(SG, "h", { description: "ok" }),
    ]);
    assert.deepStrictEqual(renderAcceptance(report), [
      `skipped [ec2-description] g (${SG}) description: computed at deploy time`,
      "acceptance check: 12 rules over 2 resources; 0 violations, 1 skipped (1 computed at deploy time)",
    ]);
  });
});

describe("acceptance rule per resource", () => {
  const rule = resourceRule("size", "sizes of things", ["t:b", "t:a"], (r, { violation, unknown }) => {
    const size = r.inputs.size;
    if (size === UNKNOWN) return [unknown(r, "size")];
    return Number(size) > 2 ? [violation(r, "size", `${String(size)} is more than 2`)] : [];
  });

  it("judges each resource of its types, in the order of the types, and skips what is computed at deploy time", () => {
    const plan = new PlanView([
      res("t:a", "a1", { size: 3 }),
      res("t:b", "b1", { size: UNKNOWN }),
      res("t:c", "c1", { size: 9 }),
      res("t:a", "a2", { size: 1 }),
      res("t:b", "b2", { size: 5 }, { custom: false }),
    ]);
    assert.strictEqual(rule.id, "size");
    assert.strictEqual(rule.title, "sizes of things");
    assert.deepStrictEqual(
      rule
        .check(plan)
        .map((f) => [f.kind, f.rule, f.resource.name, f.input, "message" in f ? f.message : f.reason]),
      [
        ["skip", "size", "b1", "size", "computed at deploy time"],
        ["violation", "size", "a1", "size", "3 is more than 2"],
      ],
    );
  });
});
