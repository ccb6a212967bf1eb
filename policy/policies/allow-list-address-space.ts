/**
 * allow-list-address-space: no allow-list admits more of the public internet than one block of
 * `maxPrefix` (default /8) holds, however it is written: the blocks of one security group's
 * ingress (inline rules and rule resources together) and an EKS cluster's `publicAccessCidrs`
 * are merged and counted against the public IPv4 space (`policy/lib/address-space.ts`), so
 * `0.0.0.0/1` plus `128.0.0.0/1` is refused like `0.0.0.0/0`.
 *
 * Literal `0.0.0.0/0` and `::/0` are left to no-world-ingress and eks-api-not-public, which
 * refuse them except for the public UI behind the load balancer's authentication; IPv6 blocks
 * are not counted. Unknown entries (during a preview) are skipped, known ones judged.
 */
import {
  allowListProblem,
  DEFAULT_ALLOW_LIST_MAX_PREFIX,
  LOOSEST_ALLOW_LIST_MAX_PREFIX,
} from "../lib/address-space";
import {
  asList,
  asObject,
  isUnknown,
  isWorldCidr,
  mandatoryStackPolicy,
  Resource,
  Violation,
  violation,
} from "../lib/resources";
import { ingressEntries, ingressGroup } from "../lib/ingress";
import { TYPES } from "../lib/types";

/** The policy's configuration. */
export interface AllowListConfig {
  /** An allow-list may cover at most as many public addresses as one block of this prefix. */
  readonly maxPrefix: number;
}

const counted = (value: unknown): string[] =>
  asList(value).filter((c): c is string => typeof c === "string" && !isUnknown(c) && !isWorldCidr(c));

/** Every allow-list in the stack that covers more public space than the limit. */
export function checkAllowLists(
  resources: readonly Resource[],
  config: AllowListConfig = { maxPrefix: DEFAULT_ALLOW_LIST_MAX_PREFIX },
): Violation[] {
  const max = Math.max(LOOSEST_ALLOW_LIST_MAX_PREFIX, Math.min(32, Math.trunc(config.maxPrefix)));
  const violations: Violation[] = [];
  // One allow-list per security group: its own inline rules and the rule resources that name it.
  const lists = new Map<Resource, string[]>();
  for (const entry of resources.flatMap(ingressEntries)) {
    const blocks = counted(entry.ipv4);
    if (blocks.length === 0) continue;
    const group = ingressGroup(entry, resources) ?? entry.resource;
    lists.set(group, [...(lists.get(group) ?? []), ...blocks]);
  }
  for (const [group, blocks] of lists) {
    const problem = allowListProblem(blocks, max);
    if (problem) violations.push(violation(group, `ingress from ${blocks.join(", ")}: ${problem}`));
  }
  for (const cluster of resources.filter((r) => r.type === TYPES.eksCluster)) {
    const vpcConfig = asObject(asList(cluster.props.vpcConfig)[0]) ?? {};
    if (vpcConfig.endpointPublicAccess === false) continue;
    const blocks = counted(vpcConfig.publicAccessCidrs);
    const problem = allowListProblem(blocks, max);
    if (problem) violations.push(violation(cluster, `publicAccessCidrs ${blocks.join(", ")}: ${problem}`));
  }
  return violations;
}

export const allowListAddressSpace = mandatoryStackPolicy<AllowListConfig>(
  "allow-list-address-space",
  "No security group's ingress and no EKS public endpoint admits more public IPv4 addresses than one " +
    "block of maxPrefix (default /8) holds, counted over the merged blocks (0.0.0.0/1 plus 128.0.0.0/1 " +
    "is the whole internet).",
  (resources, config) => checkAllowLists(resources, { maxPrefix: DEFAULT_ALLOW_LIST_MAX_PREFIX, ...config }),
  {
    properties: {
      maxPrefix: {
        type: "integer",
        minimum: LOOSEST_ALLOW_LIST_MAX_PREFIX,
        maximum: 32,
        default: DEFAULT_ALLOW_LIST_MAX_PREFIX,
      },
    },
  },
);
