/**
 * service-trust-conditions: a role that ECS tasks or VPC flow logs may assume names the account
 * and the source resources it serves (`aws:SourceAccount` and `aws:SourceArn`, the conditions
 * both services document against the confused-deputy problem), so no other account's task or
 * flow log can be given the role.
 */
import {
  asList,
  asObject,
  isUnknown,
  mandatoryResourcePolicy,
  Resource,
  Violation,
  violation,
} from "../lib/resources";
import { TYPES } from "../lib/types";

/** Services that state their source when they assume a role, and so must be held to it. */
export const SOURCE_SERVICES = ["ecs-tasks.amazonaws.com", "vpc-flow-logs.amazonaws.com"];

/** The violations of one resource. */
export function checkServiceTrust(resource: Resource): Violation[] {
  const policy = resource.props.assumeRolePolicy;
  if (resource.type !== TYPES.role || isUnknown(policy) || typeof policy !== "string") return [];
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    return [];
  }
  return asList(asObject(document)?.Statement).flatMap((s) => {
    const statement = asObject(s) ?? {};
    if (statement.Effect !== "Allow") return [];
    const services = asList(asObject(statement.Principal)?.Service).map(String);
    const conditions = JSON.stringify(statement.Condition ?? {});
    const narrowed = conditions.includes("aws:SourceAccount") && conditions.includes("aws:SourceArn");
    return services
      .filter((service) => SOURCE_SERVICES.includes(service) && !narrowed)
      .map((service) =>
        violation(resource, `trusts ${service} without aws:SourceAccount and aws:SourceArn conditions`),
      );
  });
}

export const serviceTrustConditions = mandatoryResourcePolicy(
  "service-trust-conditions",
  "Roles assumed by ECS tasks or VPC flow logs carry aws:SourceAccount and aws:SourceArn conditions.",
  checkServiceTrust,
);
