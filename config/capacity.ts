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
import {
  DEFAULT_WORKER_CONNECTIONS,
  PROXY_MEMORY,
  proxyConnectionsNeeded,
  proxyMemoryNeedMiB,
  proxyWorkers,
} from "../components/proxy/nginx-conf";
import { AGENT_PATH_CHECK_REQUEST } from "../components/smoke/agent-path-check";
import { SMOKE_REQUEST } from "../components/smoke/job";
import { agentPodSettings } from "./agent-pod";
import { configKey } from "./keys";
import { bool, int, list, object, oneOf, Problems, str } from "./schema";
import type { StackConfig } from "./stack-schema";

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

/**
 * What shares the agent nodes with the agents: the smoke check's and the scheduled agent path
 * check's pods, which run on agent nodes like agents (the namespace keeps room for the same two).
 */
export const AGENT_NODE_RESERVATION = (({ cpuMillicores, memoryMiB }) => ({ cpuMillicores, memoryMiB }))(
  namespaceReservation(),
);

/**
 * What one agent pod asks (every container of its template: `agentPodRequest`), how many such
 * pods the namespace quota admits beside what it reserves, and how many the autoscaler can hold
 * at its limits.
 */
function agentCapacities(config: Pick<StackConfig, "agentCluster" | "agentPod">) {
  const c = config.agentCluster;
  const agent = agentPodRequest(agentPodSettings(config.agentPod));
  return {
    agent,
    quota: agentCapacity(
      { cpuCores: c.quotaCpuCores, memoryGiB: c.quotaMemoryGiB, pods: c.quotaPods },
      namespaceReservation(),
      agent,
    ),
    nodes: autoscalerAgentCapacity(
      { cpuCores: c.agentNodes.cpuLimit, memoryGiB: c.agentNodes.memoryLimitGiB },
      AGENT_NODE_RESERVATION,
      agent,
    ),
  };
}

/** The controller's container cap: what the quota and the autoscaler admit, whichever is smaller. */
export function configuredContainerCap(config: Pick<StackConfig, "agentCluster" | "agentPod">): number {
  const { quota, nodes } = agentCapacities(config);
  return containerCap(quota, nodes);
}

/**
 * What the agent namespace's quota keeps beside the agents: room for the post-deploy smoke check's
 * pod and the scheduled agent path check's pod, so a full complement of agents never keeps the
 * checks from starting. The proxy runs in a namespace of its own, outside this quota.
 */
export function namespaceReservation(): { pods: number; cpuMillicores: number; memoryMiB: number } {
  return {
    pods: 2,
    cpuMillicores: SMOKE_REQUEST.cpuMillicores + AGENT_PATH_CHECK_REQUEST.cpuMillicores,
    memoryMiB: SMOKE_REQUEST.memoryMiB + AGENT_PATH_CHECK_REQUEST.memoryMiB,
  };
}

/** The agent node pool's architectures are distinct. */
export function checkArchitecturesDistinct(config: StackConfig, problems: Problems): void {
  const key = configKey("agentCluster.agentNodes.architectures");
  const { architectures } = config.agentCluster.agentNodes;
  if (!problems.has(key) && new Set(architectures).size !== architectures.length) {
    problems.invalid(key, architectures, "distinct architectures");
  }
}

/** No stack tag is one Karpenter sets itself: the EC2NodeClass refuses them (its CRD's CEL rules on spec.tags). */
export function checkKarpenterTags(config: StackConfig, problems: Problems): void {
  for (const tag of Object.keys(config.tags).filter(karpenterOwnsTag)) {
    problems.invalid(
      configKey(`tags.${tag}`),
      config.tags[tag],
      "a tag key Karpenter does not set itself on agent nodes (not eks:eks-cluster-name, kubernetes.io/cluster/*, karpenter.sh/nodepool, karpenter.sh/nodeclaim or karpenter.k8s.aws/ec2nodeclass)",
    );
  }
}

