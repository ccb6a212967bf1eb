/**
 * endpoint-admits-proxy-only: with transport `websocket`, the security group of the agent VPC's
 * interface endpoint to the controller admits no address block (IPv4, IPv6 or prefix list) and
 * not the EKS cluster security group, which every node and pod of the cluster carries. Only the
 * proxy's own node group may be admitted: a build pod then cannot reach the controller's UI or API
 * through the endpoint, whatever pod spec it asks for. With `tcp`, agents connect to the endpoint
 * themselves and the policy does not apply.
 *
 * The transport comes from the same place as for no-agent-port-with-websocket (this policy's
 * config `transport`, else the stack output or the AgentProxy component). The endpoint is any
 * `Interface` VPC endpoint; its groups are matched by ID or by the engine's property dependencies.
 * During a preview of a new stack the cluster security group's ID is not known yet, so a rule that
 * references it is caught by dependency (the rule computed from the EKS cluster) or at the next run.
 */
import { asObject, refersTo, Resource, strings, UNKNOWN, Violation, violation } from "../lib/resources";
import { ingressEntries, ingressGroup } from "../lib/ingress";
import { TYPES } from "../lib/types";
import { transportStackPolicy, TransportDecision } from "./no-agent-port-with-websocket";

/** The cluster security group IDs EKS reported for each cluster. */
function clusterGroups(resources: readonly Resource[]): { cluster: Resource; id: string }[] {
  return resources
    .filter((r) => r.type === TYPES.eksCluster)
    .flatMap((cluster) =>
      strings(asObject(cluster.props.vpcConfig)?.clusterSecurityGroupId)
        .filter((id) => id !== UNKNOWN)
        .map((id) => ({ cluster, id })),
    );
}

/** What an ingress rule (or inline ingress entry) admits that it must not. */
function refused(
  rule: Resource,
  entry: Record<string, unknown>,
  clusters: { cluster: Resource; id: string }[],
  allClusters: readonly Resource[],
): string[] {
  const found: string[] = [];
  for (const key of [
    "cidrIpv4",
    "cidrIpv6",
    "prefixListId",
    "cidrBlocks",
    "ipv6CidrBlocks",
    "prefixListIds",
  ]) {
    for (const value of strings(entry[key])) found.push(`${key} ${value}`);
  }
  const referenced = [
    ...strings(entry.referencedSecurityGroupId),
    ...strings(entry.sourceSecurityGroupId),
    ...strings(entry.securityGroups),
  ];
  for (const { cluster, id } of clusters) {
    if (referenced.includes(id)) found.push(`the cluster security group ${id} of ${cluster.name}`);
  }
  if (found.length === 0 && rule.type !== TYPES.securityGroup) {
    for (const cluster of allClusters) {
      if (
        refersTo(rule, "referencedSecurityGroupId", cluster) ||
        refersTo(rule, "sourceSecurityGroupId", cluster)
      ) {
        found.push(`a group computed from the EKS cluster ${cluster.name} (its cluster security group)`);
      }
    }
  }
  return found;
}

/** Violations: what the endpoint's groups admit beyond one node group's security group. */
export function checkEndpointAdmission(
  resources: readonly Resource[],
  decision: TransportDecision,
): Violation[] {
  if (decision.transport !== "websocket") return [];
  const endpoints = resources.filter(
    (r) => r.type === TYPES.endpoint && r.props.vpcEndpointType === "Interface",
  );
  const groups = resources.filter(
    (g) => g.type === TYPES.securityGroup && endpoints.some((e) => refersTo(e, "securityGroupIds", g)),
  );
  const clusters = clusterGroups(resources);
  const eks = resources.filter((r) => r.type === TYPES.eksCluster);
  const tail = `with transport websocket (${decision.source}) the endpoint admits only the proxy's node group`;
  const out: Violation[] = [];
  const rules = resources.flatMap(ingressEntries).filter((e) => e.group === "securityGroupId");
  for (const group of groups) {
    // The group's inline entries, then the rule resources that name it.
    const entries = [...ingressEntries(group), ...rules.filter((e) => ingressGroup(e, [group]) === group)];
    for (const entry of entries) {
      for (const what of refused(entry.resource, entry.fields, clusters, eks))
        out.push(violation(entry.resource, `admits ${what}; ${tail}`));
    }
  }
  return out;
}

export const endpointAdmitsProxyOnly = transportStackPolicy(
  "endpoint-admits-proxy-only",
  "With transport websocket, the interface endpoint to the controller admits neither an address block " +
    "nor the EKS cluster security group (every node and pod), only the proxy's node group. The transport " +
    "comes from this policy's config `transport`, else from the stack output or the AgentProxy component.",
  checkEndpointAdmission,
);
