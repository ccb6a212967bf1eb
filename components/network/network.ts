import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountScope } from "../shared/account";
import { mergeTags, Tags } from "../shared/tags";
import { TOKENS } from "../shared/tokens";
import { flowLogTrustPolicy, flowLogWritePolicy } from "./flow-log-policy";
import { keyPolicy } from "../shared/kms";
import { natGatewayCount, NatStrategy } from "./nat";
import { networkAzCount, networkSubnets, SubnetSpec } from "./subnet-plan";

/** Arguments of {@link Network}. */
export interface NetworkArgs {
  /** IPv4 block of the VPC, /16 to /28. */
  readonly cidrBlock: string;
  /**
   * Availability zone IDs (`use1-az1`), one per zone index: subnet `i` is placed by zone ID, never
   * by zone name, so the layout is the same physical zones in every account. The number of entries
   * is the number of zones; the values may be outputs (chosen by {@link lookupStackZones}).
   */
  readonly availabilityZoneIds: readonly pulumi.Input<string>[];
  /**
   * NAT gateways for the private subnets: `none` (no internet egress), `single` (one, in the first
   * zone's public subnet, shared by all zones) or `perAz` (one per zone; each private route table
   * uses its own zone's, so losing a zone does not cut the others off).
   */
  readonly natStrategy: NatStrategy;
  readonly publicSubnetPrefixLength: number;
  readonly privateSubnetPrefixLength: number;
  /** Days CloudWatch Logs keeps the flow logs. */
  readonly flowLogRetentionDays: number;
  /** Traffic the flow logs record: `ALL`, `ACCEPT` or `REJECT`. */
  readonly flowLogTrafficType: string;
  /** Tags for every child; each child adds its own `Name`. */
  readonly tags: Tags;
  /** Extra tags of the private subnets only (e.g. the autoscaler's subnet discovery tag). */
  readonly privateSubnetTags?: Tags;
}

export { DEFAULT_AZ_COUNT } from "./subnet-plan";
/** Flow-log aggregation interval: 60 s, the finest AWS offers, so short agent outages show up. */
export const FLOW_LOG_AGGREGATION_SEC = 60;

