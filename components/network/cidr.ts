/**
 * IPv4 CIDR arithmetic: parse, format, containment and overlap. Pure functions, no dependencies.
 *
 * Addresses are unsigned 32-bit integers held in plain numbers (exact below 2^53).
 */

/** A parsed IPv4 CIDR block: the network address as an unsigned integer and the prefix length. */
export interface Cidr {
  readonly network: number;
  readonly prefixLength: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Number of addresses in a block of the given prefix length. */
export function blockSize(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}

function parseAddress(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) {
    return undefined;
  }
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** A dotted-quad IPv4 address, each octet in 0-255 without leading zeros. */
export function isIpv4Address(text: string): boolean {
  return parseAddress(text) !== undefined;
}

/** Formats an unsigned 32-bit address as dotted quad. */
export function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

/** Formats a block as `a.b.c.d/n`. */
export function formatCidr(cidr: Cidr): string {
  return `${formatAddress(cidr.network)}/${cidr.prefixLength}`;
}

/** The outcome of {@link parseCidr}: the block, or why the text is not one. */
export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; reason: string };

/**
 * Parses canonical IPv4 CIDR notation, exactly as AWS expects it: no spaces, no leading zeros, and
 * host bits zero (`10.0.0.1/16` is refused, and the
 * reason names the canonical block `10.0.0.0/16`), so a typo never silently moves a network.
 */
export function parseCidr(text: string): CidrParse {
  const match = /^([0-9.]+)\/(0|[1-9]\d?)$/.exec(text);
  if (!match) {
    return { ok: false, reason: "not in a.b.c.d/n form" };
  }
  const address = parseAddress(match[1]);
  const prefixLength = Number(match[2]);
  if (address === undefined) {
    return { ok: false, reason: "the address is not four octets of 0-255" };
  }
  if (prefixLength > 32) {
    return { ok: false, reason: "the prefix length is above 32" };
  }
  const size = blockSize(prefixLength);
  const network = address - (address % size);
  if (network !== address) {
    return { ok: false, reason: `host bits are set (the block is ${formatCidr({ network, prefixLength })})` };
  }
  return { ok: true, cidr: { network, prefixLength } };
}

/** Parses CIDR text that is known to be valid; throws otherwise (for values already validated). */
export function mustParseCidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed.ok) {
    throw new Error(`invalid CIDR ${JSON.stringify(text)}: ${parsed.reason}`);
  }
  return parsed.cidr;
}

/** Last address of a block. */
export function lastAddress(cidr: Cidr): number {
  return cidr.network + blockSize(cidr.prefixLength) - 1;
}

/** True when `inner` lies wholly inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.network >= outer.network && lastAddress(inner) <= lastAddress(outer);
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.network <= lastAddress(b) && b.network <= lastAddress(a);
}
