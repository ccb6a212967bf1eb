/** Hand-built plans: NAT gateways, addresses, load balancers, endpoints, keys and secrets. */
import * as assert from "assert";
import { DEFAULT_USAGE, estimateCost } from "../../../offline/cost";
import { UNCONFIRMED } from "../../../offline/prices";
import { T } from "../../harness/plan";
import { figures, line, network, NETWORK_USAGE, planOf, res } from "./plans";

describe("cost estimate", () => {
  describe("hand-built plans", () => {
    it("prices gateways, addresses, load balancers, endpoint zones, keys and secrets per hour and month", () => {
      const estimate = estimateCost(network(), "us-east-1", NETWORK_USAGE);
      assert.deepStrictEqual(figures(estimate), [
        { item: "NAT gateway", quantity: 730, unit: "hour", unitPrice: 0.045, monthlyUsd: 32.85 },
        { item: "NAT gateway data processed", quantity: 100, unit: "GB", unitPrice: 0.045, monthlyUsd: 4.5 },
        // 730 × 0.0225 = 16.425: half a cent rounds up.
        { item: "Network Load Balancer", quantity: 730, unit: "hour", unitPrice: 0.0225, monthlyUsd: 16.43 },
        {
          item: "Network Load Balancer capacity units",
          quantity: 730,
          unit: "NLCU-hour",
          unitPrice: 0.006,
          monthlyUsd: 4.38,
        },
        {
          item: "Public IPv4 address",
          quantity: 730,
          unit: "address-hour",
          unitPrice: 0.005,
          monthlyUsd: 3.65,
        },
        {
          item: "Interface endpoint zone",
          quantity: 1460,
          unit: "AZ-hour",
          unitPrice: 0.01,
          monthlyUsd: 14.6,
        },
        {
          item: "Interface endpoint data processed",
          quantity: 10,
          unit: "GB",
          unitPrice: 0.01,
          monthlyUsd: 0.1,
        },
        { item: "KMS customer managed key", quantity: 1, unit: "key-month", unitPrice: 1, monthlyUsd: 1 },
        {
          item: "Secrets Manager secret",
          quantity: 1,
          unit: "secret-month",
          unitPrice: 0.4,
          monthlyUsd: 0.4,
        },
      ]);
      assert.strictEqual(estimate.totalMonthlyUsd, 77.91);
      assert.deepStrictEqual(estimate.unpriced, []);
      assert.deepStrictEqual(estimate.usageApplied, [
        "natGbPerGateway",
        "nlbNlcuPerHour",
        "endpointGbPerEndpoint",
      ]);
      assert.strictEqual(estimate.usage.natGbPerGateway, 100);
      assert.strictEqual(estimate.usage.albLcuPerHour, DEFAULT_USAGE.albLcuPerHour);
      assert.strictEqual(line(estimate, "NAT gateway").basis, `1 × ${T.nat} × 730 h`);
      assert.strictEqual(
        line(estimate, "Interface endpoint zone").basis,
        "1 interface endpoint in 2 subnets × 730 h",
      );
      assert.strictEqual(line(estimate, "NAT gateway").priceNote, undefined);
      assert.ok(line(estimate, "Network Load Balancer").priceNote?.startsWith(UNCONFIRMED));
    });

    it("counts the public addresses of internet-facing load balancers, one per subnet", () => {
      const plan = planOf(
        res(T.eip, "nat"),
        res(T.loadBalancer, "ui", {
          loadBalancerType: "application",
          internal: false,
          subnets: ["a", "b", "c"],
        }),
      );
      const estimate = estimateCost(plan, "us-east-1");
      assert.strictEqual(line(estimate, "Public IPv4 address").quantity, 4 * 730);
      assert.strictEqual(line(estimate, "Public IPv4 address").monthlyUsd, 14.6);
      assert.strictEqual(line(estimate, "Application Load Balancer capacity units").quantity, 73);
    });
  });
});
