/**
 * Pure pieces of the cluster's capacity: the system node group's sizing, Karpenter's agent
 * NodePool and EC2NodeClass, its chart values, its controller's IAM policy, its interruption
 * queue's policy and event rules, and how many agents the autoscaler can hold. The component
 * (karpenter.ts) creates resources from these.
 *
 * Sources for the rules encoded here (Karpenter v1.14.1, aws/karpenter-provider-aws):
 * - CRDs: pkg/apis/crds/karpenter.sh_nodepools.yaml, pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml
 * - chart values: charts/karpenter/values.yaml
 * - IAM, queue and rules: website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml
 */
import { AGENT_TAINT, CAPACITY_LABEL, Capacity, SYSTEM_NODE_SELECTOR } from "../shared/capacity";
import { AccountScope, PolicyDocument } from "../shared/iam";

/** Namespace of the Karpenter controller (the chart's documented default install namespace). */
export const KARPENTER_NAMESPACE = "kube-system";
/** Service account of the Karpenter controller: the chart's fullname for release `karpenter`. */
export const KARPENTER_SERVICE_ACCOUNT = "karpenter";
/** Names of the agent NodePool and EC2NodeClass. */
export const AGENT_NODE_POOL = "agents";
/** Subnet and security group discovery tag; its value is the cluster's name. */
export const DISCOVERY_TAG = "karpenter.sh/discovery";

/** The EKS cluster's name: the component's name and the stack's (one cluster per stack and account). */
export function clusterNameFor(componentName: string, stack: string): string {
  return `${componentName}-${stack}`;
}

/** The discovery tag of a cluster, for the agent subnets and the agent nodes' security groups. */
export function discoveryTags(clusterName: string): Record<string, string> {
  return { [DISCOVERY_TAG]: clusterName };
}
/**
 * Pod annotation that keeps Karpenter from disrupting a node voluntarily (drift, consolidation)
 * while the pod runs; agent pods carry it so a build is never interrupted for a tidier fleet.
 * Expiry still ends such a node, after at most the NodePool's `terminationGracePeriod`.
 */
export const DO_NOT_DISRUPT_ANNOTATION = { "karpenter.sh/do-not-disrupt": "true" } as const;

/**
 * Karpenter's `kubernetes.io/arch` values (amd64, arm64) and the instance categories it knows
 * (the `karpenter.k8s.aws/instance-category` label: the letters before the generation digit).
 */
export const ARCHITECTURES = ["amd64", "arm64"] as const;
export type Architecture = (typeof ARCHITECTURES)[number];
/** Instance families: a category, a generation, then optional attributes (m6i, c7gn, r6id, t3a). */
export const INSTANCE_FAMILY = /^[a-z]+[0-9]+[a-z-]*$/;
/** Instance categories: the leading letters of a family (c, m, r, t, ...). */
export const INSTANCE_CATEGORY = /^[a-z]+$/;
/** Karpenter's AMI aliases: `family@version`, family one of the CRD's list (al2 and Windows excluded: Linux AL2023 or Bottlerocket only). */
export const AMI_ALIAS = /^(al2023|bottlerocket)@(latest|v[0-9]+(\.[0-9]+)*(-[0-9]+)?)$/;

/** The agent capacity Karpenter may provide, as the stack configures it. */
export interface AgentNodesConfig {
  /** NodePool limit: vCPUs of all agent nodes together. */
  readonly cpuLimit: number;
  /** NodePool limit: memory of all agent nodes together, GiB. */
  readonly memoryLimitGiB: number;
  /** Instance categories (`c`, `m`, `r`, ...), used when no families are given. */
  readonly instanceCategories: readonly string[];
  /** Instance families (`m6i`, `c7g`, ...); when set, they replace the categories. */
  readonly instanceFamilies: readonly string[];
  readonly architectures: readonly string[];
  /** Spot first, on-demand when Spot has no capacity; off: on-demand only. */
  readonly spot: boolean;
  readonly consolidateAfterMinutes: number;
  readonly expireAfterHours: number;
  readonly terminationGracePeriodMinutes: number;
  readonly diskSizeGiB: number;
  readonly amiAlias: string;
  /** Expected agent node-hours a month: an assumption of the cost estimate only. */
  readonly expectedNodeHoursPerMonth: number;
}

