/**
 * Monthly cost estimate of a {@link Plan}: quantities derived from the resources the program
 * declares (gateways, load balancers, endpoint zones, nodes, tasks, keys, secrets, log groups),
 * priced with the dated table in `prices.ts`, over a 730-hour month. Usage-based charges (data
 * processed, logs ingested, files stored) come from explicit {@link UsageAssumptions}, which the
 * estimate lists. Pure functions: no network, no AWS.
 *
 * What an estimate is not: a bill. It leaves out data transfer between zones and to the internet,
 * API requests, and anything the table marks as not priced; it reports resources it cannot price
 * in `unpriced` instead of counting them as free.
 */
import { Plan, PlannedResource } from "./engine";
import { Price, PRICES, PriceTable, RegionPrices, UNCONFIRMED } from "./prices";

/** Usage that list prices alone cannot give; every figure is per month. */
export interface UsageAssumptions {
  /** GB each NAT gateway processes (image pulls, plugin downloads, package updates). */
  readonly natGbPerGateway: number;
  /** Average load balancer capacity units an application load balancer consumes each hour. */
  readonly albLcuPerHour: number;
  /** Average capacity units a network load balancer consumes each hour. */
  readonly nlbNlcuPerHour: number;
  /** GB each interface endpoint processes (agent traffic to the controller). */
  readonly endpointGbPerEndpoint: number;
  /** GB of records each VPC flow log delivers. */
  readonly flowLogGbPerFlowLog: number;
  /** GB of control-plane logs each EKS cluster with logging on delivers (audit and api dominate). */
  readonly eksControlPlaneLogGbPerCluster: number;
  /** GB each other log group ingests (the controller's container logs). */
  readonly appLogGbPerGroup: number;
  /** Months a log group without a retention period has accumulated (for its storage). */
  readonly neverExpireLogMonths: number;
  /** GB stored in each EFS file system (JENKINS_HOME). */
  readonly efsStoredGbPerFileSystem: number;
  /** GB read from each EFS file system in elastic throughput mode. */
  readonly efsReadGbPerFileSystem: number;
  /** GB written to each EFS file system in elastic throughput mode. */
  readonly efsWriteGbPerFileSystem: number;
  /** GB of warm backup storage each AWS Backup vault holds. */
  readonly backupStoredGbPerVault: number;
  /** Custom metrics Container Insights publishes per ECS cluster (cluster, service, task family dimensions). */
  readonly containerInsightsMetricsPerCluster: number;
  /** GB of Container Insights performance log events per ECS cluster. */
  readonly containerInsightsLogGbPerCluster: number;
  /** Support tier of the EKS clusters' Kubernetes version. */
  readonly eksSupport: "standard" | "extended";
  /**
   * Million Container Insights observations a month per EKS cluster with the CloudWatch
   * observability add-on (every metric datapoint of every node, pod and container, each minute).
   */
  readonly eksInsightsMillionObservationsPerCluster: number;
  /**
   * Spot price as a share of the on-demand price. Spot prices move with supply and demand; the
   * Spot Instance Advisor (https://aws.amazon.com/ec2/spot/instance-advisor/) lists each type's
   * usual saving, mostly 50 to 90 % for the general-purpose types used here: 0.4 is a cautious
   * middle.
   */
  readonly spotPriceShare: number;
  /** Share of Spot-allowed agent node-hours that Spot serves (the rest fall back to on-demand). */
  readonly agentSpotShare: number;
}

export const DEFAULT_USAGE: UsageAssumptions = {
  natGbPerGateway: 50,
  albLcuPerHour: 0.1,
  nlbNlcuPerHour: 0.1,
  endpointGbPerEndpoint: 50,
  flowLogGbPerFlowLog: 5,
  eksControlPlaneLogGbPerCluster: 30,
  appLogGbPerGroup: 2,
  neverExpireLogMonths: 12,
  efsStoredGbPerFileSystem: 20,
  efsReadGbPerFileSystem: 50,
  efsWriteGbPerFileSystem: 20,
  backupStoredGbPerVault: 30,
  containerInsightsMetricsPerCluster: 30,
  containerInsightsLogGbPerCluster: 0.5,
  eksSupport: "standard",
  // About 20 nodes and pods at about 60 observations a minute each: 20 × 60 × 43,800 minutes.
  eksInsightsMillionObservationsPerCluster: 50,
  spotPriceShare: 0.4,
  agentSpotShare: 0.9,
};

/** How each assumption reads in a rendered estimate. */
const USAGE_LABELS: Record<keyof UsageAssumptions, (value: string) => string> = {
  natGbPerGateway: (v) => `${v} GB per NAT gateway`,
  albLcuPerHour: (v) => `${v} LCU per application load balancer-hour`,
  nlbNlcuPerHour: (v) => `${v} NLCU per network load balancer-hour`,
  endpointGbPerEndpoint: (v) => `${v} GB per interface endpoint`,
  flowLogGbPerFlowLog: (v) => `${v} GB per flow log`,
  eksControlPlaneLogGbPerCluster: (v) => `${v} GB of control-plane logs per EKS cluster`,
  appLogGbPerGroup: (v) => `${v} GB per other log group`,
  neverExpireLogMonths: (v) => `${v} months kept where no retention is set`,
  efsStoredGbPerFileSystem: (v) => `${v} GB stored per EFS file system`,
  efsReadGbPerFileSystem: (v) => `${v} GB read per EFS file system`,
  efsWriteGbPerFileSystem: (v) => `${v} GB written per EFS file system`,
  backupStoredGbPerVault: (v) => `${v} GB of backups per vault`,
  containerInsightsMetricsPerCluster: (v) => `${v} Container Insights metrics per ECS cluster`,
  containerInsightsLogGbPerCluster: (v) => `${v} GB of Container Insights events per ECS cluster`,
  eksSupport: (v) => `EKS ${v} support`,
  eksInsightsMillionObservationsPerCluster: (v) =>
    `${v} million Container Insights observations per EKS cluster with the observability add-on`,
  spotPriceShare: (v) => `Spot at ${v} of the on-demand price`,
  agentSpotShare: (v) => `${v} of Spot-allowed agent node-hours on Spot`,
};

/** One priced item of an estimate. */
export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPrice: number;
  /** Quantity × unit price, rounded to cents. */
  readonly monthlyUsd: number;
  /** How the quantity was derived: resources counted, hours, and the assumptions used. */
  readonly basis: string;
  /** The resource type whose declarations drive the line. */
  readonly resourceType: string;
  /** Set when the price table does not confirm the unit price (its note). */
  readonly priceNote?: string;
}

