/**
 * The cluster's capacity settings: the system node group and the agent capacity Karpenter
 * provides, their schema and the checks that span them, and the controller's container cap.
 */
import { agentCapacity } from "../components/cluster/plan";
import { agentPodRequest } from "../components/jenkins/agent-pod";
import {
  AMI_ALIAS,
  ARCHITECTURES,
  autoscalerAgentCapacity,
  containerCap,
  INSTANCE_CATEGORY,
  INSTANCE_FAMILY,
} from "../components/cluster/karpenter-plan";
import { SMOKE_REQUEST } from "../components/smoke/job";
import { bool, int, list, object, oneOf, Problems, str } from "./schema";
import { agentPodSettings } from "./agent-pod";
import type { StackConfig } from "./stack-config";

/** EC2 instance type names: family, a dot, a size (t3.medium, m7i-flex.large, c6gn.16xlarge). */
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/**
 * Instance types of a managed node group: at most 20 (EKS CreateNodegroup, `instanceTypes`).
 * Source: https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html
 */
const MAX_NODE_GROUP_TYPES = 20;

export function systemNodesSchema() {
  return object("The small managed node group of system workloads: CoreDNS, the agent proxy, Karpenter.", {
    instanceTypes: list(
      str({
        doc: "",
        default: "",
        pattern: INSTANCE_TYPE,
        accepted: "an EC2 instance type such as t3.medium",
      }),
      {
        doc: "Instance types of the system nodes (x86_64), in order of preference; Spot groups launch any of them.",
        default: ["t3.medium"],
        minLength: 1,
        maxLength: MAX_NODE_GROUP_TYPES,
      },
    ),
    count: int({
      doc: "System nodes. Two or more keep the proxy and Karpenter up while a node is replaced; Karpenter runs one replica per node, up to two.",
      default: 2,
      min: 1,
      max: 10,
    }),
    capacityType: oneOf(["ON_DEMAND", "SPOT"], {
      doc: "`ON_DEMAND`, or `SPOT` (cheaper; a reclaimed node is replaced by the group's capacity rebalancing, and proxied agents reconnect).",
      default: "ON_DEMAND",
    }),
    diskSizeGiB: int({ doc: "Root volume of each system node, GiB.", default: 20, min: 20, max: 16384 }),
  });
}

export function agentNodesSchema() {
  return object(
    "Agent capacity: Karpenter launches agent nodes for pending agent pods and removes them when empty.",
    {
      cpuLimit: int({
        doc: "vCPUs of all agent nodes together (the NodePool's `limits.cpu`); Karpenter launches no node past it.",
        default: 32,
        min: 1,
        max: 100000,
      }),
      memoryLimitGiB: int({
        doc: "Memory of all agent nodes together, GiB (the NodePool's `limits.memory`).",
        default: 128,
        min: 1,
        max: 1000000,
      }),
      instanceCategories: list(
        str({
          doc: "",
          default: "",
          pattern: INSTANCE_CATEGORY,
          accepted: "an instance category such as c, m or r",
        }),
        {
          doc: "Instance categories Karpenter may choose from (current generations, above 4), when `instanceFamilies` is empty.",
          default: ["c", "m", "r"],
          minLength: 1,
          maxLength: 20,
        },
      ),
      instanceFamilies: list(
        str({
          doc: "",
          default: "",
          pattern: INSTANCE_FAMILY,
          accepted: "an instance family such as m6i or c7g",
        }),
        {
          doc: "Instance families Karpenter may choose from; when set, they replace `instanceCategories`.",
          default: [],
          maxLength: 50,
        },
      ),
      architectures: list(oneOf(ARCHITECTURES, { doc: "", default: "amd64" }), {
        doc: "CPU architectures of agent nodes (`amd64`, `arm64`); build images must exist for each one listed.",
        default: ["amd64"],
        minLength: 1,
        maxLength: 2,
      }),
      spot: bool({
        doc: "Let agent nodes be Spot instances (cheapest first, on-demand when Spot has no capacity). A reclaimed node is drained on its two-minute warning; its builds fail and can be retried.",
        default: true,
      }),
      consolidateAfterMinutes: int({
        doc: "Minutes an agent node stays empty before Karpenter removes it.",
        default: 5,
        min: 1,
        max: 1440,
      }),
      expireAfterHours: int({
        doc: "Hours after which an agent node is replaced (fresh AMI, no long-lived nodes).",
        default: 168,
        min: 1,
        max: 8760,
      }),
      terminationGracePeriodMinutes: int({
        doc: "Minutes an expiring node may drain before its pods are stopped; keep it at or above the longest build.",
        default: 180,
        min: 1,
        max: 10080,
      }),
      diskSizeGiB: int({
        doc: "Root volume of each agent node, GiB (images and workspaces).",
        default: 50,
        min: 20,
        max: 16384,
      }),
      amiAlias: str({
        doc: "Karpenter AMI alias of agent nodes: `al2023@latest` follows each new EKS AMI (nodes are replaced one at a time, never under a running build); `al2023@vYYYYMMDD` pins one.",
        default: "al2023@latest",
        pattern: AMI_ALIAS,
        accepted: "al2023@latest, al2023@vYYYYMMDD, bottlerocket@latest or bottlerocket@vX.Y.Z",
      }),
      expectedNodeHoursPerMonth: int({
        doc: "Agent node-hours you expect a month; used only by the cost estimate (`npm run plan -- --cost`).",
        default: 160,
        min: 0,
        max: 1000000,
      }),
    },
  );
}