/** The system node group, as the stack configures it. */
export interface SystemNodesConfig {
  readonly instanceTypes: readonly string[];
  readonly count: number;
  readonly capacityType: "ON_DEMAND" | "SPOT";
  readonly diskSizeGiB: number;
}

/** Annotation on the NodePool that carries the expected node-hours for the cost estimate. */
export const EXPECTED_HOURS_ANNOTATION = "jenkins-agent-bridge/expected-node-hours-per-month";

/**
 * The agent NodePool's spec (karpenter.sh/v1): agent nodes labelled and tainted so only agent pods
 * land there; instance shape, architecture and capacity type from config (Spot with on-demand
 * fallback: Karpenter launches the cheapest offering among the allowed capacity types, on-demand
 * when Spot has none); limits on the pool's total CPU and memory; empty nodes removed after
 * `consolidateAfter`; nodes replaced after `expireAfter`, draining for at most
 * `terminationGracePeriod`.
 */
export function agentNodePoolSpec(c: AgentNodesConfig, nodeClassName: string = AGENT_NODE_POOL) {
  const shape =
    c.instanceFamilies.length > 0
      ? [{ key: "karpenter.k8s.aws/instance-family", operator: "In", values: [...c.instanceFamilies] }]
      : [
          { key: "karpenter.k8s.aws/instance-category", operator: "In", values: [...c.instanceCategories] },
          // Current generations only (the Karpenter docs' example NodePool does the same).
          { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["4"] },
        ];
  return {
    template: {
      metadata: { labels: { [CAPACITY_LABEL]: Capacity.agents } },
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: nodeClassName },
        taints: [{ ...AGENT_TAINT }],
        requirements: [
          { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
          { key: "kubernetes.io/arch", operator: "In", values: [...c.architectures] },
          {
            key: "karpenter.sh/capacity-type",
            operator: "In",
            values: c.spot ? ["spot", "on-demand"] : ["on-demand"],
          },
          ...shape,
        ],
        expireAfter: `${c.expireAfterHours}h`,
        terminationGracePeriod: `${c.terminationGracePeriodMinutes}m`,
      },
    },
    limits: { cpu: String(c.cpuLimit), memory: `${c.memoryLimitGiB}Gi` },
    disruption: {
      consolidationPolicy: "WhenEmpty",
      consolidateAfter: `${c.consolidateAfterMinutes}m`,
      // Empty nodes go as soon as they are due; drift (a new AMI, a changed node class) replaces
      // one node at a time, and never a node whose agent pod carries DO_NOT_DISRUPT_ANNOTATION.
      budgets: [
        { nodes: "100%", reasons: ["Empty"] },
        { nodes: "1", reasons: ["Drifted"] },
      ],
    },
  };
}

/**
 * The agent EC2NodeClass's spec (karpenter.k8s.aws/v1): the node role (Karpenter manages the
 * instance profile), subnets and security groups discovered by this cluster's discovery tag,
 * IMDSv2 only with a hop limit of 1 (pods cannot reach the node's credentials), an encrypted gp3
 * root volume.
 */
export function agentNodeClassSpec(p: {
  readonly roleName: string;
  readonly clusterName: string;
  readonly diskSizeGiB: number;
  readonly amiAlias: string;
  readonly tags: Readonly<Record<string, string>>;
}) {
  const discovery = { tags: { [DISCOVERY_TAG]: p.clusterName } };
  return {
    role: p.roleName,
    amiSelectorTerms: [{ alias: p.amiAlias }],
    subnetSelectorTerms: [discovery],
    securityGroupSelectorTerms: [discovery],
    metadataOptions: {
      httpEndpoint: "enabled",
      httpProtocolIPv6: "disabled",
      httpPutResponseHopLimit: 1,
      httpTokens: "required",
    },
    blockDeviceMappings: [
      {
        deviceName: "/dev/xvda",
        rootVolume: true,
        ebs: {
          volumeSize: `${p.diskSizeGiB}Gi`,
          volumeType: "gp3",
          encrypted: true,
          deleteOnTermination: true,
        },
      },
    ],
    tags: nodeClassTags(p.tags),
  };
}

