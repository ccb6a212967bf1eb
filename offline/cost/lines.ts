/**
 * The lines of an estimate: one priced item each, its quantity rounded and its amount in whole
 * cents, collected so that the lines of one item (from several resources) merge into one.
 */
import { Price, UNCONFIRMED } from "../prices";

/** One priced item of an estimate. */
export interface CostLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPrice: number;
  /** Quantity × unit price, rounded to cents. */
  readonly monthlyUsd: number;
  /** How the quantity was derived: resources counted, hours, and the assumptions used. */
  readonly basis: string;
  /** The resource type whose declarations drive the line. */
  readonly resourceType: string;
  /** Set when the price table does not confirm the unit price (its note). */
  readonly priceNote?: string;
}

/** Rounds to 6 decimals, so quantities such as 0.1 × 730 read as 73. */
export const roundQuantity = (x: number) => Math.round(Number((x * 1e6).toPrecision(15))) / 1e6;
/** Whole cents, half up, immune to binary noise (16.425 → 1643). */
export const cents = (usd: number) => Math.round(Number((usd * 100).toPrecision(12)));

/** `1 node`, `2 nodes`. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Collects lines, merging those of the same item. */
export class Lines {
  private readonly byItem = new Map<
    string,
    { price: Price; quantity: number; basis: string[]; resourceType: string }
  >();

  add(item: string, price: Price, quantity: number, basis: string, resourceType: string): void {
    const existing = this.byItem.get(item);
    if (existing) {
      existing.quantity += quantity;
      existing.basis.push(basis);
    } else {
      this.byItem.set(item, { price, quantity, basis: [basis], resourceType });
    }
  }

  build(): CostLine[] {
    return [...this.byItem.entries()].map(([item, { price, quantity, basis, resourceType }]) => {
      const q = roundQuantity(quantity);
      const line: CostLine = {
        item,
        quantity: q,
        unit: price.unit,
        unitPrice: price.usd,
        monthlyUsd: cents(q * price.usd) / 100,
        basis: basis.join("; "),
        resourceType,
      };
      return price.note?.startsWith(UNCONFIRMED) ? { ...line, priceNote: price.note } : line;
    });
  }

  sources(): string[] {
    return [...new Set([...this.byItem.values()].map((l) => l.price.source))].sort();
  }
}
