/**
 * AWS list prices (USD, on-demand, Linux, shared tenancy) for the regions the committed stacks
 * use, as read on `readOn` from the AWS pricing pages and the Price List API offer files. Every
 * entry names its unit and its source; an entry whose figure could not be confirmed against a
 * source on that date says so in `note`, and estimates that use it mark the line.
 *
 * Prices change without notice: re-read them (the offer files need no credentials) and update
 * `readOn` together with the figures. Tiered prices are given at their first tier, which is far
 * above what one stack of this blueprint consumes.
 */

/** One price: the figure, what it is per, and where it was read. */
export interface Price {
  readonly usd: number;
  /** What one unit is, e.g. `hour`, `GB`, `GB-month`. */
  readonly unit: string;
  /** The AWS pricing page or Price List API offer file the figure comes from. */
  readonly source: string;
  /** Caveats, and in particular whether the figure could not be confirmed against the source. */
  readonly note?: string;
}

/** Fargate prices of one CPU architecture (Linux). */
export interface FargatePrices {
  readonly vcpuHour: Price;
  readonly gbHour: Price;
}

/** The prices of one region. */
export interface RegionPrices {
  /** AWS's name of the region, as on the pricing pages. */
  readonly regionName: string;
  readonly natGatewayHour: Price;
  readonly natGatewayGb: Price;
  /** Every public IPv4 address, attached or idle (elastic IPs, load balancer nodes). */
  readonly publicIpv4Hour: Price;
  readonly nlbHour: Price;
  readonly nlbNlcuHour: Price;
  readonly albHour: Price;
  readonly albLcuHour: Price;
  /** Interface VPC endpoint, per endpoint and availability zone. */
  readonly interfaceEndpointAzHour: Price;
  readonly interfaceEndpointGb: Price;
  readonly eksClusterHour: Price;
  readonly eksExtendedSupportClusterHour: Price;
  /** EC2 on-demand, Linux, shared tenancy, by instance type. */
  readonly ec2OnDemandHour: Readonly<Record<string, Price>>;
  /** EBS volume storage by volume type (baseline IOPS and throughput included). */
  readonly ebsGbMonth: Readonly<Record<string, Price>>;
  /** Fargate (Linux) by the task definition's `runtimePlatform.cpuArchitecture`. */
  readonly fargate: Readonly<Record<string, FargatePrices>>;
  readonly efsStandardGbMonth: Price;
  readonly efsElasticReadGb: Price;
  readonly efsElasticWriteGb: Price;
  /** AWS Backup warm storage of Amazon EFS backups. */
  readonly backupEfsWarmGbMonth: Price;
  readonly kmsKeyMonth: Price;
  readonly secretMonth: Price;
  /** CloudWatch Logs ingestion, standard log class. */
  readonly logsIngestGb: Price;
  /** CloudWatch Logs ingestion of vended logs (VPC flow logs, EKS control plane) delivered to CloudWatch Logs. */
  readonly logsVendedIngestGb: Price;
  readonly logsStorageGbMonth: Price;
  /** CloudWatch custom metric (Container Insights publishes its metrics as custom metrics). */
  readonly customMetricMonth: Price;
  /** CloudWatch standard-resolution alarm, per metric it evaluates (a metric-math alarm pays each). */
  readonly alarmMetricMonth: Price;
  /** CloudWatch dashboard (beyond the account's free three). */
  readonly dashboardMonth: Price;
  /** Container Insights with enhanced observability for EKS, per million observations. */
  readonly eksInsightsObservationMillion: Price;
  readonly route53HostedZoneMonth: Price;
}

/** The whole table. */
export interface PriceTable {
  /** ISO date the figures were read. */
  readonly readOn: string;
  readonly currency: "USD";
  /** Hours in a billing month (AWS's own convention, 365 × 24 / 12). */
  readonly hoursPerMonth: number;
  readonly regions: Readonly<Record<string, RegionPrices>>;
}