/**
 * Tags Karpenter adds to every instance, volume and interface it launches (the keys of the
 * AllowScopedResourceCreationTagging and AllowScopedResourceTagging statements): the EC2NodeClass
 * refuses them as user tags.
 */
export const KARPENTER_TAG_KEYS = [
  "karpenter.sh/nodepool",
  "karpenter.sh/nodeclaim",
  "karpenter.k8s.aws/ec2nodeclass",
  "kubernetes.io/cluster/<cluster name>",
  "eks:eks-cluster-name",
  "Name",
] as const;

/** The stack's tags for Karpenter's instances: without `Name` and `Tier` (Karpenter names its nodes). */
export function nodeClassTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => k !== "Name" && k !== "Tier"));
}

/**
 * Values of the Karpenter chart: the cluster and its interruption queue; on the system nodes only
 * (never on nodes it provisions: the chart's own affinity keeps it off them); at most one replica
 * per system node, as the chart's required pod anti-affinity on the hostname demands; requests
 * sized for a small cluster.
 */
export function karpenterValues(p: {
  readonly clusterName: string;
  readonly queueName: string;
  readonly systemNodes: number;
}) {
  return {
    settings: { clusterName: p.clusterName, interruptionQueue: p.queueName },
    replicas: karpenterReplicas(p.systemNodes),
    nodeSelector: { "kubernetes.io/os": "linux", ...SYSTEM_NODE_SELECTOR },
    serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT },
    controller: {
      resources: {
        requests: { cpu: "250m", memory: "512Mi" },
        limits: { memory: "512Mi" },
      },
    },
  };
}

/** Karpenter replicas: two for a hand-over during upgrades, one when there is one system node. */
export function karpenterReplicas(systemNodes: number): number {
  return Math.min(2, systemNodes);
}

/**
 * The EventBridge rules that feed the interruption queue (the reference CloudFormation's
 * ScheduledChangeRule, SpotInterruptionRule, RebalanceRule, InstanceStateChangeRule and
 * CapacityReservationInterruptionRule), by a short name each.
 */
export const INTERRUPTION_RULES: readonly {
  name: string;
  pattern: { source: string[]; "detail-type": string[] };
}[] = [
  { name: "health", pattern: { source: ["aws.health"], "detail-type": ["AWS Health Event"] } },
  {
    name: "spot",
    pattern: { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
  },
  {
    name: "rebalance",
    pattern: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
  },
  {
    name: "state",
    pattern: { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
  },
  {
    name: "reservation",
    pattern: {
      source: ["aws.ec2"],
      "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"],
    },
  },
];

/** Seconds the queue keeps a message: an interruption warning is stale after five minutes. */
export const INTERRUPTION_MESSAGE_SECONDS = 300;

/**
 * The interruption queue's policy: only EventBridge rules of this account (each named ARN) may send,
 * and nothing may use the queue without TLS.
 */
export function interruptionQueuePolicy(queueArn: string, ruleArns: readonly string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EventBridgeRulesOfThisCluster",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": [...ruleArns] } },
      },
      {
        Sid: "DenyHTTP",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: queueArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/**
 * Trust policy of the Karpenter controller's role: EKS Pod Identity, for the Karpenter service
 * account of this cluster only. Pod Identity tags the session with the cluster's ARN, the
 * namespace and the service account, which the conditions match. Source: EKS user guide, "Create
 * IAM role with trust policy required by EKS Pod Identity" (pod-id-role.html) and "Enable or
 * disable session tags" (pod-id-abac.html).
 */
export function podIdentityTrustPolicy(scope: AccountScope, clusterName: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:SourceAccount": scope.accountId,
            "aws:RequestTag/eks-cluster-name": clusterName,
            "aws:RequestTag/kubernetes-namespace": KARPENTER_NAMESPACE,
            "aws:RequestTag/kubernetes-service-account": KARPENTER_SERVICE_ACCOUNT,
          },
        },
      },
    ],
  };
}