/**
 * Network is a component that builds one VPC for the blueprint: DNS support and hostnames on,
 * one public and one private subnet per availability zone (laid out by {@link planSubnets}), an
 * internet gateway for the public tier, NAT gateways per the NAT strategy, route tables, VPC flow
 * logs to CloudWatch Logs with their own least-privilege role, and the VPC's default security
 * group taken over with every rule removed.
 */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly cidrBlock: string;
  /** Public subnet IDs, in zone order. */
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  /** Private subnet IDs, in zone order. */
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  /** The same IDs, one output per zone, for children made per subnet (mount targets). */
  public readonly privateSubnetIdPerZone: pulumi.Output<string>[];
  /**
   * Private route table IDs, in zone order: for callers composing further resources (gateway
   * endpoints); the program itself does not read them.
   */
  public readonly privateRouteTableIds: pulumi.Output<string[]>;
  /** Public addresses of the NAT gateways (empty for `none`): the network's egress addresses. */
  public readonly natPublicIps: pulumi.Output<string[]>;
  /** IDs of the NAT gateways, in zone order (empty for `none`), for their alarms. */
  public readonly natGatewayIds: pulumi.Output<string>[];

  /**
   * @param name The _unique_ name of this component; every child's name starts with it.
   * @param args The network's layout and settings.
   * @param opts Options; providers given here reach every child.
   */
  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TOKENS.network, name, {}, opts);
    const parent = { parent: this };
    const tagged = (suffix: string, extra?: Tags) =>
      mergeTags(args.tags, extra, { Name: `${name}-${suffix}` });

    const zoneIds = args.availabilityZoneIds;
    const azCount = networkAzCount(zoneIds);
    const plan = networkSubnets(args);

    const vpc = new aws.ec2.Vpc(
      name,
      {
        cidrBlock: args.cidrBlock,
        enableDnsSupport: true,
        enableDnsHostnames: true,
        instanceTenancy: "default",
        tags: mergeTags(args.tags, { Name: name }),
      },
      parent,
    );

    // Take over the VPC's default security group and leave it without rules, so nothing that
    // lands in it by omission can talk to anything.
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, ingress: [], egress: [], tags: tagged("default-sg-unused") },
      parent,
    );

    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tagged("igw") }, parent);

    const subnets = new Map<string, aws.ec2.Subnet>();
    for (const spec of plan) {
      subnets.set(
        spec.key,
        new aws.ec2.Subnet(
          `${name}-${spec.key}`,
          {
            vpcId: vpc.id,
            cidrBlock: spec.cidrBlock,
            availabilityZoneId: zoneIds[spec.azIndex],
            // No automatic public addresses, even in the public tier: it holds only NAT gateways
            // and load balancers, which bring their own.
            mapPublicIpOnLaunch: false,
            tags: tagged(spec.key, {
              Tier: spec.tier,
              ...(spec.tier === "private" ? args.privateSubnetTags : {}),
            }),
          },
          parent,
        ),
      );
    }
    const tier = (t: SubnetSpec["tier"]) => plan.filter((s) => s.tier === t).map((s) => subnets.get(s.key)!);
    const publicSubnets = tier("public");
    const privateSubnets = tier("private");

    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public`,
      { vpcId: vpc.id, tags: tagged("public") },
      parent,
    );
    new aws.ec2.Route(
      `${name}-public-internet`,
      { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
      parent,
    );
    publicSubnets.forEach(
      (subnet, i) =>
        new aws.ec2.RouteTableAssociation(
          `${name}-public-${i}`,
          { subnetId: subnet.id, routeTableId: publicRoutes.id },
          parent,
        ),
    );

    const natCount = natGatewayCount(args.natStrategy, azCount);
    const nats = Array.from({ length: natCount }, (_, i) => {
      const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: tagged(`nat-${i}`) }, parent);
      return new aws.ec2.NatGateway(
        `${name}-nat-${i}`,
        {
          allocationId: eip.allocationId,
          subnetId: publicSubnets[i].id,
          connectivityType: "public",
          tags: tagged(`nat-${i}`),
        },
        { parent: this, dependsOn: [igw] },
      );
    });

    const privateRouteTables = privateSubnets.map((subnet, i) => {
      const table = new aws.ec2.RouteTable(
        `${name}-private-${i}`,
        { vpcId: vpc.id, tags: tagged(`private-${i}`) },
        parent,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-${i}`,
        { subnetId: subnet.id, routeTableId: table.id },
        parent,
      );
      if (natCount > 0) {
        new aws.ec2.Route(
          `${name}-private-${i}-nat`,
          { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[i % natCount].id },
          parent,
        );
      }
      return table;
    });

    this.flowLogs(name, vpc, args, tagged);

    this.vpcId = vpc.id;
    this.cidrBlock = args.cidrBlock;
    this.publicSubnetIds = pulumi.output(publicSubnets.map((s) => s.id));
    this.privateSubnetIdPerZone = privateSubnets.map((s) => s.id);
    this.privateSubnetIds = pulumi.output(this.privateSubnetIdPerZone);
    this.privateRouteTableIds = pulumi.output(privateRouteTables.map((t) => t.id));
    this.natPublicIps = pulumi.output(nats.map((n) => n.publicIp));
    this.natGatewayIds = nats.map((n) => n.id);
    this.registerOutputs({
      vpcId: this.vpcId,
      cidrBlock: this.cidrBlock,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      privateSubnetIdPerZone: this.privateSubnetIdPerZone,
      privateRouteTableIds: this.privateRouteTableIds,
      natPublicIps: this.natPublicIps,
      natGatewayIds: this.natGatewayIds,
    });
  }

  /** Flow logs of the whole VPC into their own log group, written by their own role. */
  private flowLogs(
    name: string,
    vpc: aws.ec2.Vpc,
    args: NetworkArgs,
    tagged: (suffix: string) => Record<string, string>,
  ): void {
    const parent = { parent: this };
    const scope = accountScope(this);
    const prefix = `/vpc-flow-logs/${name}-`;
    // A key of the network's own: CloudWatch Logs may use it for this network's flow logs only.
    const key = new aws.kms.Key(
      `${name}-flow-logs`,
      {
        description: `Encrypts the flow logs of ${name}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: scope.apply((s) => JSON.stringify(keyPolicy(s, { services: [], logGroups: [`${prefix}*`] }))),
        tags: tagged("flow-logs"),
      },
      parent,
    );
    const group = new aws.cloudwatch.LogGroup(
      `${name}-flow-logs`,
      {
        namePrefix: prefix,
        retentionInDays: args.flowLogRetentionDays,
        kmsKeyId: key.arn,
        tags: tagged("flow-logs"),
      },
      parent,
    );
    const role = new aws.iam.Role(
      `${name}-flow-logs`,
      {
        description: `Lets VPC flow logs of ${name} write to their log group`,
        assumeRolePolicy: scope.apply((s) => JSON.stringify(flowLogTrustPolicy(s))),
        tags: tagged("flow-logs"),
      },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: role.id,
        policy: pulumi
          .all([scope, group.arn])
          .apply(([s, logGroupArn]) => JSON.stringify(flowLogWritePolicy({ ...s, logGroupArn }))),
      },
      parent,
    );
    new aws.ec2.FlowLog(
      `${name}-flow-logs`,
      {
        vpcId: vpc.id,
        trafficType: args.flowLogTrafficType,
        logDestinationType: "cloud-watch-logs",
        logDestination: group.arn,
        iamRoleArn: role.arn,
        maxAggregationInterval: FLOW_LOG_AGGREGATION_SEC,
        tags: tagged("flow-logs"),
      },
      { parent: this, dependsOn: [policy] },
    );
  }
}
