/** The change between two estimates. */
import * as assert from "assert";
import { costDelta, estimateCost } from "../../../offline/cost";
import { T } from "../../harness/plan";
import { estimateNetwork, estimateNetworkWithTwoNats, planOf, res } from "./plans";

describe("cost estimate", () => {
  describe("delta and rendering", () => {
    const before = estimateNetwork;
    const after = estimateNetworkWithTwoNats;

    it("gives per-item and total monthly differences", () => {
      const delta = costDelta(before(), after());
      const changed = delta.lines.filter((l) => l.deltaUsd !== 0);
      assert.deepStrictEqual(
        changed.map(({ item, quantityBefore, quantityAfter, deltaUsd }) => ({
          item,
          quantityBefore,
          quantityAfter,
          deltaUsd,
        })),
        [
          { item: "NAT gateway", quantityBefore: 730, quantityAfter: 1460, deltaUsd: 32.85 },
          { item: "NAT gateway data processed", quantityBefore: 100, quantityAfter: 200, deltaUsd: 4.5 },
          { item: "Public IPv4 address", quantityBefore: 730, quantityAfter: 1460, deltaUsd: 3.65 },
        ],
      );
      assert.strictEqual(delta.totalBeforeUsd, 77.91);
      assert.strictEqual(delta.totalAfterUsd, 118.91);
      assert.strictEqual(delta.totalDeltaUsd, 41);
    });

    it("counts an item on one side only as zero on the other", () => {
      const delta = costDelta(after(), estimateCost(planOf(res(T.secret, "only")), "us-east-1"));
      const nat = delta.lines.find((l) => l.item === "NAT gateway");
      assert.deepStrictEqual(nat && [nat.afterUsd, nat.deltaUsd], [0, -65.7]);
      assert.strictEqual(delta.totalDeltaUsd, -118.51);
    });
  });
});