const PAGE = {
  vpc: "https://aws.amazon.com/vpc/pricing/",
  elb: "https://aws.amazon.com/elasticloadbalancing/pricing/",
  privateLink: "https://aws.amazon.com/privatelink/pricing/",
  eks: "https://aws.amazon.com/eks/pricing/",
  ec2: "https://aws.amazon.com/ec2/pricing/on-demand/",
  ebs: "https://aws.amazon.com/ebs/pricing/",
  fargate: "https://aws.amazon.com/fargate/pricing/",
  efs: "https://aws.amazon.com/efs/pricing/",
  backup: "https://aws.amazon.com/backup/pricing/",
  kms: "https://aws.amazon.com/kms/pricing/",
  secrets: "https://aws.amazon.com/secrets-manager/pricing/",
  cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
  route53: "https://aws.amazon.com/route53/pricing/",
} as const;

/** A Price List API offer file of one service and region (public, no credentials needed). */
const offer = (service: string, region: string) =>
  `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${service}/current/${region}/index.json`;

/** How a note starts when its figure could not be confirmed against a source on the read date. */
export const UNCONFIRMED = "Not confirmed against an AWS source on the read date";

function price(usd: number, unit: string, source: string, note?: string): Price {
  return note === undefined ? { usd, unit, source } : { usd, unit, source, note };
}

/** Prices that are the same in every commercial region. */
const GLOBAL = {
  publicIpv4Hour: price(
    0.005,
    "address-hour",
    PAGE.vpc,
    "Charged since 2024-02-01 for every public IPv4 address.",
  ),
  eksClusterHour: price(0.1, "cluster-hour", PAGE.eks, "Kubernetes version in standard support."),
  eksExtendedSupportClusterHour: price(
    0.6,
    "cluster-hour",
    PAGE.eks,
    "Kubernetes version in extended support (after its 14 months of standard support).",
  ),
  kmsKeyMonth: price(
    1,
    "key-month",
    PAGE.kms,
    "Customer managed key. Automatic rotation adds $1/month for each of the first two rotated key versions (from the second year); requests beyond the free 20,000/month cost $0.03 per 10,000.",
  ),
  secretMonth: price(0.4, "secret-month", PAGE.secrets, "API calls cost $0.05 per 10,000 on top."),
  route53HostedZoneMonth: price(0.5, "zone-month", PAGE.route53, "First 25 hosted zones of the account."),
  alarmMetricMonth: price(
    0.1,
    "alarm metric-month",
    PAGE.cloudwatch,
    `${UNCONFIRMED}; standard resolution, the first 10 alarm metrics of the account are free.`,
  ),
  dashboardMonth: price(
    3,
    "dashboard-month",
    PAGE.cloudwatch,
    `${UNCONFIRMED}; the first 3 dashboards (up to 50 metrics each) of the account are free.`,
  ),
  eksInsightsObservationMillion: price(
    0.21,
    "million observations",
    PAGE.cloudwatch,
    `${UNCONFIRMED}; Container Insights with enhanced observability for Amazon EKS is charged per observation instead of per metric.`,
  ),
} as const;

