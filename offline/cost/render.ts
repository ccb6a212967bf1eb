/**
 * The estimate and the change between two estimates as text or Markdown: where the prices come
 * from, the assumptions used, a table of lines and a final total line.
 */
import { renderTable } from "../table";
import { CostDelta } from "./delta";
import { CostEstimate } from "./estimate";
import { cents, plural } from "./lines";
import { USAGE_LABELS } from "./usage";

export type CostFormat = "text" | "markdown";

const money = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** `$1,234.56`, `-$3.10`. */
export function formatUsd(usd: number): string {
  return `${usd < 0 ? "-" : ""}$${money.format(Math.abs(cents(usd)) / 100)}`;
}
const signedUsd = (usd: number) => (usd > 0 ? `+${formatUsd(usd)}` : formatUsd(usd));
const unitPriceText = (usd: number) =>
  `$${usd.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 })}`;
const quantityText = (q: number) => q.toLocaleString("en-US", { maximumFractionDigits: 3 });

function pricesLine(e: CostEstimate): string {
  return `prices: AWS list prices for ${e.region} (${e.regionName}) read on ${e.pricesReadOn}, from ${e.sources.length} AWS pricing pages and Price List API offer files cited per price in offline/prices.ts; ${e.hoursPerMonth} hours a month`;
}

function usageLine(e: CostEstimate): string {
  const applied = e.usageApplied.map((k) => `${USAGE_LABELS[k](String(e.usage[k]))} (${k})`);
  return `usage assumptions (per month): ${applied.length > 0 ? applied.join("; ") : "none used"}`;
}

/**
 * A report: the heading, the preamble lines, the table (left out when empty), the notes and the
 * total line last. Markdown makes the heading a heading and sets each paragraph apart.
 */
function report(
  format: CostFormat,
  heading: string,
  preamble: string[],
  table: string[],
  notes: string[],
  total: string,
): string {
  const body = table.length > 0 ? [...table, ""] : [];
  if (format === "markdown") {
    const paragraphs = (ls: string[]) => ls.flatMap((l) => [l, ""]);
    return [`### ${heading}`, "", ...paragraphs(preamble), ...body, ...paragraphs(notes), total].join("\n");
  }
  return [heading, ...preamble, "", ...body, ...notes, total].join("\n");
}

/** The estimate as a table, ending with the line `total  $X/month`. */
export function renderCost(estimate: CostEstimate, format: CostFormat): string {
  const e = estimate;
  const header = ["item", "quantity", "unit", "unit price", "monthly", "basis"];
  const rows = e.lines.map((l) => [
    l.priceNote ? `${l.item} *` : l.item,
    quantityText(l.quantity),
    l.unit,
    unitPriceText(l.unitPrice),
    formatUsd(l.monthlyUsd),
    l.basis,
  ]);
  const notes: string[] = [];
  if (e.lines.some((l) => l.priceNote)) {
    notes.push("* unit price not confirmed against an AWS source on the read date (see offline/prices.ts)");
  }
  for (const r of e.unpriced) notes.push(`unpriced: ${r.type} ${r.name}: ${r.reason}`);
  return report(
    format,
    `Monthly cost estimate · stack ${e.stack} · ${e.region}`,
    [pricesLine(e), usageLine(e), `not included: ${e.notIncluded.join("; ")}`],
    renderTable(header, rows, { format, right: [1, 3, 4] }),
    notes,
    `total  ${formatUsd(e.totalMonthlyUsd)}/month`,
  );
}

/** The comparison as a table of changed items, ending with `total  $X/month → $Y/month (±$Z/month)`. */
export function renderCostDelta(delta: CostDelta, format: CostFormat): string {
  const { before, after } = delta;
  const changed = delta.lines.filter((l) => l.deltaUsd !== 0 || l.quantityBefore !== l.quantityAfter);
  const header = ["item", "unit", "before", "after", "change"];
  const rows = changed.map((l) => [
    l.item,
    l.unit,
    `${quantityText(l.quantityBefore)} · ${formatUsd(l.beforeUsd)}`,
    `${quantityText(l.quantityAfter)} · ${formatUsd(l.afterUsd)}`,
    signedUsd(l.deltaUsd),
  ]);
  const bothOrOne = (b: string, a: string) => (b === a ? [a] : [`before: ${b}`, `after: ${a}`]);
  const prices =
    before.pricesReadOn === after.pricesReadOn && before.region === after.region
      ? [pricesLine(after)]
      : bothOrOne(pricesLine(before), pricesLine(after));
  const notes = [
    `${plural(delta.lines.length - changed.length, "item")} unchanged`,
    ...after.unpriced.map((r) => `unpriced after: ${r.type} ${r.name}: ${r.reason}`),
  ];
  return report(
    format,
    `Monthly cost change · stack ${before.stack} (${before.region}) → stack ${after.stack} (${after.region})`,
    [...prices, ...bothOrOne(usageLine(before), usageLine(after))],
    rows.length > 0 ? renderTable(header, rows, { format, right: [2, 3, 4] }) : [],
    notes,
    `total  ${formatUsd(delta.totalBeforeUsd)}/month → ${formatUsd(delta.totalAfterUsd)}/month (${signedUsd(delta.totalDeltaUsd)}/month)`,
  );
}