/**
 * The Karpenter controller's policy: the reference CloudFormation's NodeLifecycle, IAMIntegration,
 * EKSIntegration, Interruption and ResourceDiscovery policies in one document, every write scoped
 * to this cluster's tags (`kubernetes.io/cluster/<name>: owned`, `eks:eks-cluster-name`) and to
 * Karpenter's own tags, passing only the agent node role.
 */
export function karpenterControllerPolicy(p: {
  readonly scope: AccountScope;
  readonly clusterName: string;
  readonly nodeRoleArn: string;
  readonly queueArn: string;
}): PolicyDocument {
  const { partition, region, accountId } = p.scope;
  const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:*:${resource}`;
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${p.clusterName}`]: "owned" };
  const requestOwned = {
    [`aws:RequestTag/kubernetes.io/cluster/${p.clusterName}`]: "owned",
    "aws:RequestTag/eks:eks-cluster-name": p.clusterName,
  };
  const launched = [
    "fleet/*",
    "instance/*",
    "volume/*",
    "network-interface/*",
    "launch-template/*",
    "spot-instances-request/*",
  ].map(ec2);
  const profile = `arn:${partition}:iam::${accountId}:instance-profile/*`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowScopedEC2InstanceAccessActions",
        Effect: "Allow",
        Resource: [
          `arn:${partition}:ec2:${region}::image/*`,
          `arn:${partition}:ec2:${region}::snapshot/*`,
          ec2("security-group/*"),
          ec2("subnet/*"),
          ec2("capacity-reservation/*"),
          ec2("placement-group/*"),
        ],
        Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      },
      {
        Sid: "AllowScopedEC2LaunchTemplateAccessActions",
        Effect: "Allow",
        Resource: ec2("launch-template/*"),
        Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        Condition: { StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
      },
      {
        Sid: "AllowScopedEC2InstanceActionsWithTags",
        Effect: "Allow",
        Resource: launched,
        Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
        Condition: {
          StringEquals: requestOwned,
          StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
        },
      },
      {
        Sid: "AllowScopedResourceCreationTagging",
        Effect: "Allow",
        Resource: launched,
        Action: "ec2:CreateTags",
        Condition: {
          StringEquals: {
            ...requestOwned,
            "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
          },
          StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
        },
      },
      {
        Sid: "AllowScopedResourceTagging",
        Effect: "Allow",
        Resource: ec2("instance/*"),
        Action: "ec2:CreateTags",
        Condition: {
          StringEquals: owned,
          StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
          StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": p.clusterName },
          "ForAllValues:StringEquals": {
            "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
          },
        },
      },
      {
        Sid: "AllowScopedDeletion",
        Effect: "Allow",
        Resource: [ec2("instance/*"), ec2("launch-template/*")],
        Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
        Condition: { StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
      },
      {
        Sid: "AllowPassingInstanceRole",
        Effect: "Allow",
        Resource: p.nodeRoleArn,
        Action: "iam:PassRole",
        Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
      },
      {
        Sid: "AllowScopedInstanceProfileCreationActions",
        Effect: "Allow",
        Resource: profile,
        Action: ["iam:CreateInstanceProfile"],
        Condition: {
          StringEquals: { ...requestOwned, "aws:RequestTag/topology.kubernetes.io/region": region },
          StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
        },
      },
      {
        Sid: "AllowScopedInstanceProfileTagActions",
        Effect: "Allow",
        Resource: profile,
        Action: ["iam:TagInstanceProfile"],
        Condition: {
          StringEquals: {
            ...owned,
            "aws:ResourceTag/topology.kubernetes.io/region": region,
            ...requestOwned,
            "aws:RequestTag/topology.kubernetes.io/region": region,
          },
          StringLike: {
            "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
            "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
          },
        },
      },
      {
        Sid: "AllowScopedInstanceProfileActions",
        Effect: "Allow",
        Resource: profile,
        Action: [
          "iam:AddRoleToInstanceProfile",
          "iam:RemoveRoleFromInstanceProfile",
          "iam:DeleteInstanceProfile",
        ],
        Condition: {
          StringEquals: { ...owned, "aws:ResourceTag/topology.kubernetes.io/region": region },
          StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
        },
      },
      {
        Sid: "AllowAPIServerEndpointDiscovery",
        Effect: "Allow",
        Resource: `arn:${partition}:eks:${region}:${accountId}:cluster/${p.clusterName}`,
        Action: "eks:DescribeCluster",
      },
      {
        Sid: "AllowInterruptionQueueActions",
        Effect: "Allow",
        Resource: p.queueArn,
        Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
      },
      {
        Sid: "AllowRegionalReadActions",
        Effect: "Allow",
        Resource: "*",
        Action: [
          "ec2:DescribeCapacityReservations",
          "ec2:DescribeImages",
          "ec2:DescribeInstances",
          "ec2:DescribeInstanceStatus",
          "ec2:DescribeInstanceTypeOfferings",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribePlacementGroups",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSpotPriceHistory",
          "ec2:DescribeSubnets",
        ],
        Condition: { StringEquals: { "aws:RequestedRegion": region } },
      },
      {
        Sid: "AllowSSMReadActions",
        Effect: "Allow",
        Resource: `arn:${partition}:ssm:${region}::parameter/aws/service/*`,
        Action: "ssm:GetParameter",
      },
      { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: "pricing:GetProducts" },
      {
        Sid: "AllowUnscopedInstanceProfileListAction",
        Effect: "Allow",
        Resource: "*",
        Action: "iam:ListInstanceProfiles",
      },
      {
        Sid: "AllowInstanceProfileReadActions",
        Effect: "Allow",
        Resource: profile,
        Action: "iam:GetInstanceProfile",
      },
    ],
  };
}

