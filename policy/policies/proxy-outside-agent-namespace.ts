/**
 * proxy-outside-agent-namespace: no service runs in an agent namespace. A Service there selects
 * by labels a build can copy (a build pod joins it and receives other agents' connections,
 * `Secret-Key` headers included), and a long-running workload there shares the builds' policies;
 * so no Service, long-running workload (Deployment, StatefulSet, DaemonSet, ReplicaSet) or child
 * of the agent proxy component is declared in one. The proxy runs in a namespace of its own. Pods,
 * Jobs and CronJobs that go where agents go (checks of the agent path) may run there, under the
 * namespace's admission policy like any agent pod.
 */
import { agentNamespacePolicy, agentNamespaces, metadata, namespaceOf } from "../lib/kubernetes";
import { Resource, show, typeChain, Violation, violation } from "../lib/resources";
import { COMPONENT_TYPES, TYPES } from "../lib/types";

const WORKLOADS: readonly string[] = [
  TYPES.deployment,
  TYPES.statefulSet,
  TYPES.daemonSet,
  TYPES.replicaSet,
  TYPES.k8sService,
];

/** Violations of the stack's agent namespaces. */
export function checkProxyNamespace(resources: readonly Resource[], configured?: unknown): Violation[] {
  const namespaces = agentNamespaces(resources, configured);
  return resources
    .filter((r) => r.type.startsWith("kubernetes:") && namespaces.includes(namespaceOf(r) ?? ""))
    .filter((r) => WORKLOADS.includes(r.type) || typeChain(r.urn).includes(COMPONENT_TYPES.agentProxy))
    .map((r) =>
      violation(
        r,
        `${show(metadata(r).name)} is in agent namespace ${namespaceOf(r)}, where builds can copy its labels and share its policies; ` +
          "run it in a namespace of its own",
      ),
    );
}

export const proxyOutsideAgentNamespace = agentNamespacePolicy(
  "proxy-outside-agent-namespace",
  "No service runs in an agent namespace: no Service, no long-running workload and nothing of the " +
    "agent proxy, whose labels a build could copy to receive other agents' connections.",
  checkProxyNamespace,
);
