/**
 * Pure pieces of the cluster's capacity: the system node group's launch template and shape,
 * Karpenter's agent NodePool and EC2NodeClass, its chart values, its interruption queue's event
 * rules, and how many agents the autoscaler can hold. The components (cluster.ts, karpenter.ts)
 * create resources from these; Karpenter's IAM and queue policies are in karpenter-policies.ts.
 *
 * Sources for the rules encoded here (Karpenter v1.14.1, aws/karpenter-provider-aws):
 * - CRDs: pkg/apis/crds/karpenter.sh_nodepools.yaml, pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml
 * - chart values: charts/karpenter/values.yaml
 * - queue rules: website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml
 */
import { AGENT_TAINT, CAPACITY_LABEL, Capacity, SYSTEM_NODE_SELECTOR } from "../shared/capacity";

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

/** Labels of the system node group's nodes. */
export const SYSTEM_NODE_LABELS = { ...SYSTEM_NODE_SELECTOR } as const;

/**
 * The system node group's launch template: IMDSv2 only and out of pods' reach (hop limit 1), an
 * encrypted gp3 root volume. The security groups given replace the ones EKS would add, so they
 * list the cluster security group too.
 */
export function systemNodeLaunchTemplate<T>(
  c: SystemNodesConfig,
  p: {
    readonly clusterName: string;
    readonly securityGroupIds: readonly T[];
    /** Tags of the nodes' instances. */
    readonly instanceTags: Readonly<Record<string, string>>;
    /** Tags of the launch template itself. */
    readonly tags: Readonly<Record<string, string>>;
  },
) {
  return {
    description: `System nodes of ${p.clusterName}`,
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    vpcSecurityGroupIds: [...p.securityGroupIds],
    blockDeviceMappings: [
      {
        deviceName: "/dev/xvda",
        ebs: {
          volumeSize: c.diskSizeGiB,
          volumeType: "gp3",
          encrypted: "true",
          deleteOnTermination: "true",
        },
      },
    ],
    tagSpecifications: [{ resourceType: "instance", tags: { ...p.instanceTags } }],
    tags: { ...p.tags },
  };
}

/**
 * The system node group's shape: its instance types, AMI, capacity type and labels, and a fixed
 * size (minimum, desired and maximum all `count`), replacing one node at a time.
 */
export function systemNodeGroupShape(c: SystemNodesConfig) {
  return {
    instanceTypes: [...c.instanceTypes],
    amiType: "AL2023_x86_64_STANDARD",
    capacityType: c.capacityType,
    labels: { ...SYSTEM_NODE_LABELS },
    scalingConfig: { minSize: c.count, desiredSize: c.count, maxSize: c.count },
    updateConfig: { maxUnavailable: 1 },
  };
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