/**
 * What the kubelet, the OS and per-node daemons keep of each agent node, as shares of its capacity:
 * Karpenter subtracts `vmMemoryOverheadPercent` (0.075, chart default) from memory, and EKS's
 * AL2023 AMI reserves for the kubelet about 6 % of the first core and 255 MiB + 11 MiB per pod of
 * memory, plus a 100 MiB eviction threshold; the daemons (VPC CNI, kube-proxy, the pod identity
 * agent) request a little more. NodePool limits count capacity, pods get what is left.
 */
export const AGENT_NODE_OVERHEAD = { cpu: 0.1, memory: 0.2 } as const;

/**
 * How many agent pods, each asking `agent` (every container of the pod template), the autoscaler
 * can hold at its limits, after the per-node overhead and `reserved` (pods that share agent nodes,
 * e.g. the smoke check) are taken out.
 */
export function autoscalerAgentCapacity(
  limits: { readonly cpuCores: number; readonly memoryGiB: number },
  reserved: { readonly cpuMillicores: number; readonly memoryMiB: number },
  agent: { readonly cpuMillicores: number; readonly memoryMiB: number },
): number {
  const cpu = Math.floor(limits.cpuCores * 1000 * (1 - AGENT_NODE_OVERHEAD.cpu)) - reserved.cpuMillicores;
  const memory = Math.floor(limits.memoryGiB * 1024 * (1 - AGENT_NODE_OVERHEAD.memory)) - reserved.memoryMiB;
  return Math.max(0, Math.min(Math.floor(cpu / agent.cpuMillicores), Math.floor(memory / agent.memoryMiB)));
}

/** The controller's container cap: what the quota admits and the autoscaler can hold, whichever is smaller. */
export function containerCap(quotaCapacity: number, autoscalerCapacity: number): number {
  return Math.max(0, Math.min(quotaCapacity, autoscalerCapacity));
}

/** Labels of the system node group's nodes. */
export const SYSTEM_NODE_LABELS = { ...SYSTEM_NODE_SELECTOR } as const;