/**
 * How many agents the quota and the autoscaler admit, or undefined while a key they depend on
 * (under `agentCluster`, `proxy` or `agentPod`) has a problem.
 */
function agentRoom(
  config: StackConfig,
  problems: Problems,
): { agent: ReturnType<typeof agentPodRequest>; quotaCapacity: number; capacity: number } | undefined {
  if (["agentCluster", "proxy", "agentPod"].some((path) => problems.has(configKey(path)))) return undefined;
  const { agent, quota, nodes } = agentCapacities(config);
  // The proxy must hold every agent that can exist: the quota's and the autoscaler's smaller cap.
  return { agent, quotaCapacity: quota, capacity: containerCap(quota, nodes) };
}

/** The namespace quota holds at least one agent beside what it reserves. */
export function checkQuotaHoldsAnAgent(config: StackConfig, problems: Problems): void {
  const room = agentRoom(config, problems);
  if (!room || room.quotaCapacity >= 1) return;
  const cluster = config.agentCluster;
  problems.add(
    configKey("agentCluster.quotaPods"),
    `got a quota (${cluster.quotaPods} pods, ${cluster.quotaCpuCores} cores, ${cluster.quotaMemoryGiB} GiB) with no room for one agent (${room.agent.cpuMillicores}m, ${room.agent.memoryMiB} MiB) beside the smoke and agent path checks; expected a larger quota`,
  );
}

/** The agent node limits hold at least one agent after node overhead and the smoke and agent path checks. */
export function checkAgentNodesHoldAnAgent(config: StackConfig, problems: Problems): void {
  const room = agentRoom(config, problems);
  if (!room || room.quotaCapacity < 1 || room.capacity >= 1) return;
  const nodes = config.agentCluster.agentNodes;
  problems.add(
    configKey("agentCluster.agentNodes.cpuLimit"),
    `got agent node limits (${nodes.cpuLimit} vCPUs, ${nodes.memoryLimitGiB} GiB) with no room for one agent (${room.agent.cpuMillicores}m, ${room.agent.memoryMiB} MiB) after node overhead and the smoke and agent path checks; expected larger agentCluster.agentNodes limits`,
  );
}

/**
 * Each proxy replica holds every agent the container cap admits, in memory and in its workers'
 * connections: while one replica restarts, its agents reconnect through the others.
 */
export function checkProxyHoldsEveryAgent(config: StackConfig, problems: Problems): void {
  const room = agentRoom(config, problems);
  if (!room || config.transport !== "websocket") return;
  const { capacity } = room;
  const workers = proxyWorkers(config.proxy.cpuMillicores);
  const plural = workers === 1 ? "" : "s";
  const need = proxyMemoryNeedMiB(workers, capacity);
  if (capacity >= 1 && config.proxy.memoryMiB < need) {
    problems.add(
      configKey("proxy.memoryMiB"),
      `got ${config.proxy.memoryMiB}; a replica needs ${need} MiB to hold all ${capacity} agents the container cap admits (${PROXY_MEMORY.sessionKiB} KiB each, plus ${PROXY_MEMORY.masterMiB + workers * PROXY_MEMORY.workerMiB} MiB for nginx with ${workers} worker${plural}); expected ${need} or more, or a smaller agentCluster.quotaPods`,
    );
  }
  const connections = proxyConnectionsNeeded(capacity);
  if (connections > workers * DEFAULT_WORKER_CONNECTIONS) {
    const cores = Math.ceil(connections / DEFAULT_WORKER_CONNECTIONS);
    problems.add(
      configKey("proxy.cpuMillicores"),
      `got ${config.proxy.cpuMillicores} (${workers} nginx worker${plural} of ${DEFAULT_WORKER_CONNECTIONS} connections); a replica needs ${connections} connections for all ${capacity} agents the container cap admits; expected ${cores * 1000} or more, or a smaller agentCluster.quotaPods`,
    );
  }
}
