/**
 * The ingress permissions a stack declares for its security groups, in the three shapes AWS takes
 * them: an entry of a security group's inline `ingress` (its own or the default group's), an
 * `aws:ec2/securityGroupRule` of type ingress, and an `aws:vpc/securityGroupIngressRule`.
 */
import { asList, asObject, Props, refersTo, Resource } from "./resources";
import { SECURITY_GROUP_TYPES, TYPES } from "./types";

/** One ingress permission. */
export interface IngressEntry {
  /** The resource that declares it: the group itself for an inline entry, else the rule. */
  readonly resource: Resource;
  /** Its own fields: the inline entry's object, or the rule's properties. */
  readonly fields: Props;
  /** Where in the resource, e.g. ` (ingress[0])`; empty for a rule resource. */
  readonly where: string;
  /** Its source address blocks as written (`cidrBlocks` or `cidrIpv4`). */
  readonly ipv4: unknown[];
  /** Its IPv6 source blocks as written (`ipv6CidrBlocks` or `cidrIpv6`). */
  readonly ipv6: unknown[];
  /** Its protocol as written (`protocol` or `ipProtocol`), `-1` (all) when unset. */
  readonly protocol: string;
  /** The security group it belongs to: the resource itself, or the one `securityGroupId` names. */
  readonly group: "self" | "securityGroupId";
}

/** The ingress permissions one resource declares; none for a resource of another kind. */
export function ingressEntries(resource: Resource): IngressEntry[] {
  const p = resource.props;
  if (SECURITY_GROUP_TYPES.includes(resource.type)) {
    return asList(p.ingress).map((item, i) => {
      const fields = asObject(item) ?? {};
      return {
        resource,
        fields,
        where: ` (ingress[${i}])`,
        ipv4: asList(fields.cidrBlocks),
        ipv6: asList(fields.ipv6CidrBlocks),
        protocol: String(fields.protocol ?? "-1"),
        group: "self",
      };
    });
  }
  if (resource.type === TYPES.securityGroupRule && p.type === "ingress") {
    return [
      {
        resource,
        fields: p,
        where: "",
        ipv4: asList(p.cidrBlocks),
        ipv6: asList(p.ipv6CidrBlocks),
        protocol: String(p.protocol ?? "-1"),
        group: "securityGroupId",
      },
    ];
  }
  if (resource.type === TYPES.ingressRule) {
    return [
      {
        resource,
        fields: p,
        where: "",
        ipv4: asList(p.cidrIpv4),
        ipv6: asList(p.cidrIpv6),
        protocol: String(p.ipProtocol ?? "-1"),
        group: "securityGroupId",
      },
    ];
  }
  return [];
}

/** The stack's security group an ingress permission belongs to, if it is one of the stack's. */
export function ingressGroup(entry: IngressEntry, resources: readonly Resource[]): Resource | undefined {
  if (entry.group === "self") return entry.resource;
  return resources.find(
    (r) => SECURITY_GROUP_TYPES.includes(r.type) && refersTo(entry.resource, "securityGroupId", r),
  );
}
