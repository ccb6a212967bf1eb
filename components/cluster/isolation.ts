/**
 * How the agent side is kept apart, as plain data: three namespaces (agents, the proxy, the
 * controller's identity), the NetworkPolicies between them, and the name of the controller's
 * rotating token. Anyone who writes a Jenkinsfile can give a build pod any label and any service
 * account the agent namespace admits, so nothing here trusts a pod label in that namespace:
 * traffic is told apart by namespace (the `kubernetes.io/metadata.name` label, which the API
 * server sets to the namespace's name and keeps), and no credential lives beside the agents.
 */
import { DNS_EGRESS } from "./plan";

/** Namespace of the agent proxy (websocket): the controller can create nothing there. */
export const PROXY_NAMESPACE = "jenkins-agent-proxy";
/** Namespace of the controller's service account and its token; no pods run there. */
export const CONTROLLER_NAMESPACE = "jenkins-controller";

/**
 * Label every namespace carries with its own name (Kubernetes 1.21 and later, set by the API
 * server; https://kubernetes.io/docs/reference/labels-annotations-taints/#kubernetes-io-metadata-name).
 */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** A NetworkPolicy peer: every pod of one namespace, picked by the namespace's name. */
export function namespacePeer(namespace: string) {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } } };
}

/** How agent pods may reach the controller: through the proxy, or the endpoint's ports directly. */
export interface AgentEgress<Addresses = readonly string[]> {
  /** Block of the agent VPC (where the endpoint and the cluster's private API live). */
  readonly vpcCidr: string;
  /** websocket: the proxy's namespace and port. */
  readonly proxy?: { readonly namespace: string; readonly port: number };
  /** tcp: the interface endpoint's addresses and the ports agents connect to there directly. */
  readonly endpoint?: { readonly addresses: Addresses; readonly ports: readonly number[] };
}

/**
 * Egress of every pod in the agent namespace (`podSelector: {}`: no label exempts a pod, since a
 * build can set any label): cluster DNS, the internet (not the VPC), and the controller only by
 * its agent path: the proxy's namespace (websocket) or the endpoint's own addresses on its agent
 * ports (tcp). Build code thus cannot reach the controller's UI or API through the endpoint, the
 * cluster's private API, the kubelets or anything else in the agent VPC.
 */
export function agentEgressRules(egress: AgentEgress): Record<string, unknown> {
  return {
    podSelector: {},
    policyTypes: ["Egress"],
    egress: [
      DNS_EGRESS,
      { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [egress.vpcCidr] } }] },
      ...(egress.proxy
        ? [
            {
              to: [namespacePeer(egress.proxy.namespace)],
              ports: [{ protocol: "TCP", port: egress.proxy.port }],
            },
          ]
        : []),
      ...(egress.endpoint && egress.endpoint.addresses.length > 0 && egress.endpoint.ports.length > 0
        ? [
            {
              to: egress.endpoint.addresses.map((address) => ({ ipBlock: { cidr: `${address}/32` } })),
              ports: egress.endpoint.ports.map((port) => ({ protocol: "TCP", port })),
            },
          ]
        : []),
    ],
  };
}

/**
 * The proxy namespace's policy, for every pod there: in, agent traffic from the agent namespace
 * on the proxy port; out, TLS to the endpoint (in the agent VPC) and cluster DNS.
 */
export function proxyNetworkPolicySpec(p: {
  readonly agentNamespace: string;
  readonly port: number;
  /** The interface endpoint's addresses: the proxy's only destination besides DNS. */
  readonly endpointAddresses: readonly string[];
}): Record<string, unknown> {
  return {
    podSelector: {},
    policyTypes: ["Ingress", "Egress"],
    ingress: [{ from: [namespacePeer(p.agentNamespace)], ports: [{ protocol: "TCP", port: p.port }] }],
    egress: [
      ...(p.endpointAddresses.length > 0
        ? [
            {
              to: p.endpointAddresses.map((address) => ({ ipBlock: { cidr: `${address}/32` } })),
              ports: [{ protocol: "TCP", port: 443 }],
            },
          ]
        : []),
      DNS_EGRESS,
    ],
  };
}

/** Days a controller token lives before `pulumi up` replaces it, by default. */
export const DEFAULT_TOKEN_ROTATION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The rotation period holding `nowMs`: periods of `rotationDays` counted from the Unix epoch. */
function rotationPeriod(rotationDays: number, nowMs: number): number {
  return Math.floor(nowMs / (rotationDays * DAY_MS));
}

/**
 * Name of the controller's token Secret in the rotation period holding `nowMs`: periods of
 * `rotationDays` counted from the Unix epoch. The first `pulumi up` in a new period creates the
 * Secret of that period and deletes the previous one, which invalidates its token (a legacy
 * service-account token is accepted only while its Secret exists:
 * https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#manual-secret-management-for-serviceaccounts).
 */
export function controllerTokenSecretName(
  serviceAccount: string,
  rotationDays: number,
  nowMs: number,
): string {
  return `${serviceAccount}-token-${rotationPeriod(rotationDays, nowMs)}`;
}

/** When the token of the period holding `nowMs` is replaced (the period's end), ISO 8601. */
export function controllerTokenRotatesAt(rotationDays: number, nowMs: number): string {
  return new Date((rotationPeriod(rotationDays, nowMs) + 1) * rotationDays * DAY_MS).toISOString();
}