/** A declared resource that costs money but that the estimate cannot price. */
export interface UnpricedResource {
  readonly type: string;
  readonly name: string;
  readonly reason: string;
}

export interface CostEstimate {
  readonly stack: string;
  readonly region: string;
  readonly regionName: string;
  readonly hoursPerMonth: number;
  /** Date the prices were read. */
  readonly pricesReadOn: string;
  /** Distinct pages and offer files the prices used come from. */
  readonly sources: string[];
  readonly lines: CostLine[];
  /** Sum of the lines' monthly amounts. */
  readonly totalMonthlyUsd: number;
  readonly unpriced: UnpricedResource[];
  /** The assumptions in force (defaults merged with the caller's). */
  readonly usage: UsageAssumptions;
  /** The assumptions some line used, in the order of {@link DEFAULT_USAGE}. */
  readonly usageApplied: (keyof UsageAssumptions)[];
  /** Charges an estimate never includes. */
  readonly notIncluded: string[];
}

export const NOT_INCLUDED = [
  "data transfer between zones and to the internet",
  "API requests (KMS, Secrets Manager, CloudWatch, EFS metadata)",
  "KMS charges for rotated key versions (from the second year)",
  "Route 53 queries",
];

/** Resource types the estimate reads. */
const T = {
  nat: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  eksCluster: "aws:eks/cluster:Cluster",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  ecsCluster: "aws:ecs/cluster:Cluster",
  ecsService: "aws:ecs/service:Service",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  fileSystem: "aws:efs/fileSystem:FileSystem",
  backupVault: "aws:backup/vault:Vault",
  kmsKey: "aws:kms/key:Key",
  secret: "aws:secretsmanager/secret:Secret",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  flowLog: "aws:ec2/flowLog:FlowLog",
  zone: "aws:route53/zone:Zone",
  certificate: "aws:acm/certificate:Certificate",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  logMetricFilter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
  addon: "aws:eks/addon:Addon",
  nodePool: "kubernetes:karpenter.sh/v1:NodePool",
  nodeClass: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
} as const;

/** Types that produce cost lines when declared (the ECS cluster only with Container Insights on). */
export const PRICED_TYPES: readonly string[] = [
  T.nat,
  T.eip,
  T.loadBalancer,
  T.endpoint,
  T.eksCluster,
  T.nodeGroup,
  T.nodePool,
  T.ecsCluster,
  T.ecsService,
  T.fileSystem,
  T.backupVault,
  T.kmsKey,
  T.secret,
  T.logGroup,
  T.flowLog,
  T.zone,
  T.metricAlarm,
  T.dashboard,
  T.logMetricFilter,
];

/** AWS types with no charge of their own, and why. Any other AWS type is reported as unpriced. */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  "aws:ec2/vpc:Vpc": "no charge",
  "aws:ec2/subnet:Subnet": "no charge",
  "aws:ec2/internetGateway:InternetGateway": "no charge",
  "aws:ec2/routeTable:RouteTable": "no charge",
  "aws:ec2/route:Route": "no charge",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "no charge",
  "aws:ec2/securityGroup:SecurityGroup": "no charge",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "no charge",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "no charge",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "no charge",
  "aws:iam/role:Role": "no charge",
  "aws:iam/rolePolicy:RolePolicy": "no charge",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "no charge",
  "aws:ec2/vpcEndpointService:VpcEndpointService":
    "no charge to the service owner; its load balancer and the consumers' endpoints are priced",
  "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple": "no charge",
  "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter": "no charge",
  "aws:lb/listener:Listener": "priced with its load balancer",
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders":
    "no charge; the tasks it places are priced with their service",
  "aws:lb/targetGroup:TargetGroup": "priced with its load balancer",
  "aws:eks/accessEntry:AccessEntry": "no charge",
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": "no charge",
  "aws:eks/addon:Addon": "no charge for the add-on; it runs on the priced nodes",
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": "no charge",
  "aws:ec2/tag:Tag": "no charge",
  "aws:sqs/queue:Queue":
    "within the SQS free tier of 1 million requests a month: Karpenter's leader long-polls about 130,000 times a month",
  "aws:sqs/queuePolicy:QueuePolicy": "no charge",
  "aws:cloudwatch/eventRule:EventRule": "events AWS services publish to the default bus are free",
  "aws:cloudwatch/eventTarget:EventTarget": "no charge for delivering AWS service events",
  [T.launchTemplate]: "its root volume is priced with the node group that uses it",
  [T.taskDefinition]: "priced through the ECS service that runs it",
  "aws:efs/accessPoint:AccessPoint": "no charge",
  "aws:efs/mountTarget:MountTarget": "no charge",
  "aws:efs/fileSystemPolicy:FileSystemPolicy": "no charge",
  "aws:kms/alias:Alias": "no charge",
  "aws:secretsmanager/secretVersion:SecretVersion": "included in the secret's price",
  "aws:backup/plan:Plan": "storage is priced with the vault",
  "aws:backup/selection:Selection": "storage is priced with the vault",
  "aws:route53/record:Record": "no charge; alias queries to AWS resources are free",
  [T.certificate]: "imported and non-exportable ACM certificates are free",
  "aws:sns/topic:Topic":
    "no charge for the topic; alarm notifications stay within the free million publishes, 1,000 emails and 100,000 HTTPS deliveries a month",
  "aws:sns/topicPolicy:TopicPolicy": "no charge",
  "aws:sns/topicSubscription:TopicSubscription": "deliveries priced with the topic",
};

/** Packages whose resources are not billed themselves (Kubernetes objects run on the priced nodes). */
const FREE_PACKAGES = new Set(["kubernetes", "tls", "random"]);

type Inputs = Record<string, unknown>;

const isObject = (v: unknown): v is Inputs => typeof v === "object" && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | undefined => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
};
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Rounds to 6 decimals, so quantities such as 0.1 × 730 read as 73. */
const roundQuantity = (x: number) => Math.round(Number((x * 1e6).toPrecision(15))) / 1e6;
/** Whole cents, half up, immune to binary noise (16.425 → 1643). */
const cents = (usd: number) => Math.round(Number((usd * 100).toPrecision(12)));

/** Collects lines, merging those of the same item. */
class Lines {
  private readonly byItem = new Map<
    string,
    { price: Price; quantity: number; basis: string[]; resourceType: string }
  >();

  add(item: string, price: Price, quantity: number, basis: string, resourceType: string): void {
    const existing = this.byItem.get(item);
    if (existing) {
      existing.quantity += quantity;
      existing.basis.push(basis);
    } else {
      this.byItem.set(item, { price, quantity, basis: [basis], resourceType });
    }
  }

