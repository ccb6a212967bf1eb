/**
 * The subnet plan of a {@link Network}: VPC CIDR and availability-zone count in, subnet specs out.
 * Pure; the component creates resources from its result.
 *
 * Layout: private subnets are numbered upwards from the start of the VPC block, public subnets
 * downwards from its end. Subnet `i` therefore sits at the same address whatever the number of
 * zones, so adding a zone later adds subnets and never renumbers (replaces) existing ones.
 */
import { blockSize, Cidr, formatAddress, formatCidr, mustParseCidr } from "./cidr";

/** AWS accepts VPC and subnet prefix lengths from /16 to /28. */
export const MIN_PREFIX_LENGTH = 16;
export const MAX_PREFIX_LENGTH = 28;

/** The two subnet tiers. Public subnets route to the internet gateway; private ones to NAT (if any). */
export const SubnetTier = { public: "public", private: "private" } as const;
export type SubnetTier = (typeof SubnetTier)[keyof typeof SubnetTier];

/** Input of {@link planSubnets}. */
export interface SubnetPlanInput {
  /** The VPC block, canonical IPv4 CIDR. */
  readonly cidrBlock: string;
  /** Number of availability zones; one public and one private subnet each. */
  readonly azCount: number;
  /** Prefix length of each public subnet (e.g. 24). */
  readonly publicPrefixLength: number;
  /** Prefix length of each private subnet (e.g. 20). */
  readonly privatePrefixLength: number;
}

/** One planned subnet. */
export interface SubnetSpec {
  readonly tier: SubnetTier;
  /** Index of the availability zone (0-based, in the order the zones were given). */
  readonly azIndex: number;
  readonly cidrBlock: string;
  /** Stable key, used in logical names: `public-0`, `private-1`, ... */
  readonly key: string;
}

/** Why a layout cannot be planned. */
export class SubnetLayoutError extends Error {}

function layoutProblem(vpc: Cidr, input: SubnetPlanInput): string | undefined {
  const { azCount, publicPrefixLength: pub, privatePrefixLength: priv } = input;
  if (vpc.prefixLength < MIN_PREFIX_LENGTH || vpc.prefixLength > MAX_PREFIX_LENGTH) {
    return `a VPC block must be /${MIN_PREFIX_LENGTH} to /${MAX_PREFIX_LENGTH}, got /${vpc.prefixLength}`;
  }
  if (!Number.isInteger(azCount) || azCount < 1) {
    return `the zone count must be a positive integer, got ${azCount}`;
  }
  for (const [tier, length] of [
    ["public", pub],
    ["private", priv],
  ] as const) {
    if (!Number.isInteger(length) || length <= vpc.prefixLength || length > MAX_PREFIX_LENGTH) {
      return `${tier} subnets must be longer than the VPC's /${vpc.prefixLength} and at most /${MAX_PREFIX_LENGTH}, got /${length}`;
    }
  }
  const needed = azCount * (blockSize(pub) + blockSize(priv));
  const available = blockSize(vpc.prefixLength);
  if (needed > available) {
    return (
      `${azCount} public /${pub} and ${azCount} private /${priv} subnets need ${needed} addresses; ` +
      `${formatCidr(vpc)} holds ${available}`
    );
  }
  return undefined;
}

/**
 * Why `input` cannot be laid out, or `undefined` when it can. Used by config validation so a bad
 * layout is reported with every other problem before anything is created.
 */
export function subnetLayoutProblem(input: SubnetPlanInput): string | undefined {
  return layoutProblem(mustParseCidr(input.cidrBlock), input);
}

/**
 * Plans one public and one private subnet per zone. Order is stable: public subnets by zone, then
 * private subnets by zone. Throws {@link SubnetLayoutError} when the subnets do not fit.
 */
export function planSubnets(input: SubnetPlanInput): SubnetSpec[] {
  const vpc = mustParseCidr(input.cidrBlock);
  const problem = layoutProblem(vpc, input);
  if (problem !== undefined) {
    throw new SubnetLayoutError(problem);
  }
  const end = vpc.network + blockSize(vpc.prefixLength);
  const zones = Array.from({ length: input.azCount }, (_, i) => i);
  const spec = (tier: SubnetTier, azIndex: number, network: number, prefixLength: number): SubnetSpec => ({
    tier,
    azIndex,
    cidrBlock: formatCidr({ network, prefixLength }),
    key: `${tier}-${azIndex}`,
  });
  return [
    ...zones.map((i) =>
      spec("public", i, end - (i + 1) * blockSize(input.publicPrefixLength), input.publicPrefixLength),
    ),
    ...zones.map((i) =>
      spec("private", i, vpc.network + i * blockSize(input.privatePrefixLength), input.privatePrefixLength),
    ),
  ];
}

/** The default number of zones. */
export const DEFAULT_AZ_COUNT = 2;

/** Zones a network spans: its zone IDs, or `azCount`. */
export function networkAzCount(availabilityZoneIds?: readonly unknown[], azCount?: number): number {
  return availabilityZoneIds?.length ?? azCount ?? DEFAULT_AZ_COUNT;
}

/** The subnets of a network's settings (as the Network component lays them out). */
export function networkSubnets(network: {
  readonly cidrBlock: string;
  readonly availabilityZoneIds?: readonly unknown[];
  readonly azCount?: number;
  readonly publicSubnetPrefixLength: number;
  readonly privateSubnetPrefixLength: number;
}): SubnetSpec[] {
  return planSubnets({
    cidrBlock: network.cidrBlock,
    azCount: networkAzCount(network.availabilityZoneIds, network.azCount),
    publicPrefixLength: network.publicSubnetPrefixLength,
    privatePrefixLength: network.privateSubnetPrefixLength,
  });
}

/**
 * The first address AWS assigns in a subnet: it reserves the first four of every subnet
 * (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html). The offline plan gives
 * this address to each endpoint network interface, and `render:nginx` does the same.
 */
export function firstAssignableAddress(subnetCidr: string): string {
  return formatAddress(mustParseCidr(subnetCidr).network + 4);
}
