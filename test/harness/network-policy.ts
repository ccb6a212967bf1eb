/**
 * What a set of NetworkPolicies lets through, by the rules of the Kubernetes API
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/): a pod selected by
 * no policy of a direction is open in that direction; a selected pod allows the union of the
 * selecting policies' rules. A peer with only `podSelector` means pods of the policy's own
 * namespace; with `namespaceSelector` (and optionally `podSelector`) pods of the matching
 * namespaces; `ipBlock` matches addresses (cluster pods included, as the VPC CNI gives pods VPC
 * addresses). Rules without `to`/`from` or `ports` match every peer or port.
 */
import { contains, mustParseCidr } from "../../components/network/cidr";

type Labels = Record<string, string>;
interface Selector {
  readonly matchLabels?: Labels;
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
interface PolicyPeer {
  readonly podSelector?: Selector;
  readonly namespaceSelector?: Selector;
  readonly ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyRule {
  readonly to?: PolicyPeer[];
  readonly from?: PolicyPeer[];
  readonly ports?: { protocol?: string; port?: number }[];
}
/** One policy as declared: its namespace and spec. */
export interface Policy {
  readonly namespace: string;
  readonly spec: {
    podSelector: Selector;
    policyTypes: string[];
    ingress?: PolicyRule[];
    egress?: PolicyRule[];
  };
}
/** A pod: where it runs, its labels and its address. */
export interface Pod {
  readonly namespace: string;
  readonly labels: Labels;
  readonly ip: string;
}
/** A destination or source: a pod, or an address outside the cluster. */
export type Peer = Pod | { readonly ip: string };

/** Label selector semantics: every matchLabels pair and every expression must hold. */
export function matches(selector: Selector, labels: Labels): boolean {
  const pairs = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const expressions = (selector.matchExpressions ?? []).every((e) => {
    const has = e.key in labels;
    switch (e.operator) {
      case "In":
        return has && (e.values ?? []).includes(labels[e.key]);
      case "NotIn":
        return !has || !(e.values ?? []).includes(labels[e.key]);
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
      default:
        throw new Error(`unknown operator ${e.operator}`);
    }
  });
  return pairs && expressions;
}

const namespaceLabels = (name: string): Labels => ({ "kubernetes.io/metadata.name": name });
const inBlock = (ip: string, cidr: string) => contains(mustParseCidr(cidr), mustParseCidr(`${ip}/32`));

function peerMatches(peer: PolicyPeer, policyNamespace: string, other: Peer): boolean {
  if (peer.ipBlock) {
    return (
      inBlock(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inBlock(other.ip, c))
    );
  }
  if (!("namespace" in other)) return false;
  const namespaceOk = peer.namespaceSelector
    ? matches(peer.namespaceSelector, namespaceLabels(other.namespace))
    : other.namespace === policyNamespace;
  return namespaceOk && (peer.podSelector ? matches(peer.podSelector, other.labels) : true);
}

function allowedOneWay(
  policies: readonly Policy[],
  pod: Pod,
  direction: "Ingress" | "Egress",
  other: Peer,
  port: number,
  protocol: string,
): boolean {
  const selecting = policies.filter(
    (p) =>
      p.namespace === pod.namespace &&
      p.spec.policyTypes.includes(direction) &&
      matches(p.spec.podSelector, pod.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((p) =>
    ((direction === "Egress" ? p.spec.egress : p.spec.ingress) ?? []).some((rule) => {
      const peers = direction === "Egress" ? rule.to : rule.from;
      const peerOk =
        !peers || peers.length === 0 || peers.some((peer) => peerMatches(peer, p.namespace, other));
      const portOk =
        !rule.ports ||
        rule.ports.some(
          (r) => (r.protocol ?? "TCP") === protocol && (r.port === undefined || r.port === port),
        );
      return peerOk && portOk;
    }),
  );
}

/** True when `from` may open a connection to `to` on `port`: its egress, and the target pod's ingress. */
export function connects(
  policies: readonly Policy[],
  from: Pod,
  to: Peer,
  port: number,
  protocol = "TCP",
): boolean {
  return (
    allowedOneWay(policies, from, "Egress", to, port, protocol) &&
    (!("namespace" in to) || allowedOneWay(policies, to, "Ingress", from, port, protocol))
  );
}
