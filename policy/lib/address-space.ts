/**
 * How much of the public IPv4 internet a set of CIDR blocks admits. Pure.
 *
 * "Public" is every unicast address that is globally reachable: the whole IPv4 space minus the
 * blocks the IANA IPv4 Special-Purpose Address Registry (RFC 6890 and its updates) marks as not
 * globally reachable, multicast (224.0.0.0/4, RFC 5771) and the reserved 240.0.0.0/4 (RFC 1112,
 * including the limited broadcast address). Private and documentation blocks are left out on
 * purpose: an allow-list of 10.0.0.0/8 opens nothing to the internet, while 0.0.0.0/1 plus
 * 128.0.0.0/1 opens all of it without ever writing `/0`.
 */

/** An IPv4 block: its network address as an unsigned integer, and its prefix length. */
export interface Cidr {
  readonly network: number;
  readonly prefixLength: number;
}

/** Number of addresses in a block of the given prefix length. */
export const blockSize = (prefixLength: number): number => 2 ** (32 - prefixLength);
const lastAddress = (c: Cidr) => c.network + blockSize(c.prefixLength) - 1;

/**
 * Canonical IPv4 CIDR text (`a.b.c.d/n`, host bits zero) as a block, or undefined (IPv6 and
 * malformed text, which other checks judge). This pack imports nothing from the program, so it
 * parses on its own.
 */
export function parseIpv4Cidr(text: string): Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) return undefined;
  const network = octets.reduce((acc, o) => acc * 256 + o, 0);
  return network % blockSize(prefixLength) === 0 ? { network, prefixLength } : undefined;
}

const mustParse = (text: string): Cidr => {
  const cidr = parseIpv4Cidr(text);
  if (!cidr) throw new Error(`not a canonical IPv4 block: ${text}`);
  return cidr;
};

/**
 * Blocks that are not globally reachable unicast space. Source: IANA, "IANA IPv4 Special-Purpose
 * Address Registry" (https://www.iana.org/assignments/iana-ipv4-special-registry/), column
 * "Globally Reachable" = False; plus 224.0.0.0/4 (multicast) and 240.0.0.0/4 (reserved).
 */
export const NON_PUBLIC_BLOCKS: readonly string[] = [
  "0.0.0.0/8", // "this network", RFC 791
  "10.0.0.0/8", // private, RFC 1918
  "100.64.0.0/10", // shared address space (carrier-grade NAT), RFC 6598
  "127.0.0.0/8", // loopback, RFC 1122
  "169.254.0.0/16", // link local, RFC 3927
  "172.16.0.0/12", // private, RFC 1918
  "192.0.0.0/24", // IETF protocol assignments, RFC 6890
  "192.0.2.0/24", // documentation (TEST-NET-1), RFC 5737
  "192.168.0.0/16", // private, RFC 1918
  "198.18.0.0/15", // benchmarking, RFC 2544
  "198.51.100.0/24", // documentation (TEST-NET-2), RFC 5737
  "203.0.113.0/24", // documentation (TEST-NET-3), RFC 5737
  "224.0.0.0/4", // multicast, RFC 5771
  "240.0.0.0/4", // reserved, RFC 1112 (includes 255.255.255.255/32)
];

/** An inclusive range of addresses. */
type Range = readonly [first: number, last: number];

/** Sorts and merges blocks into disjoint, non-adjacent ranges. */
export function mergeRanges(blocks: readonly Cidr[]): Range[] {
  const sorted = blocks
    .map((b): Range => [b.network, lastAddress(b)])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [first, last] of sorted) {
    const top = merged.at(-1);
    if (top && first <= top[1] + 1) top[1] = Math.max(top[1], last);
    else merged.push([first, last]);
  }
  return merged;
}

const count = (ranges: readonly Range[]) => ranges.reduce((n, [a, b]) => n + (b - a + 1), 0);

/** Addresses shared by two sets of disjoint sorted ranges. */
function intersectionCount(a: readonly Range[], b: readonly Range[]): number {
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const first = Math.max(a[i][0], b[j][0]);
    const last = Math.min(a[i][1], b[j][1]);
    if (first <= last) n += last - first + 1;
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return n;
}

const NON_PUBLIC = mergeRanges(NON_PUBLIC_BLOCKS.map(mustParse));

/** Number of public IPv4 addresses (3,702,258,688). */
export const PUBLIC_ADDRESS_COUNT = 2 ** 32 - count(NON_PUBLIC);

/** Public addresses inside the union of the blocks (overlaps counted once). */
export function publicAddressesCovered(blocks: readonly Cidr[]): number {
  const merged = mergeRanges(blocks);
  return count(merged) - intersectionCount(merged, NON_PUBLIC);
}

/** The share (0 to 1) of the public IPv4 space the union of the blocks covers. */
export function publicShare(blocks: readonly Cidr[]): number {
  return publicAddressesCovered(blocks) / PUBLIC_ADDRESS_COUNT;
}

/** The default limit of an allow-list: at most as many public addresses as one /8 holds. */
export const DEFAULT_ALLOW_LIST_MAX_PREFIX = 8;
/** The loosest limit: a /2's worth (each /1 half holds more public addresses than that). */
export const LOOSEST_ALLOW_LIST_MAX_PREFIX = 2;

/** Percent with enough digits to tell small shares apart: `56.5%`, `0.0004%`. */
export function percent(share: number): string {
  if (share === 0) return "0%";
  const digits = Math.max(1, Math.min(10, 1 - Math.floor(Math.log10(share * 100))));
  return `${Number((share * 100).toFixed(digits))}%`;
}

/**
 * Why an allow-list is too wide, or undefined: its blocks (canonical CIDR text; others ignored,
 * as they are refused elsewhere) may together cover at most `blockSize(maxPrefix)` public
 * addresses.
 */
export function allowListProblem(cidrs: readonly string[], maxPrefix: number): string | undefined {
  const blocks = cidrs.flatMap((c) => parseIpv4Cidr(c) ?? []);
  const covered = publicAddressesCovered(blocks);
  const limit = blockSize(maxPrefix);
  if (covered <= limit) return undefined;
  return (
    `these blocks cover ${covered} public IPv4 addresses (${percent(covered / PUBLIC_ADDRESS_COUNT)} of the public internet); ` +
    `expected at most ${limit}, the size of one /${maxPrefix}`
  );
}
