/**
 * endpoint-service-restricted: the VPC endpoint service in front of the controller requires
 * acceptance (`acceptanceRequired: true`), and no allowed principal is a wildcard: neither an
 * inline `allowedPrincipals` entry nor an `aws:ec2/vpcEndpointServiceAllowedPrinciple` (the
 * provider's spelling) `principalArn` may contain `*`.
 */
import {
  asList,
  isUnknown,
  Resource,
  show,
  Violation,
  violation,
  mandatoryResourcePolicy,
} from "../lib/resources";
import { TYPES } from "../lib/types";

const isWildcard = (principal: unknown) => typeof principal === "string" && principal.includes("*");

/** The violations of one resource. */
export function checkEndpointService(resource: Resource): Violation[] {
  const p = resource.props;
  const problems: string[] = [];
  if (resource.type === TYPES.endpointService) {
    if (p.acceptanceRequired !== true && !isUnknown(p.acceptanceRequired)) {
      problems.push(
        `acceptanceRequired is ${show(p.acceptanceRequired)}; every endpoint connection must be accepted`,
      );
    }
    for (const principal of asList(p.allowedPrincipals).filter(isWildcard)) {
      problems.push(`allowedPrincipals contains ${show(principal)}; allow named principals only`);
    }
  }
  if (resource.type === TYPES.allowedPrincipal && isWildcard(p.principalArn)) {
    problems.push(`principalArn is ${show(p.principalArn)}; allow named principals only`);
  }
  return problems.map((problem) => violation(resource, problem));
}

export const endpointServiceRestricted = mandatoryResourcePolicy(
  "endpoint-service-restricted",
  "VPC endpoint services require acceptance of every connection, and their allowed principals " +
    "(inline or aws:ec2/vpcEndpointServiceAllowedPrinciple) are never a wildcard.",
  checkEndpointService,
);
