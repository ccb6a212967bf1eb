/**
 * agent-pod-admission: every agent namespace is under a ValidatingAdmissionPolicy, bound with the
 * `Deny` action, that refuses what a hostile Jenkinsfile could ask for. The rule runs the policy's
 * CEL validations (with `@bufbuild/cel`) against an agent pod changed in one way each: another
 * service account, a token mounted or mountable, a host namespace, a hostPath volume, a host port,
 * a named node, no agent node selector, a toleration of every taint. Each must be denied on
 * creation. The policy must also fail closed (`failurePolicy: Fail`), match pods on CREATE and
 * UPDATE and added ephemeral containers, and exempt nothing by labels (no `objectSelector`, no
 * `matchConditions`), since a build sets its pod's labels.
 *
 * The agent pod the variants start from is the policy config `agentPod` (a pod spec), by default
 * the blueprint's: the `jenkins-agent` service account, no token, the agent node selector and
 * toleration. Source of the semantics: https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
import { run } from "@bufbuild/cel";
import { AGENT_NAMESPACES_CONFIG, agentNamespaces, metadata, NAMESPACE_NAME_LABEL } from "../lib/kubernetes";
import {
  asList,
  asObject,
  mandatoryStackPolicy,
  Props,
  Resource,
  show,
  Violation,
  violation,
} from "../lib/resources";
import { TYPES } from "../lib/types";

/** The blueprint's agent pod spec: what the variants change one thing of. */
export const DEFAULT_AGENT_POD: Props = {
  serviceAccountName: "jenkins-agent",
  automountServiceAccountToken: false,
  nodeSelector: { "jenkins-agent-bridge/capacity": "agents" },
  tolerations: [
    { key: "jenkins-agent-bridge/agents", operator: "Equal", value: "true", effect: "NoSchedule" },
  ],
  containers: [{ name: "jnlp", image: "jenkins/inbound-agent" }],
};

/** What a build could ask for, as a change to the agent pod spec; each must be denied. */
export const HOSTILE_VARIANTS: readonly { readonly asks: string; readonly change: (spec: Props) => Props }[] =
  [
    { asks: "runs as another service account", change: (s) => ({ ...s, serviceAccountName: "default" }) },
    {
      asks: "mounts its service account token",
      change: (s) => ({ ...s, automountServiceAccountToken: true }),
    },
    {
      asks: "mounts a projected service account token",
      change: (s) => ({
        ...s,
        volumes: [{ name: "t", projected: { sources: [{ serviceAccountToken: { path: "token" } }] } }],
      }),
    },
    { asks: "uses the host network", change: (s) => ({ ...s, hostNetwork: true }) },
    { asks: "uses the host PID namespace", change: (s) => ({ ...s, hostPID: true }) },
    { asks: "uses the host IPC namespace", change: (s) => ({ ...s, hostIPC: true }) },
    {
      asks: "mounts a hostPath volume",
      change: (s) => ({ ...s, volumes: [{ name: "h", hostPath: { path: "/" } }] }),
    },
    {
      asks: "uses a host port",
      change: (s) => ({
        ...s,
        containers: [{ name: "c", image: "busybox", ports: [{ containerPort: 22, hostPort: 22 }] }],
      }),
    },
    { asks: "names its node", change: (s) => ({ ...s, nodeName: "system-node-1" }) },
    { asks: "does not select agent nodes", change: (s) => ({ ...s, nodeSelector: {} }) },
    {
      asks: "tolerates every taint",
      change: (s) => ({ ...s, tolerations: [...asList(s.tolerations), { operator: "Exists" }] }),
    },
  ];

/** JSON in, CEL values out (maps for objects, so `has()` tests presence; ints for whole numbers). */
function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (value !== null && typeof value === "object") {
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  }
  return typeof value === "number" && Number.isInteger(value) ? BigInt(value) : value;
}

/** Whether a policy's validations deny `pod` on `operation` (an evaluation error denies, under Fail). */
export function denies(policySpec: Props, pod: Props, operation = "CREATE"): boolean {
  const bindings: Record<string, unknown> = { object: toCel(pod), request: toCel({ operation }) };
  try {
    const variables = new Map<string, unknown>();
    for (const v of asList(policySpec.variables).map((x) => asObject(x) ?? {})) {
      variables.set(String(v.name), run(String(v.expression), { ...bindings, variables } as never));
    }
    return asList(policySpec.validations).some(
      (v) => run(String(asObject(v)?.expression), { ...bindings, variables } as never) !== true,
    );
  } catch {
    return true;
  }
}

const includesAny = (list: unknown, values: string[]) => asList(list).some((v) => values.includes(String(v)));

