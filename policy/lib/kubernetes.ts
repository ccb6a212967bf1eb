/**
 * Kubernetes objects as the agent-side rules see them, and which namespaces are agent namespaces:
 * those where a RoleBinding grants a Role that creates pods (the controller's binding), plus any
 * named in a policy's `agentNamespaces` config. Whoever writes a Jenkinsfile can ask for any pod
 * spec there, so the rules judge these namespaces by what a build could do in them.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { asList, asObject, isUnknown, mandatoryStackPolicy, Props, Resource, Violation } from "./resources";
import { TYPES } from "./types";

/** Label the API server sets on every namespace to its name. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** An object's metadata. */
export function metadata(resource: Resource): Props {
  return asObject(resource.props.metadata) ?? {};
}

/** An object's namespace (`default` when unset, as the provider does), or undefined if unknown. */
export function namespaceOf(resource: Resource): string | undefined {
  const ns = metadata(resource).namespace;
  if (isUnknown(ns)) return undefined;
  return typeof ns === "string" && ns !== "" ? ns : "default";
}

/** Whether a rule of a Role lets its holder create pods. */
function createsPods(rule: unknown): boolean {
  const r = asObject(rule) ?? {};
  const has = (key: string, value: string) => asList(r[key]).some((v) => v === value || v === "*");
  return has("apiGroups", "") && has("resources", "pods") && has("verbs", "create");
}

/** Namespaces where someone is bound to create pods, and those the config names. */
export function agentNamespaces(resources: readonly Resource[], configured: unknown): string[] {
  const found = new Set(asList(configured).filter((v): v is string => typeof v === "string"));
  for (const binding of resources.filter((r) => r.type === TYPES.roleBinding)) {
    const ns = namespaceOf(binding);
    const ref = asObject(binding.props.roleRef) ?? {};
    const role = resources.find(
      (r) => r.type === TYPES.k8sRole && namespaceOf(r) === ns && metadata(r).name === ref.name,
    );
    if (ns && ref.kind === "Role" && role && asList(role.props.rules).some(createsPods)) found.add(ns);
  }
  return [...found].sort();
}

/** Config schema of the rules that take agent namespaces. */
export const AGENT_NAMESPACES_CONFIG = {
  properties: {
    agentNamespaces: {
      type: "array" as const,
      items: { type: "string" as const },
      description:
        "Namespaces of agent pods, besides those found by the controller's pod-creating RoleBinding.",
    },
  },
};

/** Check of a stack's agent namespaces: the stack's resources, and the configured namespaces. */
export type AgentNamespaceCheck = (resources: readonly Resource[], configured?: unknown) => Violation[];

/** A mandatory stack policy over the agent namespaces, configurable with `agentNamespaces`. */
export function agentNamespacePolicy(
  name: string,
  description: string,
  check: AgentNamespaceCheck,
): StackValidationPolicy {
  return mandatoryStackPolicy<{ agentNamespaces: string[] }>(
    name,
    description,
    (resources, config) => check(resources, config.agentNamespaces),
    AGENT_NAMESPACES_CONFIG,
  );
}
