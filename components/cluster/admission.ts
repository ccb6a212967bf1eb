/**
 * The admission policy of the agent namespace: a `ValidatingAdmissionPolicy` and its binding
 * (admissionregistration.k8s.io/v1, GA and on by default since Kubernetes 1.30; no webhook or
 * controller to run). Whoever writes a Jenkinsfile can ask for any pod spec; this pins what a pod
 * in the agent namespace may be, whoever creates it (the controller, a Job, a user), on top of the
 * namespace's Pod Security `restricted` labels.
 *
 * Sources: https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 * (matchConstraints, validations, `object`/`request` variables, a validation that errors counts as
 * a failure under `failurePolicy: Fail`); the Pod API reference (tolerations: an empty key with
 * `Exists` tolerates every taint, an empty effect matches every effect; ephemeral containers are
 * added through the `pods/ephemeralcontainers` subresource, whose admission object is the Pod);
 * the DefaultTolerationSeconds admission plugin (adds `node.kubernetes.io/not-ready` and
 * `node.kubernetes.io/unreachable`, `Exists`, `NoExecute`, 300 s to every pod before validation).
 */
import { AGENT_NODE_SELECTOR, AGENT_TOLERATION, CAPACITY_LABEL } from "../shared/capacity";

/** Name of the admission policy and of its binding. */
export const AGENT_POD_POLICY = "jenkins-agent-pods";

/** The tolerations DefaultTolerationSeconds adds to every pod; an agent pod may carry them. */
export const STANDARD_TOLERATION_KEYS = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"];

/** One validation: a CEL expression that must be true, and the message when it is not. */
export interface PodValidation {
  readonly expression: string;
  readonly message: string;
}

const q = (text: string) => `'${text}'`;
/** True when every container of the list (when present) passes `check` on `c`. */
const everyContainer = (check: string) =>
  ["containers", "initContainers", "ephemeralContainers"]
    .map((list) => `(!has(object.spec.${list}) || object.spec.${list}.all(c, ${check}))`)
    .join(" && ");
const noVolume = (check: string) => `!has(object.spec.volumes) || object.spec.volumes.all(v, ${check})`;
const notTrue = (field: string) => `!has(object.spec.${field}) || object.spec.${field} == false`;

/** What a pod in the agent namespace must satisfy; each line closes one way out of a build. */
export function agentPodValidations(agentServiceAccount: string): PodValidation[] {
  const [selectorKey, selectorValue] = Object.entries(AGENT_NODE_SELECTOR)[0];
  const t = AGENT_TOLERATION;
  const agentToleration = [
    `t.key == ${q(t.key)}`,
    `(!has(t.operator) || t.operator == ${q(t.operator)})`,
    `has(t.value) && t.value == ${q(t.value)}`,
    `has(t.effect) && t.effect == ${q(t.effect)}`,
  ].join(" && ");
  const standardToleration = [
    `(${STANDARD_TOLERATION_KEYS.map((k) => `t.key == ${q(k)}`).join(" || ")})`,
    "has(t.operator) && t.operator == 'Exists'",
    "has(t.effect) && t.effect == 'NoExecute'",
  ].join(" && ");
  return [
    {
      expression: `has(object.spec.serviceAccountName) && object.spec.serviceAccountName == ${q(agentServiceAccount)}`,
      message: `agent pods run as the service account ${agentServiceAccount} only`,
    },
    {
      expression:
        "has(object.spec.automountServiceAccountToken) && object.spec.automountServiceAccountToken == false",
      message: "agent pods must set automountServiceAccountToken: false",
    },
    {
      expression: noVolume(
        "!has(v.projected) || !has(v.projected.sources) || v.projected.sources.all(s, !has(s.serviceAccountToken))",
      ),
      message: "agent pods must not mount service account tokens (projected serviceAccountToken volumes)",
    },
    {
      expression: ["hostNetwork", "hostPID", "hostIPC"].map((f) => `(${notTrue(f)})`).join(" && "),
      message: "agent pods must not use the host's network, PID or IPC namespaces",
    },
    {
      expression: noVolume("!has(v.hostPath)"),
      message: "agent pods must not mount hostPath volumes",
    },
    {
      expression: everyContainer("!has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0)"),
      message: "agent pods must not use host ports",
    },
    {
      // The scheduler binds pods through pods/binding, which this policy does not match; a pod
      // that names its node on creation skips the scheduler and the node selector below.
      expression: "request.operation != 'CREATE' || !has(object.spec.nodeName) || object.spec.nodeName == ''",
      message: "agent pods must not name their node (spec.nodeName)",
    },
    {
      expression: `has(object.spec.nodeSelector) && ${q(selectorKey)} in object.spec.nodeSelector && object.spec.nodeSelector[${q(selectorKey)}] == ${q(selectorValue)}`,
      message: `agent pods must select agent nodes (nodeSelector ${CAPACITY_LABEL}: ${selectorValue})`,
    },
    {
      expression: `!has(object.spec.tolerations) || object.spec.tolerations.all(t, has(t.key) && ((${agentToleration}) || (${standardToleration})))`,
      message: `agent pods may tolerate only the agent taint (${t.key}=${t.value}:${t.effect}) and the not-ready and unreachable taints`,
    },
  ];
}

/** The ValidatingAdmissionPolicy: pods, on creation, update and ephemeral containers added. */
export function agentPodPolicy(agentServiceAccount: string): Record<string, unknown> {
  return admissionObject("ValidatingAdmissionPolicy", {
    failurePolicy: "Fail",
    matchConstraints: {
      resourceRules: [
        {
          apiGroups: [""],
          apiVersions: ["v1"],
          operations: ["CREATE", "UPDATE"],
          resources: ["pods", "pods/ephemeralcontainers"],
        },
      ],
    },
    validations: agentPodValidations(agentServiceAccount).map((v) => ({ ...v, reason: "Forbidden" })),
  });
}

/** The binding: the policy denies in the agent namespace (by its immutable name label). */
export function agentPodPolicyBinding(agentNamespace: string): Record<string, unknown> {
  return admissionObject("ValidatingAdmissionPolicyBinding", {
    policyName: AGENT_POD_POLICY,
    validationActions: ["Deny"],
    matchResources: {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": agentNamespace } },
    },
  });
}

/** An admissionregistration.k8s.io/v1 object of `kind`, named after the agent pod policy. */
function admissionObject(kind: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: "admissionregistration.k8s.io/v1", kind, metadata: { name: AGENT_POD_POLICY }, spec };
}
