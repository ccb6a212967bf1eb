/**
 * eks-api-not-public: an EKS cluster's public API endpoint, when on (`endpointPublicAccess`, which
 * AWS turns on when unset), admits named blocks only: `publicAccessCidrs` must be set and must not
 * contain `0.0.0.0/0` or `::/0` (unset, AWS uses `0.0.0.0/0`). The agent cluster admits the master
 * network's NAT addresses and the blocks of `agentCluster.apiAccess`.
 *
 * During a preview of a new stack the blocks are unknown (they are the NAT gateways' addresses);
 * `pulumi up` validates the cluster again with them resolved. Known entries are checked at once.
 */
import {
  asList,
  asObject,
  isUnknown,
  isWorldCidr,
  Resource,
  show,
  Violation,
  violation,
  mandatoryResourcePolicy,
} from "../lib/resources";
import { TYPES } from "../lib/types";

/** The violations of one resource. */
export function checkEksApi(resource: Resource): Violation[] {
  if (resource.type !== TYPES.eksCluster || isUnknown(resource.props.vpcConfig)) return [];
  const vpcConfig = asObject(asList(resource.props.vpcConfig)[0]) ?? {};
  const publicAccess = vpcConfig.endpointPublicAccess;
  if (publicAccess === false || isUnknown(publicAccess)) return [];
  const cidrs = vpcConfig.publicAccessCidrs;
  if (isUnknown(cidrs)) return [];
  const state = publicAccess === undefined ? "on by default" : "on";
  const list = asList(cidrs);
  if (list.length === 0) {
    return [
      violation(
        resource,
        `the public API endpoint is ${state} and publicAccessCidrs is ${show(cidrs)}, which AWS treats as ["0.0.0.0/0"]; ` +
          `list the blocks allowed, or set endpointPublicAccess false`,
      ),
    ];
  }
  return list
    .filter(isWorldCidr)
    .map((cidr) =>
      violation(
        resource,
        `the public API endpoint is ${state} and publicAccessCidrs contains ${show(cidr)}; ` +
          `the Kubernetes API must not be open to the whole internet`,
      ),
    );
}

export const eksApiNotPublic = mandatoryResourcePolicy(
  "eks-api-not-public",
  "An EKS cluster's public API endpoint, if enabled, admits listed blocks only: publicAccessCidrs is " +
    "set and holds neither 0.0.0.0/0 nor ::/0.",
  checkEksApi,
);
