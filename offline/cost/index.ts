/**
 * Monthly cost estimate of a plan: `estimate.ts` prices it (with the steps of `pricing/` and the
 * assumptions of `usage.ts`), `delta.ts` compares two estimates, `render.ts` prints either.
 */
export { costDelta } from "./delta";
export type { CostDelta, CostDeltaLine } from "./delta";
export { estimateCost, NOT_INCLUDED } from "./estimate";
export type { CostEstimate, UnpricedResource } from "./estimate";
export type { CostLine } from "./lines";
export { formatUsd, renderCost, renderCostDelta } from "./render";
export type { CostFormat } from "./render";
export { FREE_TYPES, PRICED_TYPES } from "./resource-types";
export { DEFAULT_USAGE } from "./usage";
export type { UsageAssumptions } from "./usage";