  build(): CostLine[] {
    return [...this.byItem.entries()].map(([item, { price, quantity, basis, resourceType }]) => {
      const q = roundQuantity(quantity);
      const line: CostLine = {
        item,
        quantity: q,
        unit: price.unit,
        unitPrice: price.usd,
        monthlyUsd: cents(q * price.usd) / 100,
        basis: basis.join("; "),
        resourceType,
      };
      return price.note?.startsWith(UNCONFIRMED) ? { ...line, priceNote: price.note } : line;
    });
  }

  sources(): string[] {
    return [...new Set([...this.byItem.values()].map((l) => l.price.source))].sort();
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The log group a flow log delivers to: by ARN, else by the group name in the destination ARN. */
function destinationGroup(groups: PlannedResource[], destination: string): PlannedResource | undefined {
  const byArn = groups.find((g) => g.state?.arn === destination);
  if (byArn) return byArn;
  const name = destination.split(":log-group:")[1]?.replace(/:\*$/, "");
  if (name === undefined) return undefined;
  return groups.find((g) => {
    const exact = str(g.state?.name) ?? str(g.inputs.name);
    const prefix = str(g.inputs.namePrefix);
    return exact === name || (exact === undefined && prefix !== undefined && name.startsWith(prefix));
  });
}

/** The task definition an ECS service runs: by ARN, else by family (`family` or `family:revision`). */
function taskDefinitionOf(definitions: PlannedResource[], reference: string): PlannedResource | undefined {
  const family = reference.split("task-definition/").pop()?.split(":")[0];
  return (
    definitions.find((d) => d.state?.arn === reference || d.id === reference) ??
    definitions.find((d) => d.inputs.family === family)
  );
}

/** What the pricing steps of one estimate share. */
interface Pricing {
  readonly p: RegionPrices;
  readonly region: string;
  readonly hours: number;
  readonly usage: UsageAssumptions;
  readonly lines: Lines;
  /** The declared custom resources of a type. */
  ofType(type: string): PlannedResource[];
  /** An assumption, recorded as applied. */
  use<K extends keyof UsageAssumptions>(key: K): UsageAssumptions[K];
  /** Reports a resource the table cannot price. */
  refuse(r: PlannedResource, reason: string): void;
}

/** NAT gateways: hours and data processed. */
function priceNatGateways(c: Pricing): void {
  const { p, hours: H, lines, use, ofType } = c;
  const nats = ofType(T.nat);
  if (nats.length > 0) {
    lines.add("NAT gateway", p.natGatewayHour, nats.length * H, `${nats.length} × ${T.nat} × ${H} h`, T.nat);
    const gb = use("natGbPerGateway");
    lines.add(
      "NAT gateway data processed",
      p.natGatewayGb,
      nats.length * gb,
      `${plural(nats.length, "gateway")} × ${gb} GB (natGbPerGateway)`,
      T.nat,
    );
  }
}

/**
 * Load balancers by type, and public IPv4 addresses: the elastic IPs (the NAT gateways') and one per
 * subnet of each internet-facing load balancer.
 */
function priceLoadBalancers(c: Pricing): void {
  const { p, hours: H, lines, use, refuse, ofType } = c;
  const balancers = ofType(T.loadBalancer);
  let publicLbAddresses = 0;
  const lbKinds = [
    {
      kind: "network",
      item: "Network Load Balancer",
      hour: p.nlbHour,
      lcu: p.nlbNlcuHour,
      key: "nlbNlcuPerHour",
    },
    {
      kind: "application",
      item: "Application Load Balancer",
      hour: p.albHour,
      lcu: p.albLcuHour,
      key: "albLcuPerHour",
    },
  ] as const;
  for (const lb of balancers) {
    const kind = str(lb.inputs.loadBalancerType) ?? "application";
    if (!lbKinds.some((k) => k.kind === kind)) {
      refuse(lb, `no price for ${kind} load balancers in the table`);
    } else if (lb.inputs.internal !== true) {
      publicLbAddresses += Math.max(list(lb.inputs.subnets).length, list(lb.inputs.subnetMappings).length);
    }
  }
  for (const { kind, item, hour, lcu, key } of lbKinds) {
    const count = balancers.filter(
      (lb) => (str(lb.inputs.loadBalancerType) ?? "application") === kind,
    ).length;
    if (count === 0) continue;
    const internal = balancers.filter(
      (lb) => (str(lb.inputs.loadBalancerType) ?? "application") === kind && lb.inputs.internal === true,
    ).length;
    lines.add(
      item,
      hour,
      count * H,
      `${count} × ${T.loadBalancer} (${kind}; ${internal} internal, ${count - internal} internet-facing) × ${H} h`,
      T.loadBalancer,
    );
    const units = use(key);
    lines.add(
      `${item} capacity units`,
      lcu,
      count * units * H,
      `${count} × ${units} (${key}) × ${H} h`,
      T.loadBalancer,
    );
  }

  const eips = ofType(T.eip).length;
  if (eips + publicLbAddresses > 0) {
    const parts = [`${eips} × ${T.eip}`];
    if (publicLbAddresses > 0)
      parts.push(`${publicLbAddresses} internet-facing load balancer addresses (one per subnet)`);
    lines.add(
      "Public IPv4 address",
      p.publicIpv4Hour,
      (eips + publicLbAddresses) * H,
      `${parts.join(" + ")} × ${H} h`,
      eips > 0 ? T.eip : T.loadBalancer,
    );
  }
}

/** Interface endpoints: one hourly charge per endpoint and zone (subnet), plus data processed. */
function priceEndpoints(c: Pricing): void {
  const { p, hours: H, lines, use, refuse, ofType } = c;
  let endpointZones = 0;
  let interfaceEndpoints = 0;
  for (const ep of ofType(T.endpoint)) {
    const type = str(ep.inputs.vpcEndpointType) ?? "Gateway";
    if (type === "Gateway") continue;
    if (type !== "Interface") {
      refuse(ep, `no price for ${type} endpoints in the table`);
      continue;
    }
    interfaceEndpoints += 1;
    endpointZones += list(ep.inputs.subnetIds).length;
  }
  if (interfaceEndpoints > 0) {
    lines.add(
      "Interface endpoint zone",
      p.interfaceEndpointAzHour,
      endpointZones * H,
      `${plural(interfaceEndpoints, "interface endpoint")} in ${plural(endpointZones, "subnet")} × ${H} h`,
      T.endpoint,
    );
    const gb = use("endpointGbPerEndpoint");
    lines.add(
      "Interface endpoint data processed",
      p.interfaceEndpointGb,
      interfaceEndpoints * gb,
      `${plural(interfaceEndpoints, "endpoint")} × ${gb} GB (endpointGbPerEndpoint)`,
      T.endpoint,
    );
  }
}

/** EKS control planes, at the support tier of the assumptions. */
function priceEksControlPlanes(c: Pricing): void {
  const { p, hours: H, lines, use, ofType } = c;
  const clusters = ofType(T.eksCluster);
  if (clusters.length > 0) {
    const support = use("eksSupport");
    const versions = [...new Set(clusters.map((c) => str(c.inputs.version) ?? "?"))].join(", ");
    lines.add(
      `EKS control plane (${support} support)`,
      support === "extended" ? p.eksExtendedSupportClusterHour : p.eksClusterHour,
      clusters.length * H,
      `${clusters.length} × ${T.eksCluster} (Kubernetes ${versions}) × ${H} h`,
      T.eksCluster,
    );
  }
}

/** Managed node groups: desired nodes of the first listed instance type, and their root volumes. */
function priceNodeGroups(c: Pricing): void {
  const { p, hours: H, lines, refuse, ofType, region } = c;
  const templates = ofType(T.launchTemplate);
  for (const ng of ofType(T.nodeGroup)) {
    const scaling = isObject(ng.inputs.scalingConfig) ? ng.inputs.scalingConfig : {};
    const desired = num(scaling.desiredSize) ?? num(scaling.minSize) ?? 0;
    const capacity = str(ng.inputs.capacityType) ?? "ON_DEMAND";
    const ltRef = isObject(ng.inputs.launchTemplate) ? ng.inputs.launchTemplate : undefined;
    const lt = ltRef
      ? templates.find(
          (t) =>
            (ltRef.id !== undefined && t.id === ltRef.id) ||
            (ltRef.name !== undefined && t.inputs.name === ltRef.name),
        )
      : undefined;
    const types = list(ng.inputs.instanceTypes).map(String);
    const instanceType = types[0] ?? str(lt?.inputs.instanceType) ?? "t3.medium";
    const ami = str(ng.inputs.amiType) ?? "";
    const spot = capacity === "SPOT";
    if (capacity !== "ON_DEMAND" && !spot) {
      refuse(ng, `${capacity} capacity is not in the price table (on-demand and Spot only)`);
    } else if (ami.includes("WINDOWS")) {
      refuse(ng, `${ami} nodes are not in the price table (Linux only)`);
    } else if (!p.ec2OnDemandHour[instanceType]) {
      refuse(ng, `no on-demand price for ${instanceType} in ${region}`);
    } else {
      const choice =
        types.length > 1
          ? spot
            ? `, priced as the first of ${types.join(", ")}`
            : `, the first of ${types.join(", ")} (on-demand node groups launch the listed types in order)`
          : "";
      const onDemand = p.ec2OnDemandHour[instanceType];
      const share = spot ? c.use("spotPriceShare") : 1;
      lines.add(
        `EC2 ${instanceType} (${spot ? "Spot" : "on-demand"}, Linux)`,
        spot ? spotPrice(onDemand, share) : onDemand,
        desired * H,
        `${plural(desired, "node")} (desiredSize of ${ng.name})${choice} × ${H} h${spot ? ` (Spot at ${share} of on-demand: spotPriceShare)` : ""}`,
        T.nodeGroup,
      );
    }
    const ebs = lt
      ? list(lt.inputs.blockDeviceMappings)
          .map((m) => (isObject(m) ? m.ebs : undefined))
          .find(isObject)
      : undefined;
    const size = num(ebs?.volumeSize) ?? num(ng.inputs.diskSize) ?? 20;
    const volumeType = str(ebs?.volumeType) ?? "gp3";
    const volumePrice = p.ebsGbMonth[volumeType];
    if (!volumePrice) {
      refuse(ng, `no price for ${volumeType} volumes in ${region}`);
    } else {
      const from = ebs ? `launch template ${lt?.name}` : "node group default, volume type assumed gp3";
      lines.add(
        `EBS ${volumeType} volume (node root)`,
        volumePrice,
        desired * size,
        `${plural(desired, "node")} of ${ng.name} × ${size} GiB (${from})`,
        T.nodeGroup,
      );
    }
  }
}

/** A Spot price: the on-demand price times the assumed share, marked as an assumption. */
function spotPrice(onDemand: Price, share: number): Price {
  return {
    usd: Number((onDemand.usd * share).toPrecision(12)),
    unit: onDemand.unit,
    source: onDemand.source,
    note: `${UNCONFIRMED}: Spot prices vary; ${share} × the on-demand $${onDemand.usd} (spotPriceShare).`,
  };
}

/** The instance type an agent NodePool is priced as: its first family's `large`, else by architecture. */
const REFERENCE_AGENT_TYPE: Readonly<Record<string, string>> = { amd64: "m6i.large", arm64: "m6g.large" };

/**
 * Karpenter NodePools: the node-hours their `jenkins-agent-bridge/expected-node-hours-per-month`
 * annotation states (the stack's `agentNodes.expectedNodeHoursPerMonth`), on Spot for the assumed
 * share when the pool allows Spot, priced as a reference instance type, plus their root volumes.
 * Agent capacity is zero when no build runs, so the hours are all an assumption.
 */
function priceNodePools(c: Pricing): void {
  const { p, hours: H, lines, refuse, ofType, region } = c;
  const classes = ofType(T.nodeClass);
  for (const pool of ofType(T.nodePool)) {
    const metadata = isObject(pool.inputs.metadata) ? pool.inputs.metadata : {};
    const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
    const hours = num(annotations["jenkins-agent-bridge/expected-node-hours-per-month"]);
    const spec = isObject(pool.inputs.spec) ? pool.inputs.spec : {};
    const template = isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : {};
    const requirements = list(template.requirements).filter(isObject);
    const values = (key: string) => list(requirements.find((r) => r.key === key)?.values).map(String);
    if (hours === undefined) {
      refuse(pool, "no expected node-hours annotation to price it by");
      continue;
    }
    const family = values("karpenter.k8s.aws/instance-family")[0];
    const byFamily = family !== undefined ? `${family}.large` : undefined;
    const instanceType =
      byFamily !== undefined && p.ec2OnDemandHour[byFamily]
        ? byFamily
        : REFERENCE_AGENT_TYPE[values("kubernetes.io/arch")[0] ?? "amd64"];
    const onDemand = instanceType ? p.ec2OnDemandHour[instanceType] : undefined;
    if (!instanceType || !onDemand) {
      refuse(pool, `no on-demand price for its reference instance type in ${region}`);
      continue;
    }
    const spotAllowed = values("karpenter.sh/capacity-type").includes("spot");
    const spotShare = spotAllowed ? c.use("agentSpotShare") : 0;
    const basis = `${hours} node-hours (expected-node-hours-per-month of ${pool.name}), priced as ${instanceType}`;
    if (spotShare > 0) {
      const share = c.use("spotPriceShare");
      lines.add(
        `EC2 ${instanceType} (agent nodes, Spot, Linux)`,
        spotPrice(onDemand, share),
        hours * spotShare,
        `${basis} × ${spotShare} on Spot (agentSpotShare)`,
        T.nodePool,
      );
    }
    if (spotShare < 1) {
      lines.add(
        `EC2 ${instanceType} (agent nodes, on-demand, Linux)`,
        onDemand,
        hours * (1 - spotShare),
        spotAllowed
          ? `${basis} × ${roundQuantity(1 - spotShare)} on-demand fallback`
          : `${basis}, on-demand only`,
        T.nodePool,
      );
    }
    const nodeClassName = isObject(template.nodeClassRef) ? template.nodeClassRef.name : undefined;
    const nodeClass = classes.find(
      (k) => isObject(k.inputs.metadata) && k.inputs.metadata.name === nodeClassName,
    );
    const classSpec = nodeClass && isObject(nodeClass.inputs.spec) ? nodeClass.inputs.spec : {};
    const root = list(classSpec.blockDeviceMappings)
      .filter(isObject)
      .map((m) => (isObject(m.ebs) ? m.ebs : {}))[0];
    const sizeGiB = num(String(root?.volumeSize ?? "").replace(/Gi$/, ""));
    const volumeType = str(root?.volumeType) ?? "gp3";
    if (sizeGiB === undefined || !p.ebsGbMonth[volumeType]) {
      refuse(pool, `no root volume of a priced type in its node class ${String(nodeClassName)}`);
      continue;
    }
    lines.add(
      `EBS ${volumeType} volume (agent node root)`,
      p.ebsGbMonth[volumeType],
      (hours / H) * sizeGiB,
      `${hours} node-hours / ${H} h × ${sizeGiB} GiB (node class ${nodeClass?.name})`,
      T.nodePool,
    );
  }
}

/** ECS services on Fargate: desired tasks × the task definition's CPU and memory. */
function priceFargateServices(c: Pricing): void {
  const { p, hours: H, lines, refuse, ofType } = c;
  const definitions = ofType(T.taskDefinition);
  for (const svc of ofType(T.ecsService)) {
    const strategies = list(svc.inputs.capacityProviderStrategies).filter(isObject);
    const launch =
      str(svc.inputs.launchType) ??
      (strategies.length === 1 ? str(strategies[0].capacityProvider) : undefined) ??
      (strategies.length > 1 ? "a mix of capacity providers" : "EC2");
    if (launch !== "FARGATE" && launch !== "FARGATE_SPOT") {
      refuse(svc, `${launch} capacity is not in the price table (Fargate and Fargate Spot only)`);
      continue;
    }
    const spot = launch === "FARGATE_SPOT";
    const td = taskDefinitionOf(definitions, String(svc.inputs.taskDefinition ?? ""));
    if (!td) {
      refuse(svc, `its task definition ${String(svc.inputs.taskDefinition)} is not in the plan`);
      continue;
    }
    const platform = isObject(td.inputs.runtimePlatform) ? td.inputs.runtimePlatform : {};
    const os = str(platform.operatingSystemFamily) ?? "LINUX";
    const arch = str(platform.cpuArchitecture) ?? "X86_64";
    const fargate = p.fargate[arch];
    const vcpu = (num(td.inputs.cpu) ?? 0) / 1024;
    const gb = (num(td.inputs.memory) ?? 0) / 1024;
    if (os !== "LINUX" || !fargate) {
      refuse(svc, `Fargate ${os}/${arch} is not in the price table`);
      continue;
    }
    if (spot && arch !== "X86_64") {
      refuse(svc, `Fargate Spot runs no ${arch} tasks`);
      continue;
    }
    const extraStorage = num(
      isObject(td.inputs.ephemeralStorage) ? td.inputs.ephemeralStorage.sizeInGib : undefined,
    );
    if (extraStorage !== undefined && extraStorage > 20) {
      refuse(
        td,
        `ephemeral storage above the included 20 GiB (${extraStorage} GiB) is not in the price table`,
      );
    }
    const tasks = num(svc.inputs.desiredCount) ?? 0;
    const basis = `${plural(tasks, "task")} (desiredCount of ${svc.name}) × ${td.name}`;
    const share = spot ? c.use("spotPriceShare") : 1;
    const kind = spot ? `Fargate Spot` : "Fargate";
    const onSpot = spot ? ` (Spot at ${share} of on-demand: spotPriceShare)` : "";
    for (const [what, price, quantity, size] of [
      ["vCPU", fargate.vcpuHour, tasks * vcpu * H, `${vcpu} vCPU`],
      ["memory", fargate.gbHour, tasks * gb * H, `${gb} GB`],
    ] as const) {
      lines.add(
        `${kind} ${what} (Linux/${arch})`,
        spot ? spotPrice(price, share) : price,
        quantity,
        `${basis} ${size} × ${H} h${onSpot}`,
        T.ecsService,
      );
    }
  }
}

/** EFS: storage, and data read and written in elastic throughput mode. */
function priceFileSystems(c: Pricing): void {
  const { p, lines, use, refuse, ofType } = c;
  for (const fs of ofType(T.fileSystem)) {
    const mode = str(fs.inputs.throughputMode) ?? "bursting";
    if (fs.inputs.availabilityZoneName !== undefined) {
      refuse(fs, "One Zone storage is not in the price table");
      continue;
    }
    const stored = use("efsStoredGbPerFileSystem");
    lines.add(
      "EFS Standard storage",
      p.efsStandardGbMonth,
      stored,
      `${fs.name}: ${stored} GB (efsStoredGbPerFileSystem)`,
      T.fileSystem,
    );
    if (mode === "elastic") {
      const read = use("efsReadGbPerFileSystem");
      const written = use("efsWriteGbPerFileSystem");
      lines.add(
        "EFS elastic throughput reads",
        p.efsElasticReadGb,
        read,
        `${fs.name}: ${read} GB (efsReadGbPerFileSystem)`,
        T.fileSystem,
      );
      lines.add(
        "EFS elastic throughput writes",
        p.efsElasticWriteGb,
        written,
        `${fs.name}: ${written} GB (efsWriteGbPerFileSystem)`,
        T.fileSystem,
      );
    } else if (mode !== "bursting") {
      refuse(fs, `${mode} throughput is not in the price table`);
    }
  }
}

/** Backup vaults (this blueprint backs up EFS only), keys, secrets and hosted zones: monthly charges. */
function priceMonthlyCharges(c: Pricing): void {
  const { p, lines, use, ofType } = c;
  const vaults = ofType(T.backupVault);
  if (vaults.length > 0) {
    const gb = use("backupStoredGbPerVault");
    lines.add(
      "AWS Backup EFS warm storage",
      p.backupEfsWarmGbMonth,
      vaults.length * gb,
      `${vaults.length} × ${T.backupVault} × ${gb} GB (backupStoredGbPerVault)`,
      T.backupVault,
    );
  }

  const keys = ofType(T.kmsKey);
  if (keys.length > 0) {
    const rotating = keys.filter((k) => k.inputs.enableKeyRotation === true).length;
    lines.add(
      "KMS customer managed key",
      p.kmsKeyMonth,
      keys.length,
      `${keys.length} × ${T.kmsKey} (${rotating} with yearly rotation; first-year price)`,
      T.kmsKey,
    );
  }
  const secrets = ofType(T.secret);
  if (secrets.length > 0) {
    lines.add(
      "Secrets Manager secret",
      p.secretMonth,
      secrets.length,
      `${secrets.length} × ${T.secret}`,
      T.secret,
    );
  }
  const zones = ofType(T.zone);
  if (zones.length > 0) {
    lines.add(
      "Route 53 hosted zone",
      p.route53HostedZoneMonth,
      zones.length,
      `${zones.length} × ${T.zone}`,
      T.zone,
    );
  }
}

/**
 * CloudWatch: what each log group ingests (flow logs and EKS control-plane logs are vended logs),
 * its storage at steady state (monthly ingestion × retention), and Container Insights.
 */
function priceLogs(c: Pricing): void {
  const { p, hours: H, lines, use, refuse, ofType, usage: u } = c;
  const clusters = ofType(T.eksCluster);
  const groups = ofType(T.logGroup);
  const ingestOf = new Map<PlannedResource, number>();
  let vendedGb = 0;
  const vendedBasis: string[] = [];
  let standardGb = 0;
  const standardBasis: string[] = [];
  const storage: { gb: number; basis: string }[] = [];
  const daysPerMonth = H / 24;
  const storedGb = (gb: number, retentionDays: number | undefined) =>
    retentionDays ? (gb * retentionDays) / daysPerMonth : gb * use("neverExpireLogMonths");
  const retentionText = (days: number | undefined) => (days ? `${days} days kept` : "never expires");

  const flowLogs = ofType(T.flowLog);
  let deliveredFlowLogs = 0;
  for (const fl of flowLogs) {
    const destinationType = str(fl.inputs.logDestinationType) ?? "cloud-watch-logs";
    if (destinationType !== "cloud-watch-logs") {
      refuse(fl, `delivery to ${destinationType} is not in the price table`);
      continue;
    }
    const gb = use("flowLogGbPerFlowLog");
    deliveredFlowLogs += 1;
    vendedGb += gb;
    const group = destinationGroup(groups, String(fl.inputs.logDestination ?? ""));
    if (group) {
      ingestOf.set(group, gb);
    } else {
      const stored = storedGb(gb, undefined);
      storage.push({
        gb: stored,
        basis: `flow log ${fl.name}: group outside the plan, ${retentionText(undefined)}`,
      });
    }
  }
  if (deliveredFlowLogs > 0) {
    vendedBasis.push(
      `${deliveredFlowLogs} × ${T.flowLog} × ${u.flowLogGbPerFlowLog} GB (flowLogGbPerFlowLog)`,
    );
  }
  const loggingClusters = clusters.filter((c) => list(c.inputs.enabledClusterLogTypes).length > 0);
  for (const cluster of loggingClusters) {
    const gb = use("eksControlPlaneLogGbPerCluster");
    vendedGb += gb;
    const name = str(cluster.inputs.name) ?? str(cluster.state?.name);
    const group = groups.find(
      (g) => (str(g.inputs.name) ?? str(g.state?.name)) === `/aws/eks/${name}/cluster`,
    );
    if (group) {
      ingestOf.set(group, gb);
    } else {
      storage.push({
        gb: storedGb(gb, undefined),
        basis: `EKS ${cluster.name}: group created by EKS, never expires`,
      });
    }
  }
  if (loggingClusters.length > 0) {
    vendedBasis.push(
      `${loggingClusters.length} × ${T.eksCluster} with control-plane logging × ${u.eksControlPlaneLogGbPerCluster} GB (eksControlPlaneLogGbPerCluster)`,
    );
  }
  const otherGroups = groups.filter((g) => !ingestOf.has(g));
  for (const group of otherGroups) {
    const gb = use("appLogGbPerGroup");
    standardGb += gb;
    ingestOf.set(group, gb);
  }
  if (otherGroups.length > 0) {
    standardBasis.push(
      `${otherGroups.length} other ${T.logGroup} × ${u.appLogGbPerGroup} GB (appLogGbPerGroup)`,
    );
  }
  for (const group of groups) {
    const gb = ingestOf.get(group) ?? 0;
    const days = num(group.inputs.retentionInDays);
    storage.push({ gb: storedGb(gb, days), basis: `${group.name} ${gb} GB/month, ${retentionText(days)}` });
  }

  // Container Insights on ECS clusters: custom metrics and performance log events.
  let insightClusters = 0;
  for (const ecs of ofType(T.ecsCluster)) {
    const setting = list(ecs.inputs.settings)
      .filter(isObject)
      .find((s) => s.name === "containerInsights");
    const value = str(setting?.value) ?? "disabled";
    if (value === "enabled") {
      insightClusters += 1;
    } else if (value !== "disabled") {
      refuse(ecs, `Container Insights "${value}" is not in the price table`);
    }
  }
  if (insightClusters > 0) {
    const metrics = use("containerInsightsMetricsPerCluster");
    lines.add(
      "CloudWatch custom metrics (Container Insights)",
      p.customMetricMonth,
      insightClusters * metrics,
      `${insightClusters} × ${T.ecsCluster} with Container Insights × ${metrics} metrics (containerInsightsMetricsPerCluster)`,
      T.ecsCluster,
    );
    const gb = use("containerInsightsLogGbPerCluster");
    standardGb += insightClusters * gb;
    standardBasis.push(
      `${insightClusters} Container Insights cluster × ${gb} GB (containerInsightsLogGbPerCluster)`,
    );
  }

  if (standardGb > 0) {
    lines.add("CloudWatch Logs ingestion", p.logsIngestGb, standardGb, standardBasis.join(" + "), T.logGroup);
  }
  if (vendedGb > 0) {
    lines.add(
      "CloudWatch vended logs ingestion",
      p.logsVendedIngestGb,
      vendedGb,
      vendedBasis.join(" + "),
      deliveredFlowLogs > 0 ? T.flowLog : T.eksCluster,
    );
  }
  const storedTotal = storage.reduce((sum, s) => sum + s.gb, 0);
  if (storedTotal > 0) {
    lines.add(
      "CloudWatch Logs storage",
      p.logsStorageGbMonth,
      storedTotal,
      `steady state, uncompressed (an upper bound): ${storage.map((s) => s.basis).join("; ")}`,
      T.logGroup,
    );
  }
}

/**
 * Monitoring: alarms (per metric each evaluates), dashboards, the custom metrics log metric
 * filters publish (the scheduled agent path check), and Container Insights observations of EKS
 * clusters with the CloudWatch observability add-on. The check's pod itself runs on the priced
 * agent nodes and its log lines are part of the cluster's log groups.
 */
function priceMonitoring(c: Pricing): void {
  const { p, lines, use, ofType } = c;
  const alarms = ofType(T.metricAlarm);
  if (alarms.length > 0) {
    const metrics = alarms.reduce(
      (sum, a) => sum + (list(a.inputs.metricQueries).filter((q) => isObject(q) && q.metric).length || 1),
      0,
    );
    lines.add(
      "CloudWatch alarms",
      p.alarmMetricMonth,
      metrics,
      `${alarms.length} × ${T.metricAlarm} evaluating ${metrics} metrics`,
      T.metricAlarm,
    );
  }
  const dashboards = ofType(T.dashboard);
  if (dashboards.length > 0) {
    lines.add(
      "CloudWatch dashboard",
      p.dashboardMonth,
      dashboards.length,
      `${dashboards.length} × ${T.dashboard}`,
      T.dashboard,
    );
  }
  const filterMetrics = new Set(
    ofType(T.logMetricFilter).map((f) => {
      const t = isObject(f.inputs.metricTransformation) ? f.inputs.metricTransformation : {};
      return `${str(t.namespace)}/${str(t.name)}`;
    }),
  );
  if (filterMetrics.size > 0) {
    lines.add(
      "CloudWatch custom metrics (log metric filters)",
      p.customMetricMonth,
      filterMetrics.size,
      `${filterMetrics.size} distinct metrics published by ${T.logMetricFilter} (the agent path check)`,
      T.logMetricFilter,
    );
  }
  const insights = ofType(T.addon).filter((a) => a.inputs.addonName === "amazon-cloudwatch-observability");
  if (insights.length > 0) {
    const millions = use("eksInsightsMillionObservationsPerCluster");
    lines.add(
      "Container Insights observations (EKS)",
      p.eksInsightsObservationMillion,
      insights.length * millions,
      `${insights.length} × ${T.addon} amazon-cloudwatch-observability × ${millions} million (eksInsightsMillionObservationsPerCluster)`,
      T.addon,
    );
  }
}

/**
 * Estimates the monthly cost of a plan in a region. Throws if the price table has no such region.
 * `usage` overrides any of {@link DEFAULT_USAGE}; `table` defaults to the committed {@link PRICES}.
 */
export function estimateCost(
  plan: Plan,
  region: string,
  usage: Partial<UsageAssumptions> = {},
  table: PriceTable = PRICES,
): CostEstimate {
  const p: RegionPrices | undefined = table.regions[region];
  if (!p) {
    throw new Error(
      `no prices for region "${region}" in the price table (read ${table.readOn}); regions available: ${Object.keys(table.regions).sort().join(", ")}`,
    );
  }
  const u: UsageAssumptions = { ...DEFAULT_USAGE, ...usage };
  const applied = new Set<keyof UsageAssumptions>();
  const H = table.hoursPerMonth;
  const resources = plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
  const lines = new Lines();
  const unpriced: UnpricedResource[] = [];
  const refuse = (r: PlannedResource, reason: string) =>
    unpriced.push({ type: r.type, name: r.name, reason });
  const pricing: Pricing = {
    p,
    region,
    hours: H,
    usage: u,
    lines,
    ofType: (type) => resources.filter((r) => r.type === type),
    use: (key) => {
      applied.add(key);
      return u[key];
    },
    refuse,
  };
  priceNatGateways(pricing);
  priceLoadBalancers(pricing);
  priceEndpoints(pricing);
  priceEksControlPlanes(pricing);
  priceNodeGroups(pricing);
  priceNodePools(pricing);
  priceFargateServices(pricing);
  priceFileSystems(pricing);
  priceMonthlyCharges(pricing);
  priceLogs(pricing);
  priceMonitoring(pricing);

  // Anything else: free by type or package, or reported as unpriced.
  for (const r of resources) {
    if (PRICED_TYPES.includes(r.type)) continue;
    if (r.type === T.certificate && isObject(r.inputs.options) && r.inputs.options.export === "ENABLED") {
      refuse(r, "exportable public certificates are not in the price table");
      continue;
    }
    if (r.type in FREE_TYPES || FREE_PACKAGES.has(r.type.split(":")[0])) continue;
    refuse(r, "no price rule for this resource type");
  }

  const built = lines.build();
  const total = built.reduce((sum, l) => sum + cents(l.monthlyUsd), 0) / 100;
  return {
    stack: plan.stack,
    region,
    regionName: p.regionName,
    hoursPerMonth: H,
    pricesReadOn: table.readOn,
    sources: lines.sources(),
    lines: built,
    totalMonthlyUsd: total,
    unpriced,
    usage: u,
    usageApplied: (Object.keys(DEFAULT_USAGE) as (keyof UsageAssumptions)[]).filter((k) => applied.has(k)),
    notIncluded: NOT_INCLUDED,
  };
}

/** One item of a comparison; an item absent on one side counts as zero there. */
export interface CostDeltaLine {
  readonly item: string;
  readonly unit: string;
  readonly quantityBefore: number;
  readonly quantityAfter: number;
  readonly beforeUsd: number;
  readonly afterUsd: number;
  readonly deltaUsd: number;
}

export interface CostDelta {
  readonly before: CostEstimate;
  readonly after: CostEstimate;
  /** Every item of either side, in the order of `after` then items only in `before`. */
  readonly lines: CostDeltaLine[];
  readonly totalBeforeUsd: number;
  readonly totalAfterUsd: number;
  readonly totalDeltaUsd: number;
}

/** Per-item and total monthly differences from `before` to `after`. */
export function costDelta(before: CostEstimate, after: CostEstimate): CostDelta {
  const key = (l: CostLine) => `${l.item}\u0000${l.unit}`;
  const old = new Map(before.lines.map((l) => [key(l), l]));
  const keys = [...new Set([...after.lines.map(key), ...before.lines.map(key)])];
  const now = new Map(after.lines.map((l) => [key(l), l]));
  const lines = keys.map((k) => {
    const b = old.get(k);
    const a = now.get(k);
    const either = (a ?? b) as CostLine;
    return {
      item: either.item,
      unit: either.unit,
      quantityBefore: b?.quantity ?? 0,
      quantityAfter: a?.quantity ?? 0,
      beforeUsd: b?.monthlyUsd ?? 0,
      afterUsd: a?.monthlyUsd ?? 0,
      deltaUsd: (cents(a?.monthlyUsd ?? 0) - cents(b?.monthlyUsd ?? 0)) / 100,
    };
  });
  return {
    before,
    after,
    lines,
    totalBeforeUsd: before.totalMonthlyUsd,
    totalAfterUsd: after.totalMonthlyUsd,
    totalDeltaUsd: (cents(after.totalMonthlyUsd) - cents(before.totalMonthlyUsd)) / 100,
  };
}

export type CostFormat = "text" | "markdown";

const money = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** `$1,234.56`, `-$3.10`. */
export function formatUsd(usd: number): string {
  return `${usd < 0 ? "-" : ""}$${money.format(Math.abs(cents(usd)) / 100)}`;
}
const signedUsd = (usd: number) => (usd > 0 ? `+${formatUsd(usd)}` : formatUsd(usd));
const unitPriceText = (usd: number) =>
  `$${usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`;
const quantityText = (q: number) => q.toLocaleString("en-US", { maximumFractionDigits: 3 });

function pricesLine(e: CostEstimate): string {
  return `prices: AWS list prices for ${e.region} (${e.regionName}) read on ${e.pricesReadOn}, from ${e.sources.length} AWS pricing pages and Price List API offer files cited per price in plan/prices.ts; ${e.hoursPerMonth} hours a month`;
}

function usageLine(e: CostEstimate): string {
  const applied = e.usageApplied.map((k) => `${USAGE_LABELS[k](String(e.usage[k]))} (${k})`);
  return `usage assumptions (per month): ${applied.length > 0 ? applied.join("; ") : "none used"}`;
}

/** Plain-text columns, left-aligned except the `right` ones. */
function columns(rows: string[][], right: Set<number>): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, i) =>
        right.has(i) ? cell.padStart(widths[i]) : i === r.length - 1 ? cell : cell.padEnd(widths[i]),
      )
      .join("  ")
      .trimEnd(),
  );
}

