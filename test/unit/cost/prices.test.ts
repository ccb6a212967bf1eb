/** The price table: dated, sourced, and covering every committed stack. */
import * as assert from "assert";
import { decodeConfig, parseStackConfig } from "../../../config";
import { PRICES } from "../../../offline/prices";
import { listStacks, readStack, STACKS_DIR } from "../../../offline/stack-file";

describe("cost estimate", () => {
  describe("price table", () => {
    it("is dated, and every price has a positive figure, a unit and an https source", () => {
      assert.match(PRICES.readOn, /^\d{4}-\d{2}-\d{2}$/);
      assert.strictEqual(PRICES.hoursPerMonth, 730);
      const walk = (value: unknown, where: string): number => {
        if (typeof value !== "object" || value === null) return 0;
        const entry = value as Record<string, unknown>;
        if (typeof entry.usd === "number") {
          assert.ok(entry.usd > 0, where);
          assert.ok(typeof entry.unit === "string" && entry.unit.length > 0, where);
          assert.match(
            String(entry.source),
            /^https:\/\/(aws\.amazon\.com|pricing\.us-east-1\.amazonaws\.com)\//,
            where,
          );
          return 1;
        }
        return Object.entries(entry).reduce((n, [k, v]) => n + walk(v, `${where}.${k}`), 0);
      };
      assert.ok(walk(PRICES.regions, "regions") > 60);
    });

    it("covers the regions and node instance types of every committed stack", () => {
      for (const stack of listStacks(STACKS_DIR)) {
        const parsed = parseStackConfig(decodeConfig(readStack(STACKS_DIR, stack).values));
        if (!parsed.ok) assert.fail(parsed.problems.join("\n"));
        const prices = PRICES.regions[parsed.config.region];
        assert.ok(prices, `${stack}: no prices for ${parsed.config.region}`);
        for (const type of parsed.config.agentCluster.systemNodes.instanceTypes) {
          assert.ok(
            prices.ec2OnDemandHour[type],
            `${stack}: no price for ${type} in ${parsed.config.region}`,
          );
        }
      }
    });
  });
});
