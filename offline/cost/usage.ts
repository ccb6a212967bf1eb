/**
 * The usage an estimate assumes where list prices alone cannot give a quantity (data processed, logs
 * ingested, files stored, the Spot share), their defaults, and how each reads in a rendered estimate.
 */
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
  /**
   * Minutes an agent node is up for one run of a scheduled check on agent nodes when none was up
   * already, besides the pool's `consolidateAfter`: Karpenter launching it and the run itself.
   */
  readonly checkRunNodeMinutes: number;
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
  checkRunNodeMinutes: 3,
};

/** How each assumption reads in a rendered estimate. */
export const USAGE_LABELS: Record<keyof UsageAssumptions, (value: string) => string> = {
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
  checkRunNodeMinutes: (v) => `${v} minutes of agent node per scheduled check run, besides consolidateAfter`,
};