export const PRICES: PriceTable = {
  readOn: "2026-11-21",
  currency: "USD",
  hoursPerMonth: 730,
  regions: {
    "us-east-1": {
      regionName: "US East (N. Virginia)",
      natGatewayHour: price(0.045, "hour", PAGE.vpc),
      natGatewayGb: price(0.045, "GB", PAGE.vpc),
      publicIpv4Hour: GLOBAL.publicIpv4Hour,
      nlbHour: price(
        0.0225,
        "hour",
        PAGE.elb,
        `${UNCONFIRMED}; the page renders regional rates dynamically.`,
      ),
      nlbNlcuHour: price(0.006, "NLCU-hour", PAGE.elb),
      albHour: price(0.0225, "hour", PAGE.elb),
      albLcuHour: price(0.008, "LCU-hour", PAGE.elb),
      interfaceEndpointAzHour: price(0.01, "AZ-hour", PAGE.privateLink),
      interfaceEndpointGb: price(
        0.01,
        "GB",
        PAGE.privateLink,
        "First 1 PB processed per month in the region.",
      ),
      eksClusterHour: GLOBAL.eksClusterHour,
      eksExtendedSupportClusterHour: GLOBAL.eksExtendedSupportClusterHour,
      ec2OnDemandHour: {
        "t3.medium": price(0.0416, "instance-hour", PAGE.ec2),
        "t3a.medium": price(0.0376, "instance-hour", PAGE.ec2, `${UNCONFIRMED}.`),
        "m6g.large": price(0.077, "instance-hour", PAGE.ec2, `${UNCONFIRMED}.`),
        "t3.large": price(0.0832, "instance-hour", PAGE.ec2),
        "t3.xlarge": price(0.1664, "instance-hour", PAGE.ec2),
        "m5.large": price(0.096, "instance-hour", PAGE.ec2),
        "m5.xlarge": price(0.192, "instance-hour", PAGE.ec2),
        "m6i.large": price(0.096, "instance-hour", PAGE.ec2),
        "m6i.xlarge": price(0.192, "instance-hour", PAGE.ec2),
        "m6i.2xlarge": price(0.384, "instance-hour", PAGE.ec2),
        "m6a.large": price(0.0864, "instance-hour", PAGE.ec2),
        "m6a.xlarge": price(0.1728, "instance-hour", PAGE.ec2),
        "m6a.2xlarge": price(0.3456, "instance-hour", PAGE.ec2),
        "c6i.large": price(0.085, "instance-hour", PAGE.ec2),
        "c6i.xlarge": price(0.17, "instance-hour", PAGE.ec2),
      },
      ebsGbMonth: {
        gp3: price(0.08, "GB-month", PAGE.ebs, `${UNCONFIRMED}.`),
      },
      fargate: {
        X86_64: {
          vcpuHour: price(0.04048, "vCPU-hour", PAGE.fargate),
          gbHour: price(0.004445, "GB-hour", PAGE.fargate),
        },
        ARM64: {
          vcpuHour: price(0.03238, "vCPU-hour", PAGE.fargate),
          gbHour: price(0.00356, "GB-hour", PAGE.fargate),
        },
      },
      efsStandardGbMonth: price(0.3, "GB-month", PAGE.efs, "Regional (multi-AZ) Standard storage class."),
      efsElasticReadGb: price(0.03, "GB", PAGE.efs, "Elastic throughput, data read."),
      efsElasticWriteGb: price(0.06, "GB", PAGE.efs, "Elastic throughput, data written."),
      backupEfsWarmGbMonth: price(0.05, "GB-month", PAGE.backup, `${UNCONFIRMED}.`),
      kmsKeyMonth: GLOBAL.kmsKeyMonth,
      secretMonth: GLOBAL.secretMonth,
      logsIngestGb: price(0.5, "GB", PAGE.cloudwatch, "Standard log class."),
      logsVendedIngestGb: price(0.5, "GB", PAGE.cloudwatch, `${UNCONFIRMED}; first 10 TB tier.`),
      logsStorageGbMonth: price(0.03, "GB-month", PAGE.cloudwatch),
      customMetricMonth: price(
        0.3,
        "metric-month",
        PAGE.cloudwatch,
        `${UNCONFIRMED}; first 10,000 metrics tier.`,
      ),
      route53HostedZoneMonth: GLOBAL.route53HostedZoneMonth,
      alarmMetricMonth: GLOBAL.alarmMetricMonth,
      dashboardMonth: GLOBAL.dashboardMonth,
      eksInsightsObservationMillion: GLOBAL.eksInsightsObservationMillion,
    },
    "eu-west-1": {
      regionName: "Europe (Ireland)",
      natGatewayHour: price(
        0.048,
        "hour",
        offer("AmazonEC2", "eu-west-1"),
        "Usage type EU-NatGateway-Hours.",
      ),
      natGatewayGb: price(0.048, "GB", offer("AmazonEC2", "eu-west-1"), "Usage type EU-NatGateway-Bytes."),
      publicIpv4Hour: GLOBAL.publicIpv4Hour,
      nlbHour: price(0.0252, "hour", PAGE.elb, `${UNCONFIRMED}.`),
      nlbNlcuHour: price(0.006, "NLCU-hour", PAGE.elb, `${UNCONFIRMED}.`),
      albHour: price(0.0252, "hour", offer("AWSELB", "eu-west-1"), "Usage type EU-LoadBalancerUsage."),
      albLcuHour: price(0.008, "LCU-hour", offer("AWSELB", "eu-west-1"), "Usage type EU-LCUUsage."),
      interfaceEndpointAzHour: price(0.011, "AZ-hour", PAGE.privateLink, `${UNCONFIRMED}.`),
      interfaceEndpointGb: price(
        0.01,
        "GB",
        PAGE.privateLink,
        "First 1 PB processed per month in the region.",
      ),
      eksClusterHour: GLOBAL.eksClusterHour,
      eksExtendedSupportClusterHour: GLOBAL.eksExtendedSupportClusterHour,
      ec2OnDemandHour: {
        "t3.medium": price(0.0456, "instance-hour", PAGE.ec2),
        "t3a.medium": price(0.0408, "instance-hour", PAGE.ec2, `${UNCONFIRMED}.`),
        "m6g.large": price(0.086, "instance-hour", PAGE.ec2, `${UNCONFIRMED}.`),
        "t3.large": price(0.0912, "instance-hour", PAGE.ec2),
        "t3.xlarge": price(0.1824, "instance-hour", PAGE.ec2),
        "m5.large": price(0.107, "instance-hour", PAGE.ec2),
        "m5.xlarge": price(0.214, "instance-hour", PAGE.ec2),
        "m6i.large": price(0.107, "instance-hour", PAGE.ec2),
        "m6i.xlarge": price(0.214, "instance-hour", PAGE.ec2),
        "m6i.2xlarge": price(0.428, "instance-hour", PAGE.ec2),
        "m6a.large": price(0.0972, "instance-hour", PAGE.ec2, `${UNCONFIRMED}.`),
        "m6a.xlarge": price(0.1944, "instance-hour", PAGE.ec2, `${UNCONFIRMED}.`),
        "m6a.2xlarge": price(0.3888, "instance-hour", PAGE.ec2, `${UNCONFIRMED}.`),
        "c6i.large": price(0.096, "instance-hour", PAGE.ec2, `${UNCONFIRMED}.`),
        "c6i.xlarge": price(0.192, "instance-hour", PAGE.ec2, `${UNCONFIRMED}.`),
      },
      ebsGbMonth: {
        gp3: price(0.088, "GB-month", PAGE.ebs, `${UNCONFIRMED}.`),
      },
      fargate: {
        X86_64: {
          vcpuHour: price(
            0.04048,
            "vCPU-hour",
            offer("AmazonECS", "eu-west-1"),
            "Usage type EU-Fargate-vCPU-Hours:perCPU.",
          ),
          gbHour: price(
            0.004445,
            "GB-hour",
            offer("AmazonECS", "eu-west-1"),
            "Usage type EU-Fargate-GB-Hours.",
          ),
        },
        ARM64: {
          vcpuHour: price(0.03238, "vCPU-hour", offer("AmazonECS", "eu-west-1")),
          gbHour: price(0.00356, "GB-hour", offer("AmazonECS", "eu-west-1")),
        },
      },
      efsStandardGbMonth: price(
        0.33,
        "GB-month",
        PAGE.efs,
        `${UNCONFIRMED}; regional (multi-AZ) Standard storage class.`,
      ),
      efsElasticReadGb: price(0.03, "GB", PAGE.efs, `${UNCONFIRMED}; the us-east-1 rate.`),
      efsElasticWriteGb: price(0.06, "GB", PAGE.efs, `${UNCONFIRMED}; the us-east-1 rate.`),
      backupEfsWarmGbMonth: price(0.05, "GB-month", PAGE.backup, `${UNCONFIRMED}; the us-east-1 rate.`),
      kmsKeyMonth: GLOBAL.kmsKeyMonth,
      secretMonth: GLOBAL.secretMonth,
      logsIngestGb: price(
        0.57,
        "GB",
        offer("AmazonCloudWatch", "eu-west-1"),
        "Usage type EU-DataProcessing-Bytes, standard log class.",
      ),
      logsVendedIngestGb: price(
        0.57,
        "GB",
        offer("AmazonCloudWatch", "eu-west-1"),
        "Usage type EU-VendedLog-Bytes, first 10 TB tier.",
      ),
      logsStorageGbMonth: price(
        0.03,
        "GB-month",
        offer("AmazonCloudWatch", "eu-west-1"),
        "Usage type EU-TimedStorage-ByteHrs.",
      ),
      customMetricMonth: price(
        0.3,
        "metric-month",
        PAGE.cloudwatch,
        `${UNCONFIRMED}; first 10,000 metrics tier.`,
      ),
      route53HostedZoneMonth: GLOBAL.route53HostedZoneMonth,
      alarmMetricMonth: GLOBAL.alarmMetricMonth,
      dashboardMonth: GLOBAL.dashboardMonth,
      eksInsightsObservationMillion: GLOBAL.eksInsightsObservationMillion,
    },
  },
};