/**
 * Tag keys the EC2NodeClass refuses (karpenter.k8s.aws_ec2nodeclasses.yaml, spec.tags rules).
 */
export function karpenterOwnsTag(key: string): boolean {
  return (
    [
      "eks:eks-cluster-name",
      "karpenter.sh/nodepool",
      "karpenter.sh/nodeclaim",
      "karpenter.k8s.aws/ec2nodeclass",
    ].includes(key) || key.startsWith("kubernetes.io/cluster")
  );
}

/** What shares the agent nodes with the agents: the smoke check's pod. */
export const AGENT_NODE_RESERVATION = {
  cpuMillicores: SMOKE_REQUEST.cpuMillicores,
  memoryMiB: SMOKE_REQUEST.memoryMiB,
};

/**
 * The controller's container cap: how many agents the namespace quota admits beside what it
 * reserves, and how many the autoscaler can hold at its limits, whichever is smaller; each agent
 * pod asks what its template's containers request (`agentPodRequest`).
 */
export function configuredContainerCap(
  config: Pick<StackConfig, "agentCluster" | "agentPod">,
  reservation: { pods: number; cpuMillicores: number; memoryMiB: number },
): number {
  const c = config.agentCluster;
  const agent = agentPodRequest(agentPodSettings(config.agentPod));
  return containerCap(
    agentCapacity(
      { cpuCores: c.quotaCpuCores, memoryGiB: c.quotaMemoryGiB, pods: c.quotaPods },
      reservation,
      agent,
    ),
    autoscalerAgentCapacity(
      { cpuCores: c.agentNodes.cpuLimit, memoryGiB: c.agentNodes.memoryLimitGiB },
      AGENT_NODE_RESERVATION,
      agent,
    ),
  );
}

/**
 * Checks of the capacity settings; each skips keys that already have a problem. (The limits'
 * minimums, 1 vCPU and 1 GiB, always hold one agent beside the smoke check.)
 */
export function checkCapacity(config: StackConfig, problems: Problems, ns: string): void {
  const key = (path: string) => `${ns}agentCluster.agentNodes.${path}`;
  const nodes = config.agentCluster.agentNodes;
  if (
    !problems.has(key("architectures")) &&
    new Set(nodes.architectures).size !== nodes.architectures.length
  ) {
    problems.invalid(key("architectures"), nodes.architectures, "distinct architectures");
  }
  // The EC2NodeClass refuses tags Karpenter sets itself (its CRD's CEL rules on spec.tags).
  for (const tag of Object.keys(config.tags).filter(karpenterOwnsTag)) {
    problems.invalid(
      `${ns}tags.${tag}`,
      config.tags[tag],
      "a tag key Karpenter does not set itself on agent nodes (not eks:eks-cluster-name, kubernetes.io/cluster/*, karpenter.sh/nodepool, karpenter.sh/nodeclaim or karpenter.k8s.aws/ec2nodeclass)",
    );
  }
}