const cell = (text: string) => text.replace(/\|/g, "\\|");
function markdownTable(header: string[], rows: string[][], right: Set<number>): string[] {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map((_, i) => (right.has(i) ? "---:" : "---")).join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ];
}

/** The estimate as a table, ending with the line `total  $X/month`. */
export function renderCost(estimate: CostEstimate, format: CostFormat): string {
  const e = estimate;
  const heading = `Monthly cost estimate · stack ${e.stack} · ${e.region}`;
  const header = ["item", "quantity", "unit", "unit price", "monthly", "basis"];
  const rows = e.lines.map((l) => [
    l.priceNote ? `${l.item} *` : l.item,
    quantityText(l.quantity),
    l.unit,
    unitPriceText(l.unitPrice),
    formatUsd(l.monthlyUsd),
    l.basis,
  ]);
  const right = new Set([1, 3, 4]);
  const notes: string[] = [];
  if (e.lines.some((l) => l.priceNote)) {
    notes.push("* unit price not confirmed against an AWS source on the read date (see plan/prices.ts)");
  }
  for (const r of e.unpriced) notes.push(`unpriced: ${r.type} ${r.name}: ${r.reason}`);
  const total = `total  ${formatUsd(e.totalMonthlyUsd)}/month`;
  const preamble = [pricesLine(e), usageLine(e), `not included: ${e.notIncluded.join("; ")}`];
  if (format === "markdown") {
    return [
      `### ${heading}`,
      "",
      ...preamble.flatMap((l) => [l, ""]),
      ...markdownTable(header, rows, right),
      "",
      ...notes.flatMap((l) => [l, ""]),
      total,
    ].join("\n");
  }
  return [heading, ...preamble, "", ...columns([header, ...rows], right), "", ...notes, total].join("\n");
}

