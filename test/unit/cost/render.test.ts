/** Rendering estimates and their changes as text and Markdown. */
import * as assert from "assert";
import { costDelta, formatUsd, renderCost, renderCostDelta } from "../../../offline/cost";
import { estimateNetwork, estimateNetworkWithTwoNats } from "./plans";

describe("cost estimate", () => {
  describe("delta and rendering", () => {
    const before = estimateNetwork;
    const after = estimateNetworkWithTwoNats;

    it("renders text: where prices come from, the assumptions, a table and a final total", () => {
      const text = renderCost(before(), "text");
      const lines = text.split("\n");
      assert.strictEqual(lines[0], "Monthly cost estimate · stack test · us-east-1");
      assert.match(
        text,
        /^prices: AWS list prices for us-east-1 \(US East \(N\. Virginia\)\) read on 2026-11-21, .*offline\/prices\.ts/m,
      );
      assert.match(text, /^usage assumptions \(per month\): 100 GB per NAT gateway \(natGbPerGateway\); /m);
      assert.match(text, /^not included: data transfer between zones/m);
      assert.match(text, /^item +quantity +unit +unit price +monthly +basis$/m);
      assert.match(
        text,
        /^NAT gateway +730 +hour +\$0\.045 +\$32\.85 +1 × aws:ec2\/natGateway:NatGateway × 730 h$/m,
      );
      assert.match(text, /^Network Load Balancer \* +730 +hour +\$0\.0225 +\$16\.43 /m);
      assert.match(text, /^\* unit price not confirmed against an AWS source/m);
      assert.strictEqual(lines[lines.length - 1], "total  $77.91/month");
    });

    it("renders markdown: a table and the same final total", () => {
      const md = renderCost(before(), "markdown");
      assert.match(md, /^\| item \| quantity \| unit \| unit price \| monthly \| basis \|$/m);
      assert.match(md, /^\| --- \| ---: \| --- \| ---: \| ---: \| --- \|$/m);
      assert.match(
        md,
        /^\| NAT gateway \| 730 \| hour \| \$0\.045 \| \$32\.85 \| 1 × aws:ec2\/natGateway:NatGateway × 730 h \|$/m,
      );
      assert.ok(md.endsWith("\ntotal  $77.91/month"));
    });

    it("renders a delta with the changed items and a final total line", () => {
      for (const format of ["text", "markdown"] as const) {
        const text = renderCostDelta(costDelta(before(), after()), format);
        assert.match(text, /NAT gateway/);
        assert.match(text, /\+\$32\.85/);
        assert.doesNotMatch(text, /Secrets Manager secret/);
        assert.match(text, /6 items unchanged/);
        assert.ok(text.endsWith("\ntotal  $77.91/month → $118.91/month (+$41.00/month)"), text);
      }
    });

    it("formats dollars with thousands separators and two decimals", () => {
      assert.strictEqual(formatUsd(1234.5), "$1,234.50");
      assert.strictEqual(formatUsd(0), "$0.00");
      assert.strictEqual(formatUsd(-3.1), "-$3.10");
    });
  });
});
