/**
 * Where pods of the agent cluster may run. The cluster has two kinds of capacity, told apart by
 * one node label: `system` nodes (CoreDNS, the agent proxy, the autoscaler) and `agents` nodes
 * (build pods only). Agent nodes carry a taint that only agent pods tolerate; agent pods must
 * select agent nodes, so a build's pod spec can never place it beside the system pods.
 */

/** Node label that names a node's kind of capacity. */
export const CAPACITY_LABEL = "jenkins-agent-bridge/capacity";

/** The kinds of capacity, as values of {@link CAPACITY_LABEL}. */
export const Capacity = { system: "system", agents: "agents" } as const;
export type Capacity = (typeof Capacity)[keyof typeof Capacity];

/** Taint on every agent node: only pods that tolerate it (agent pods) are scheduled there. */
export const AGENT_TAINT = {
  key: "jenkins-agent-bridge/agents",
  value: "true",
  effect: "NoSchedule",
} as const;

/** The node selector every agent pod carries. */
export const AGENT_NODE_SELECTOR = { [CAPACITY_LABEL]: Capacity.agents } as const;

/** The node selector of system workloads (the agent proxy). */
export const SYSTEM_NODE_SELECTOR = { [CAPACITY_LABEL]: Capacity.system } as const;

/** The toleration every agent pod carries, matching {@link AGENT_TAINT}. */
export const AGENT_TOLERATION = {
  key: AGENT_TAINT.key,
  operator: "Equal",
  value: AGENT_TAINT.value,
  effect: AGENT_TAINT.effect,
} as const;

/**
 * Pod annotation that keeps Karpenter from disrupting a node voluntarily (drift, consolidation)
 * while the pod runs; agent pods carry it so a build is never interrupted for a tidier fleet.
 * Expiry still ends such a node, after at most the NodePool's `terminationGracePeriod`.
 */
export const DO_NOT_DISRUPT_ANNOTATION = { "karpenter.sh/do-not-disrupt": "true" } as const;
