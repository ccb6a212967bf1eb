/**
 * no-world-ingress: nothing admits the whole internet (`0.0.0.0/0` or `::/0`), with one exception
 * shaped exactly like the public UI: tcp 443 on a security group that is attached to nothing but
 * internet-facing application load balancers, each with an HTTPS listener on 443 whose default
 * actions sign users in first (`authenticate-oidc` or `authenticate-cognito`):
 * `components/jenkins/ui.ts` opens only that, and only for a public load balancer with a
 * certificate and the identity provider in front. Jenkins' own password is not enough. Covers inline `ingress` blocks of security groups (and the default security
 * group), `aws:ec2/securityGroupRule` rules of type ingress, `aws:vpc/securityGroupIngressRule`
 * rules, and ip blocks of Kubernetes NetworkPolicy ingress.
 *
 * A stack policy, since the exception depends on other resources. References are matched by the
 * engine's property dependencies or, where values are known, by ID or ARN; an exception that
 * cannot be proven that way (e.g. a security group outside the stack) does not apply.
 */
import {
  asList,
  asObject,
  isComponentType,
  isPublicAlb,
  isWorldCidr,
  label,
  mandatoryStackPolicy,
  num,
  refersTo,
  Resource,
  Violation,
  violation,
} from "../lib/resources";
import { IngressEntry, ingressEntries, ingressGroup } from "../lib/ingress";
import { LOAD_BALANCER_TYPES, SECURITY_GROUP_RULE_TYPES, SECURITY_GROUP_TYPES, TYPES } from "../lib/types";

const LISTENER_TYPES: readonly string[] = [TYPES.listener, TYPES.albListener];

/** One ingress permission from the whole internet. */
interface WorldIngress {
  readonly resource: Resource;
  /** Where in the resource, e.g. ` (ingress[0])`; empty for a rule resource. */
  readonly where: string;
  readonly cidr: string;
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  /** The security group permission it is, or none for a NetworkPolicy's ip block. */
  readonly entry?: IngressEntry;
}

/** `tcp 443`, `tcp 0-65535`, `all traffic`. */
export function portText(protocol: string, fromPort?: number, toPort?: number): string {
  const p = protocol.toLowerCase();
  if (p === "-1" || p === "all") return "all traffic";
  const name = p === "6" ? "tcp" : p === "17" ? "udp" : p;
  if (fromPort === undefined && toPort === undefined) return `${name} (all ports)`;
  return fromPort === toPort ? `${name} ${fromPort}` : `${name} ${fromPort}-${toPort}`;
}

/** Every whole-internet ingress permission a resource declares. */
export function worldIngressOf(resource: Resource): WorldIngress[] {
  const p = resource.props;
  if (resource.type === TYPES.networkPolicy) {
    const spec = asObject(p.spec) ?? {};
    return asList(spec.ingress).flatMap((rule, i) =>
      asList(asObject(rule)?.from).flatMap((peer, j) => {
        const cidr = asObject(asObject(peer)?.ipBlock)?.cidr;
        return isWorldCidr(cidr)
          ? [
              {
                resource,
                where: ` (spec.ingress[${i}].from[${j}].ipBlock)`,
                cidr: String(cidr),
                protocol: "all",
              },
            ]
          : [];
      }),
    );
  }
  return ingressEntries(resource).flatMap((entry) =>
    [...entry.ipv4, ...entry.ipv6].filter(isWorldCidr).map((cidr) => ({
      resource,
      where: entry.where,
      cidr: String(cidr),
      protocol: entry.protocol,
      fromPort: num(entry.fields.fromPort),
      toPort: num(entry.fields.toPort),
      entry,
    })),
  );
}

/** Actions that sign a user in before a request goes on. */
const AUTHENTICATE_ACTIONS = ["authenticate-oidc", "authenticate-cognito"];

/** Whether a listener's default actions sign users in before forwarding. */
function authenticates(listener: Resource): boolean {
  return asList(listener.props.defaultActions).some((a) =>
    AUTHENTICATE_ACTIONS.includes(String(asObject(a)?.type)),
  );
}

/**
 * Why the public-UI exception does not cover a tcp 443 permission on `group`, or nothing when it
 * does: every resource the group is attached to must be an internet-facing application load
 * balancer with an HTTPS listener on 443, and there must be at least one.
 */
function exceptionGaps(group: Resource, resources: readonly Resource[]): string[] {
  const attached = resources.filter(
    (r) =>
      r !== group &&
      !isComponentType(r.type) &&
      !SECURITY_GROUP_TYPES.includes(r.type) &&
      !SECURITY_GROUP_RULE_TYPES.includes(r.type) &&
      Object.keys(r.props).some((prop) => refersTo(r, prop, group)),
  );
  if (attached.length === 0) {
    return [`security group "${group.name}" is not attached to an internet-facing application load balancer`];
  }
  return attached.flatMap((r) => {
    if (!LOAD_BALANCER_TYPES.includes(r.type)) {
      return [`security group "${group.name}" is also attached to ${label(r)}`];
    }
    if (!isPublicAlb(r)) {
      return [`${label(r)} is not an internet-facing application load balancer`];
    }
    const https = resources.filter(
      (l) =>
        LISTENER_TYPES.includes(l.type) &&
        refersTo(l, "loadBalancerArn", r) &&
        num(l.props.port) === 443 &&
        l.props.protocol === "HTTPS",
    );
    if (https.length === 0) return [`${label(r)} has no HTTPS listener on 443`];
    return https.some(authenticates)
      ? []
      : [`${label(r)} does not sign users in on 443 (no authenticate-oidc action)`];
  });
}

/** Every whole-internet ingress in the stack that the public-UI exception does not cover. */
export function checkWorldIngress(resources: readonly Resource[]): Violation[] {
  return resources.flatMap((resource) =>
    worldIngressOf(resource).flatMap((ingress) => {
      const what = `ingress from ${ingress.cidr} on ${portText(ingress.protocol, ingress.fromPort, ingress.toPort)}${ingress.where}`;
      if (!ingress.entry) {
        return [violation(resource, `${what}; a network policy never admits the whole internet`)];
      }
      const tcp443 =
        ["tcp", "6"].includes(ingress.protocol.toLowerCase()) &&
        ingress.fromPort === 443 &&
        ingress.toPort === 443;
      if (!tcp443) {
        return [
          violation(
            resource,
            `${what}; only tcp 443 of an internet-facing HTTPS application load balancer may admit the whole internet`,
          ),
        ];
      }
      const group = ingressGroup(ingress.entry, resources);
      const gaps = group
        ? exceptionGaps(group, resources)
        : ["its security group is not one of this stack's security groups"];
      return gaps.length > 0 ? [violation(resource, `${what}; ${gaps.join("; ")}`)] : [];
    }),
  );
}

export const noWorldIngress = mandatoryStackPolicy(
  "no-world-ingress",
  "No security group, security group rule or network policy admits 0.0.0.0/0 or ::/0, except tcp 443 " +
    "on a security group attached only to internet-facing application load balancers with an HTTPS " +
    "listener on 443 that signs users in first (the public Jenkins UI behind OIDC).",
  checkWorldIngress,
);
