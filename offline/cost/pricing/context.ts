/**
 * What the pricing steps of one estimate share: the region's prices, the hours of a month, the
 * assumptions, the lines collected so far, and the shapes of line that recur across families
 * (resources charged by the hour, by the month, or by an assumed amount each; Spot prices).
 */
import { PlannedResource } from "../../engine";
import { Price, RegionPrices, UNCONFIRMED } from "../../prices";
import { Lines } from "../lines";
import { UsageAssumptions } from "../usage";

/** The pricing context of one estimate. */
export interface Pricing {
  readonly p: RegionPrices;
  readonly region: string;
  readonly hours: number;
  readonly usage: UsageAssumptions;
  readonly lines: Lines;
  /** The declared custom resources of a type. */
  ofType(type: string): PlannedResource[];
  /** An assumption, recorded as applied. */
  use<K extends keyof UsageAssumptions>(key: K): UsageAssumptions[K];
  /** Reports a resource the table cannot price. */
  refuse(r: PlannedResource, reason: string): void;
}

type Inputs = Record<string, unknown>;

export const isObject = (v: unknown): v is Inputs => typeof v === "object" && v !== null && !Array.isArray(v);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const num = (v: unknown): number | undefined => {
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
};
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** `count` units charged every hour of the month: the basis reads `what × 730 h` and then `after`. */
export function addHourly(
  c: Pricing,
  item: string,
  price: Price,
  count: number,
  what: string,
  resourceType: string,
  after = "",
): void {
  c.lines.add(item, price, count * c.hours, `${what} × ${c.hours} h${after}`, resourceType);
}

/**
 * The declared resources of `type`, one monthly charge each (`N × type` and `detail` of them); no
 * line when none is declared.
 */
export function addPerResource(
  c: Pricing,
  item: string,
  price: Price,
  type: string,
  detail: (resources: PlannedResource[]) => string = () => "",
): void {
  const resources = c.ofType(type);
  if (resources.length === 0) return;
  c.lines.add(item, price, resources.length, `${resources.length} × ${type}${detail(resources)}`, type);
}

/** The assumptions that are amounts. */
type AmountKey = {
  [K in keyof UsageAssumptions]: UsageAssumptions[K] extends number ? K : never;
}[keyof UsageAssumptions];

/** An assumed amount for each of `count` things: the basis reads `of`, the amount, its unit and key. */
export interface Assumed {
  readonly item: string;
  readonly price: Price;
  readonly count: number;
  /** The key of the amount each, recorded as applied. */
  readonly key: AmountKey;
  /** What is counted, with its separator from the amount: `2 gateways × `, `jenkins-home: `. */
  readonly of: string;
  /** The amount's unit: `GB`, `metrics`, `million`. */
  readonly unit: string;
  readonly resourceType: string;
}

/** An assumed amount as a basis cites it: `50 GB (natGbPerGateway)`. */
export const amountText = (key: AmountKey, each: number, unit: string) => `${each} ${unit} (${key})`;

export function addAssumed(c: Pricing, a: Assumed): void {
  const each = c.use(a.key);
  c.lines.add(a.item, a.price, a.count * each, `${a.of}${amountText(a.key, each, a.unit)}`, a.resourceType);
}

/** A Spot price: the on-demand price times the assumed share, marked as an assumption. */
function spotPrice(onDemand: Price, share: number): Price {
  return {
    usd: Number((onDemand.usd * share).toPrecision(12)),
    unit: onDemand.unit,
    source: onDemand.source,
    note: `${UNCONFIRMED}: Spot prices vary; ${share} × the on-demand $${onDemand.usd} (spotPriceShare).`,
  };
}

/**
 * The price of capacity on-demand or on Spot (at the assumed share, recorded as applied), with the
 * words a basis ends with on Spot.
 */
export function capacityPrice(c: Pricing, onDemand: Price, spot: boolean): { price: Price; onSpot: string } {
  if (!spot) return { price: onDemand, onSpot: "" };
  const share = c.use("spotPriceShare");
  return { price: spotPrice(onDemand, share), onSpot: ` (Spot at ${share} of on-demand: spotPriceShare)` };
}
