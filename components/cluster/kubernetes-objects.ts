/**
 * The agent cluster's Kubernetes objects: the agent namespace (Pod Security `restricted`, default
 * container limits, the quota) and what holds for every pod there (the egress policy, the agents'
 * service account, the admission policy), and the controller's identity in a namespace of its own
 * with its rotating token. The AgentCluster component (cluster.ts) declares them through its
 * provider.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { agentPodPolicy, agentPodPolicyBinding } from "./admission";
import type { AgentClusterArgs } from "./cluster";
import {
  agentEgressRules,
  CONTROLLER_NAMESPACE,
  controllerTokenRotatesAt,
  controllerTokenSecretName,
} from "./isolation";
import {
  AGENT_SERVICE_ACCOUNT,
  CONTAINER_DEFAULTS,
  CONTROLLER_RULES,
  CONTROLLER_SERVICE_ACCOUNT,
  podSecurityLabels,
  quotaHard,
} from "./plan";

/** What the Kubernetes objects are made from: the cluster's settings, and the clock of the token's rotation. */
export type KubernetesObjectsArgs = Pick<
  AgentClusterArgs,
  | "namespace"
  | "quotaCpuCores"
  | "quotaMemoryGiB"
  | "quotaPods"
  | "agentEgress"
  | "controllerTokenRotationDays"
> & {
  /** The clock (ms since the epoch) that picks the token's rotation period. */
  readonly now: number;
};

/**
 * Declares the agent cluster's Kubernetes objects, each named `<name>-<suffix>`, with `k8sOpts`
 * (the component as parent, its Kubernetes provider and transformations). Returns the Secret that
 * holds the controller's token.
 */
export function kubernetesObjects(
  name: string,
  args: KubernetesObjectsArgs,
  k8sOpts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret {
  const namespace = agentNamespace(name, args, k8sOpts);
  const tokenSecret = controllerIdentity(name, args, namespace, k8sOpts);
  agentPodRules(name, args, namespace, k8sOpts);
  return tokenSecret;
}

/** The agent namespace: Pod Security `restricted`, default container limits, the quota. */
function agentNamespace(name: string, args: KubernetesObjectsArgs, k8sOpts: pulumi.CustomResourceOptions) {
  const namespace = new k8s.core.v1.Namespace(
    `${name}-agents`,
    { metadata: { name: args.namespace, labels: podSecurityLabels() } },
    k8sOpts,
  );
  const ns = namespace.metadata.name;
  new k8s.core.v1.LimitRange(
    `${name}-agents`,
    {
      metadata: { name: "agent-defaults", namespace: ns },
      spec: { limits: [{ type: "Container", ...CONTAINER_DEFAULTS }] },
    },
    k8sOpts,
  );
  new k8s.core.v1.ResourceQuota(
    `${name}-agents`,
    {
      metadata: { name: "agent-quota", namespace: ns },
      spec: {
        hard: quotaHard({
          cpuCores: args.quotaCpuCores,
          memoryGiB: args.quotaMemoryGiB,
          pods: args.quotaPods,
        }),
      },
    },
    k8sOpts,
  );
  return namespace;
}

/**
 * The controller's identity: a namespace of its own (no pods run there), bound into the agent
 * namespace only, and the token of this rotation period. No credential is ever kept in the agent
 * namespace, where any build could mount it.
 */
function controllerIdentity(
  name: string,
  args: KubernetesObjectsArgs,
  namespace: k8s.core.v1.Namespace,
  k8sOpts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret {
  const ns = namespace.metadata.name;
  const controllerNamespace = new k8s.core.v1.Namespace(
    `${name}-controller`,
    { metadata: { name: CONTROLLER_NAMESPACE, labels: podSecurityLabels() } },
    k8sOpts,
  );
  const controllerNs = controllerNamespace.metadata.name;
  const controllerAccount = new k8s.core.v1.ServiceAccount(
    `${name}-controller`,
    {
      metadata: { name: CONTROLLER_SERVICE_ACCOUNT, namespace: controllerNs },
      automountServiceAccountToken: false,
    },
    k8sOpts,
  );
  const role = new k8s.rbac.v1.Role(
    `${name}-controller`,
    {
      metadata: { name: CONTROLLER_SERVICE_ACCOUNT, namespace: ns },
      rules: CONTROLLER_RULES.map((r) => ({
        apiGroups: [...r.apiGroups],
        resources: [...r.resources],
        verbs: [...r.verbs],
      })),
    },
    k8sOpts,
  );
  new k8s.rbac.v1.RoleBinding(
    `${name}-controller`,
    {
      metadata: { name: CONTROLLER_SERVICE_ACCOUNT, namespace: ns },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
      subjects: [{ kind: "ServiceAccount", name: controllerAccount.metadata.name, namespace: controllerNs }],
    },
    k8sOpts,
  );
  // The token of this rotation period; a new period's name replaces the Secret (created first,
  // the old one deleted last, which invalidates its token).
  return new k8s.core.v1.Secret(
    `${name}-controller-token`,
    {
      metadata: {
        name: controllerTokenSecretName(
          CONTROLLER_SERVICE_ACCOUNT,
          args.controllerTokenRotationDays,
          args.now,
        ),
        namespace: controllerNs,
        annotations: {
          "kubernetes.io/service-account.name": CONTROLLER_SERVICE_ACCOUNT,
          "jenkins-agent-bridge/rotates-at": controllerTokenRotatesAt(
            args.controllerTokenRotationDays,
            args.now,
          ),
        },
      },
      type: "kubernetes.io/service-account-token",
    },
    { ...k8sOpts, dependsOn: [controllerAccount], additionalSecretOutputs: ["data"] },
  );
}

/**
 * What holds for every pod of the agent namespace: the egress policy (only the way to the
 * controller), the agents' service account without a token, and the admission policy on what any
 * pod there may ask for, whoever creates it.
 */
function agentPodRules(
  name: string,
  args: KubernetesObjectsArgs,
  namespace: k8s.core.v1.Namespace,
  k8sOpts: pulumi.CustomResourceOptions,
): void {
  const ns = namespace.metadata.name;
  new k8s.networking.v1.NetworkPolicy(
    `${name}-agent-egress`,
    {
      metadata: { name: "agent-egress", namespace: ns },
      spec: pulumi
        .output(args.agentEgress)
        .apply(agentEgressRules) as unknown as k8s.types.input.networking.v1.NetworkPolicySpec,
    },
    k8sOpts,
  );
  new k8s.core.v1.ServiceAccount(
    `${name}-agent`,
    { metadata: { name: AGENT_SERVICE_ACCOUNT, namespace: ns }, automountServiceAccountToken: false },
    k8sOpts,
  );
  const admission = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(
    `${name}-agent-pods`,
    agentPodPolicy(
      AGENT_SERVICE_ACCOUNT,
    ) as unknown as k8s.admissionregistration.v1.ValidatingAdmissionPolicyArgs,
    k8sOpts,
  );
  new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(
    `${name}-agent-pods`,
    agentPodPolicyBinding(
      args.namespace,
    ) as unknown as k8s.admissionregistration.v1.ValidatingAdmissionPolicyBindingArgs,
    { ...k8sOpts, dependsOn: [admission, namespace] },
  );
}
