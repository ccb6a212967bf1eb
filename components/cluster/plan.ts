/**
 * Pure pieces of the agent cluster: its roles' managed policies, its log group and who may reach
 * its public endpoint, the kubeconfig, the controller's RBAC rules, the namespace's labels, quota
 * and limits. The component creates resources from these.
 */
import { AGENT_NODE_SELECTOR, AGENT_TOLERATION } from "../shared/capacity";

/** Service CIDR of the cluster, fixed so the DNS service has a known address. */
export const SERVICE_CIDR = "172.20.0.0/16";
/** Control-plane log types sent to CloudWatch Logs. */
export const CONTROL_PLANE_LOGS = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
] as const;
/** The AWS managed policies of the control plane's role and of the system nodes' role. */
export const CLUSTER_POLICIES: readonly string[] = ["AmazonEKSClusterPolicy"];
export const NODE_POLICIES: readonly string[] = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEC2ContainerRegistryReadOnly",
  "AmazonEKS_CNI_Policy",
];
/** The EKS access policy of the cluster's admins. */
export const ADMIN_POLICY = "AmazonEKSClusterAdminPolicy";

/** The log group EKS writes control-plane logs to (EKS user guide, "Send control plane logs to CloudWatch Logs"). */
export const controlPlaneLogGroup = (clusterName: string) => `/aws/eks/${clusterName}/cluster`;

/**
 * Blocks allowed on the public API endpoint: each NAT address of the master network (where the
 * controller reaches the API from) as a /32, then the configured blocks.
 */
export function publicAccessCidrs(natIps: readonly string[], allowed: readonly string[]): string[] {
  return [...natIps.map((ip) => `${ip}/32`), ...allowed];
}

/** Name of the controller's service account. */
export const CONTROLLER_SERVICE_ACCOUNT = "jenkins-controller";
/** Name of the agents' service account. */
export const AGENT_SERVICE_ACCOUNT = "jenkins-agent";

/**
 * The pod-spec fields the agent namespace's admission policy requires of every pod there (the
 * checks' own Jobs included): the agent service account without a token, on agent nodes only.
 * Fresh objects each call, so YAML rendering never turns them into anchors and aliases.
 */
export function agentPodPlacement() {
  return {
    serviceAccountName: AGENT_SERVICE_ACCOUNT,
    automountServiceAccountToken: false,
    nodeSelector: { ...AGENT_NODE_SELECTOR },
    tolerations: [{ ...AGENT_TOLERATION }],
  };
}

/** A kubeconfig that authenticates with `aws eks get-token` (no static credentials). */
export function kubeconfig(p: {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly certificateAuthorityData: string;
  readonly region: string;
  /** AWS CLI profile, as the AWS provider uses it. */
  readonly profile?: string;
  /** Role to assume, as the AWS provider does. */
  readonly roleArn?: string;
}): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: p.clusterName,
        cluster: { server: p.endpoint, "certificate-authority-data": p.certificateAuthorityData },
      },
    ],
    contexts: [{ name: p.clusterName, context: { cluster: p.clusterName, user: p.clusterName } }],
    "current-context": p.clusterName,
    users: [
      {
        name: p.clusterName,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: [
              "eks",
              "get-token",
              "--cluster-name",
              p.clusterName,
              "--region",
              p.region,
              ...(p.roleArn ? ["--role-arn", p.roleArn] : []),
              ...(p.profile ? ["--profile", p.profile] : []),
              "--output",
              "json",
            ],
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
}

/**
 * What the Kubernetes plugin needs in the agent namespace, and nothing more: manage agent pods,
 * exec into them (the `container` step), read their logs and the namespace's events.
 */
export const CONTROLLER_RULES = [
  {
    apiGroups: [""],
    resources: ["pods"],
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
  },
  { apiGroups: [""], resources: ["pods/exec"], verbs: ["create", "get"] },
  { apiGroups: [""], resources: ["pods/log"], verbs: ["get", "list", "watch"] },
  { apiGroups: [""], resources: ["events"], verbs: ["get", "list", "watch"] },
] as const;

/** Pod Security Admission labels: `restricted`, enforced, audited and warned. */
export function podSecurityLabels(): Record<string, string> {
  return Object.fromEntries(
    ["enforce", "audit", "warn"].flatMap((mode) => [
      [`pod-security.kubernetes.io/${mode}`, "restricted"],
      [`pod-security.kubernetes.io/${mode}-version`, "latest"],
    ]),
  );
}

/**
 * The agent namespace's quota allows limits of this many times its requests. Every pod that runs
 * there keeps its limits within the same factor of its requests (agents: config/agent-pod.ts
 * `checkAgentPodLimits`; the smoke and agent path checks: their own constants), so agents at the
 * container cap leave enough of the limits for the checks' pods.
 */
export const QUOTA_LIMITS_PER_REQUEST = 2;

/** The namespace's ResourceQuota: requests as configured, limits QUOTA_LIMITS_PER_REQUEST times that. */
export function quotaHard(q: {
  readonly cpuCores: number;
  readonly memoryGiB: number;
  readonly pods: number;
}) {
  return {
    pods: String(q.pods),
    "requests.cpu": String(q.cpuCores),
    "requests.memory": `${q.memoryGiB}Gi`,
    "limits.cpu": String(QUOTA_LIMITS_PER_REQUEST * q.cpuCores),
    "limits.memory": `${QUOTA_LIMITS_PER_REQUEST * q.memoryGiB}Gi`,
  };
}

/** Defaults for containers that set no resources, so every pod counts against the quota. */
export const CONTAINER_DEFAULTS = {
  defaultRequest: { cpu: "250m", memory: "256Mi" },
  default: { cpu: "1", memory: "1Gi" },
} as const;

/**
 * How many agent pods fit in the namespace's quota once `reserved` (the smoke and agent path
 * checks' pods: config/capacity.ts `namespaceReservation`) is taken out, each asking `agent` (every container of the pod template: see
 * components/jenkins/agent-pod.ts `agentPodRequest`): the cloud's container cap, so Jenkins never
 * asks for a pod the quota refuses.
 */
export function agentCapacity(
  quota: { readonly cpuCores: number; readonly memoryGiB: number; readonly pods: number },
  reserved: { readonly pods: number; readonly cpuMillicores: number; readonly memoryMiB: number },
  agent: { readonly cpuMillicores: number; readonly memoryMiB: number },
): number {
  return Math.max(
    0,
    Math.min(
      quota.pods - reserved.pods,
      Math.floor((quota.cpuCores * 1000 - reserved.cpuMillicores) / agent.cpuMillicores),
      Math.floor((quota.memoryGiB * 1024 - reserved.memoryMiB) / agent.memoryMiB),
    ),
  );
}

/**
 * Security contexts under the Pod Security `restricted` profile for a workload that runs as a fixed
 * user and group: the pod's (non-root, the runtime's seccomp profile) and its containers' (no
 * privilege escalation, every capability dropped, a read-only root).
 */
export function restrictedSecurity(uid: number, gid: number) {
  // Fresh objects each: a shared one would come out of YAML rendering as an anchor and an alias.
  const identity = () => ({ runAsNonRoot: true, runAsUser: uid, runAsGroup: gid });
  const seccompProfile = () => ({ type: "RuntimeDefault" });
  return {
    pod: { ...identity(), seccompProfile: seccompProfile() },
    container: {
      ...identity(),
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: seccompProfile(),
    },
  };
}

/** A NetworkPolicy egress rule to cluster DNS (kube-dns in kube-system), UDP and TCP 53. */
export const DNS_EGRESS = {
  to: [
    {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
      podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
    },
  ],
  ports: [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ],
};
