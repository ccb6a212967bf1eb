/** The difference between two estimates, item by item and in total. */
import { CostEstimate } from "./estimate";
import { cents, CostLine } from "./lines";

/** One item of a comparison; an item absent on one side counts as zero there. */
export interface CostDeltaLine {
  readonly item: string;
  readonly unit: string;
  readonly quantityBefore: number;
  readonly quantityAfter: number;
  readonly beforeUsd: number;
  readonly afterUsd: number;
  readonly deltaUsd: number;
}

export interface CostDelta {
  readonly before: CostEstimate;
  readonly after: CostEstimate;
  /** Every item of either side, in the order of `after` then items only in `before`. */
  readonly lines: CostDeltaLine[];
  readonly totalBeforeUsd: number;
  readonly totalAfterUsd: number;
  readonly totalDeltaUsd: number;
}

/** Per-item and total monthly differences from `before` to `after`. */
export function costDelta(before: CostEstimate, after: CostEstimate): CostDelta {
  const key = (l: CostLine) => `${l.item}\u0000${l.unit}`;
  const old = new Map(before.lines.map((l) => [key(l), l]));
  const keys = [...new Set([...after.lines.map(key), ...before.lines.map(key)])];
  const now = new Map(after.lines.map((l) => [key(l), l]));
  const lines = keys.map((k) => {
    const b = old.get(k);
    const a = now.get(k);
    const either = (a ?? b) as CostLine;
    return {
      item: either.item,
      unit: either.unit,
      quantityBefore: b?.quantity ?? 0,
      quantityAfter: a?.quantity ?? 0,
      beforeUsd: b?.monthlyUsd ?? 0,
      afterUsd: a?.monthlyUsd ?? 0,
      deltaUsd: (cents(a?.monthlyUsd ?? 0) - cents(b?.monthlyUsd ?? 0)) / 100,
    };
  });
  return {
    before,
    after,
    lines,
    totalBeforeUsd: before.totalMonthlyUsd,
    totalAfterUsd: after.totalMonthlyUsd,
    totalDeltaUsd: (cents(after.totalMonthlyUsd) - cents(before.totalMonthlyUsd)) / 100,
  };
}
