/**
 * The agent namespace must be a namespace of its own: not one the blueprint keeps for the proxy or
 * the controller's identity (their isolation is by namespace), and not one of Kubernetes' own.
 */
import { CONTROLLER_NAMESPACE, PROXY_NAMESPACE } from "../components/cluster/isolation";
import { configKey } from "./keys";
import { Problems } from "./schema";
import type { StackConfig } from "./stack-schema";

/** Namespaces Kubernetes creates and uses itself. */
export const KUBERNETES_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"] as const;

/** Refuses an agent namespace (`agentCluster.namespace`) that another owner keeps. */
export function checkAgentNamespace(config: StackConfig, problems: Problems): void {
  const key = configKey("agentCluster.namespace");
  const namespace = config.agentCluster.namespace;
  const taken = [PROXY_NAMESPACE, CONTROLLER_NAMESPACE, ...KUBERNETES_NAMESPACES];
  if (!problems.has(key) && taken.includes(namespace)) {
    problems.invalid(key, namespace, `a namespace of the agents' own, not one of ${taken.join(", ")}`);
  }
}