/** The comparison as a table of changed items, ending with `total  $X/month → $Y/month (±$Z/month)`. */
export function renderCostDelta(delta: CostDelta, format: CostFormat): string {
  const { before, after } = delta;
  const heading = `Monthly cost change · stack ${before.stack} (${before.region}) → stack ${after.stack} (${after.region})`;
  const changed = delta.lines.filter((l) => l.deltaUsd !== 0 || l.quantityBefore !== l.quantityAfter);
  const header = ["item", "unit", "before", "after", "change"];
  const rows = changed.map((l) => [
    l.item,
    l.unit,
    `${quantityText(l.quantityBefore)} · ${formatUsd(l.beforeUsd)}`,
    `${quantityText(l.quantityAfter)} · ${formatUsd(l.afterUsd)}`,
    signedUsd(l.deltaUsd),
  ]);
  const right = new Set([2, 3, 4]);
  const unchanged = delta.lines.length - changed.length;
  const prices =
    before.pricesReadOn === after.pricesReadOn && before.region === after.region
      ? [pricesLine(after)]
      : [`before: ${pricesLine(before)}`, `after: ${pricesLine(after)}`];
  const usage =
    usageLine(before) === usageLine(after)
      ? [usageLine(after)]
      : [`before: ${usageLine(before)}`, `after: ${usageLine(after)}`];
  const notes = [
    `${plural(unchanged, "item")} unchanged`,
    ...after.unpriced.map((r) => `unpriced after: ${r.type} ${r.name}: ${r.reason}`),
  ];
  const total = `total  ${formatUsd(delta.totalBeforeUsd)}/month → ${formatUsd(delta.totalAfterUsd)}/month (${signedUsd(delta.totalDeltaUsd)}/month)`;
  if (format === "markdown") {
    return [
      `### ${heading}`,
      "",
      ...[...prices, ...usage].flatMap((l) => [l, ""]),
      ...(rows.length > 0 ? [...markdownTable(header, rows, right), ""] : []),
      ...notes.flatMap((l) => [l, ""]),
      total,
    ].join("\n");
  }
  return [
    heading,
    ...prices,
    ...usage,
    "",
    ...(rows.length > 0 ? [...columns([header, ...rows], right), ""] : []),
    ...notes,
    total,
  ].join("\n");
}
