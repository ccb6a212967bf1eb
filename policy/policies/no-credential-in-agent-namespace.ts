/**
 * no-credential-in-agent-namespace: an agent namespace holds no Secret (a build pod can mount any
 * Secret of its namespace), in particular no `kubernetes.io/service-account-token`, and no
 * service account that is granted anything there: a build can run as any service account of its
 * namespace, so the controller's account lives in another namespace and is bound in.
 */
import { agentNamespacePolicy, agentNamespaces, metadata, namespaceOf } from "../lib/kubernetes";
import { asList, asObject, Resource, show, Violation, violation } from "../lib/resources";
import { TYPES } from "../lib/types";

/** Violations of the stack's agent namespaces. */
export function checkAgentCredentials(resources: readonly Resource[], configured?: unknown): Violation[] {
  const violations: Violation[] = [];
  for (const ns of agentNamespaces(resources, configured)) {
    for (const secret of resources.filter((r) => r.type === TYPES.k8sSecret && namespaceOf(r) === ns)) {
      const type = secret.props.type === undefined ? "Opaque" : secret.props.type;
      violations.push(
        violation(
          secret,
          `Secret ${show(metadata(secret).name)} (type ${show(type)}) is in agent namespace ${ns}, where any build pod can mount it; keep credentials outside the agent namespace`,
        ),
      );
    }
    for (const binding of resources.filter((r) => r.type === TYPES.roleBinding && namespaceOf(r) === ns)) {
      for (const subject of asList(binding.props.subjects).map((s) => asObject(s) ?? {})) {
        if (subject.kind === "ServiceAccount" && (subject.namespace ?? ns) === ns) {
          violations.push(
            violation(
              binding,
              `grants service account ${show(subject.name)} of agent namespace ${ns}, which any build pod can run as; bind a service account of another namespace`,
            ),
          );
        }
      }
    }
  }
  return violations;
}

export const noCredentialInAgentNamespace = agentNamespacePolicy(
  "no-credential-in-agent-namespace",
  "An agent namespace holds no Secret (no service-account token) and no service account granted a " +
    "role there: builds can mount any Secret and run as any service account of their namespace.",
  checkAgentCredentials,
);
