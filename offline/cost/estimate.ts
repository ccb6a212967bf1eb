/**
 * Monthly cost estimate of a {@link Plan}: quantities derived from the resources the program
 * declares (gateways, load balancers, endpoint zones, nodes, tasks, keys, secrets, log groups),
 * priced with the dated table in `prices.ts`, over a 730-hour month. Usage-based charges (data
 * processed, logs ingested, files stored) come from explicit {@link UsageAssumptions}, which the
 * estimate lists. Pure functions: no network, no AWS.
 *
 * What an estimate is not: a bill. It leaves out data transfer between zones and to the internet,
 * API requests, and anything the table marks as not priced; it reports resources it cannot price
 * in `unpriced` instead of counting them as free.
 */
import { Plan, PlannedResource } from "../engine";
import { PRICES, PriceTable, RegionPrices } from "../prices";
import { cents, CostLine, Lines } from "./lines";
import { isObject, Pricing } from "./pricing/context";
import { priceFargateServices } from "./pricing/fargate";
import { priceLogs } from "./pricing/logs";
import { priceKeysSecretsAndZones } from "./pricing/monthly";
import { priceMonitoring } from "./pricing/monitoring";
import { priceEndpoints, priceLoadBalancers, priceNatGateways } from "./pricing/network";
import { priceEksControlPlanes, priceNodeGroups, priceNodePools } from "./pricing/nodes";
import { priceBackupVaults, priceFileSystems } from "./pricing/storage";
import { FREE_PACKAGES, FREE_TYPES, PRICED_TYPES, T } from "./resource-types";
import { DEFAULT_USAGE, UsageAssumptions } from "./usage";

/** A declared resource that costs money but that the estimate cannot price. */
export interface UnpricedResource {
  readonly type: string;
  readonly name: string;
  readonly reason: string;
}

export interface CostEstimate {
  readonly stack: string;
  readonly region: string;
  readonly regionName: string;
  readonly hoursPerMonth: number;
  /** Date the prices were read. */
  readonly pricesReadOn: string;
  /** Distinct pages and offer files the prices used come from. */
  readonly sources: string[];
  readonly lines: CostLine[];
  /** Sum of the lines' monthly amounts. */
  readonly totalMonthlyUsd: number;
  readonly unpriced: UnpricedResource[];
  /** The assumptions in force (defaults merged with the caller's). */
  readonly usage: UsageAssumptions;
  /** The assumptions some line used, in the order of {@link DEFAULT_USAGE}. */
  readonly usageApplied: (keyof UsageAssumptions)[];
  /** Charges an estimate never includes. */
  readonly notIncluded: string[];
}

export const NOT_INCLUDED = [
  "data transfer between zones and to the internet",
  "API requests (KMS, Secrets Manager, CloudWatch, EFS metadata)",
  "KMS charges for rotated key versions (from the second year)",
  "Route 53 queries",
];

/** The pricing steps, by resource family, in the order their lines appear. */
const PRICING_STEPS: readonly ((c: Pricing) => void)[] = [
  priceNatGateways,
  priceLoadBalancers,
  priceEndpoints,
  priceEksControlPlanes,
  priceNodeGroups,
  priceNodePools,
  priceFargateServices,
  priceFileSystems,
  priceBackupVaults,
  priceKeysSecretsAndZones,
  priceLogs,
  priceMonitoring,
];

/**
 * Estimates the monthly cost of a plan in a region. Throws if the price table has no such region.
 * `usage` overrides any of {@link DEFAULT_USAGE}; `table` defaults to the committed {@link PRICES}.
 */
export function estimateCost(
  plan: Plan,
  region: string,
  usage: Partial<UsageAssumptions> = {},
  table: PriceTable = PRICES,
): CostEstimate {
  const p: RegionPrices | undefined = table.regions[region];
  if (!p) {
    throw new Error(
      `no prices for region "${region}" in the price table (read ${table.readOn}); regions available: ${Object.keys(table.regions).sort().join(", ")}`,
    );
  }
  const u: UsageAssumptions = { ...DEFAULT_USAGE, ...usage };
  const applied = new Set<keyof UsageAssumptions>();
  const H = table.hoursPerMonth;
  const resources = plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
  const lines = new Lines();
  const unpriced: UnpricedResource[] = [];
  const refuse = (r: PlannedResource, reason: string) =>
    unpriced.push({ type: r.type, name: r.name, reason });
  const pricing: Pricing = {
    p,
    region,
    hours: H,
    usage: u,
    lines,
    ofType: (type) => resources.filter((r) => r.type === type),
    use: (key) => {
      applied.add(key);
      return u[key];
    },
    refuse,
  };
  for (const step of PRICING_STEPS) step(pricing);

  // Anything else: free by type or package, or reported as unpriced.
  for (const r of resources) {
    if (PRICED_TYPES.includes(r.type)) continue;
    if (r.type === T.certificate && isObject(r.inputs.options) && r.inputs.options.export === "ENABLED") {
      refuse(r, "exportable public certificates are not in the price table");
      continue;
    }
    if (r.type in FREE_TYPES || FREE_PACKAGES.has(r.type.split(":")[0])) continue;
    refuse(r, "no price rule for this resource type");
  }

  const built = lines.build();
  const total = built.reduce((sum, l) => sum + cents(l.monthlyUsd), 0) / 100;
  return {
    stack: plan.stack,
    region,
    regionName: p.regionName,
    hoursPerMonth: H,
    pricesReadOn: table.readOn,
    sources: lines.sources(),
    lines: built,
    totalMonthlyUsd: total,
    unpriced,
    usage: u,
    usageApplied: (Object.keys(DEFAULT_USAGE) as (keyof UsageAssumptions)[]).filter((k) => applied.has(k)),
    notIncluded: NOT_INCLUDED,
  };
}