/** What keeps a policy spec from holding agent pods, whatever its validations. */
function matchProblems(policySpec: Props): string[] {
  const problems: string[] = [];
  if (policySpec.failurePolicy !== undefined && policySpec.failurePolicy !== "Fail") {
    problems.push(`failurePolicy is ${show(policySpec.failurePolicy)}; it must be Fail`);
  }
  if (asList(policySpec.matchConditions).length > 0) {
    problems.push("it has matchConditions, which can exempt pods by what a build controls");
  }
  const constraints = asObject(policySpec.matchConstraints) ?? {};
  if (Object.keys(asObject(constraints.objectSelector) ?? {}).length > 0) {
    problems.push("matchConstraints.objectSelector exempts pods by labels, which a build sets");
  }
  const rules = asList(constraints.resourceRules).map((r) => asObject(r) ?? {});
  const covers = (resource: string, operation: string) =>
    rules.some(
      (r) =>
        includesAny(r.apiGroups, ["", "*"]) &&
        includesAny(r.resources, [resource, "*", resource.includes("/") ? "*/*" : "*"]) &&
        includesAny(r.operations, [operation, "*"]),
    );
  for (const [resource, operation] of [
    ["pods", "CREATE"],
    ["pods", "UPDATE"],
    ["pods/ephemeralcontainers", "UPDATE"],
  ]) {
    if (!covers(resource, operation)) problems.push(`it does not match ${operation} of ${resource}`);
  }
  return problems;
}

/** Whether a binding applies the policy with Deny in namespace `ns`, exempting nothing by labels. */
function bindsDenyIn(binding: Resource, ns: string): boolean {
  const spec = asObject(binding.props.spec) ?? {};
  const match = asObject(spec.matchResources) ?? {};
  const selector = asObject(match.namespaceSelector);
  const labels = asObject(selector?.matchLabels) ?? {};
  const namespaceOk =
    !selector ||
    (asList(selector.matchExpressions).length === 0 &&
      Object.entries(labels).every(([k, v]) => k === NAMESPACE_NAME_LABEL && v === ns));
  return (
    includesAny(spec.validationActions, ["Deny"]) &&
    namespaceOk &&
    Object.keys(asObject(match.objectSelector) ?? {}).length === 0 &&
    asList(match.excludeResourceRules).length === 0
  );
}

/** Violations of the stack's agent namespaces. */
export function checkAgentPodAdmission(
  resources: readonly Resource[],
  configured?: unknown,
  agentPod: Props = DEFAULT_AGENT_POD,
): Violation[] {
  const violations: Violation[] = [];
  for (const ns of agentNamespaces(resources, configured)) {
    const where = `agent namespace ${ns}`;
    const specs = resources
      .filter((b) => b.type === TYPES.admissionBinding && bindsDenyIn(b, ns))
      .map((b) => asObject(b.props.spec)?.policyName)
      .flatMap((name) =>
        resources.filter((p) => p.type === TYPES.admissionPolicy && metadata(p).name === name),
      )
      .map((p) => ({ policy: p, spec: asObject(p.props.spec) ?? {} }));
    if (specs.length === 0) {
      violations.push({
        message: `${where}: no ValidatingAdmissionPolicy is bound there with the Deny action (and no label exemption); agent pods are held by Pod Security alone`,
      });
      continue;
    }
    const sound: typeof specs = [];
    for (const s of specs) {
      const problems = matchProblems(s.spec);
      violations.push(...problems.map((problem) => violation(s.policy, problem)));
      if (problems.length === 0) sound.push(s);
    }
    for (const variant of HOSTILE_VARIANTS) {
      const pod = { metadata: { namespace: ns }, spec: variant.change(agentPod) };
      if (!sound.some((s) => denies(s.spec, pod))) {
        violations.push({
          message: `${where}: no admission policy bound there denies a pod that ${variant.asks}`,
        });
      }
    }
  }
  return violations;
}

export const agentPodAdmission = mandatoryStackPolicy<{ agentNamespaces: string[]; agentPod: Props }>(
  "agent-pod-admission",
  "Every agent namespace is under a ValidatingAdmissionPolicy, bound with Deny and failing closed, " +
    "that refuses another service account, tokens, host namespaces, paths and ports, named nodes, " +
    "other nodes than agent nodes and foreign tolerations.",
  (resources, config) => checkAgentPodAdmission(resources, config.agentNamespaces, config.agentPod),
  {
    properties: {
      ...AGENT_NAMESPACES_CONFIG.properties,
      agentPod: { type: "object", description: "The agent pod spec the hostile variants start from." },
    },
  },
);
