/** The committed stacks, planned and priced. */
import * as assert from "assert";
import { decodeConfig, parseStackConfig } from "../../../config";
import {
  CostEstimate,
  costDelta,
  DEFAULT_USAGE,
  estimateCost,
  PRICED_TYPES,
  renderCost,
  renderCostDelta,
} from "../../../offline/cost";
import { Plan, PlannedResource } from "../../../offline/engine";
import { listStacks, readStack, STACKS_DIR } from "../../../offline/stack-file";
import { planStack, T } from "../../harness/plan";
import { line, res } from "./plans";

describe("cost estimate", () => {
  describe("committed stacks", () => {
    const estimates = new Map<string, CostEstimate>();
    const plans = new Map<string, Plan>();
    const regionOf = (stack: string) => {
      const parsed = parseStackConfig(decodeConfig(readStack(STACKS_DIR, stack).values));
      if (!parsed.ok) assert.fail(parsed.problems.join("\n"));
      return parsed.config.region;
    };

    before(async function () {
      this.timeout(180_000);
      for (const stack of listStacks(STACKS_DIR)) {
        const plan = (await planStack(stack)).plan;
        plans.set(stack, plan);
        estimates.set(stack, estimateCost(plan, regionOf(stack)));
      }
    });

    const count = (plan: Plan, type: string) =>
      plan.resources.filter((r) => r.custom && r.type === type).length;
    const sum = (plan: Plan, type: string, f: (r: PlannedResource) => number) =>
      plan.resources.filter((r) => r.custom && r.type === type).reduce((n, r) => n + f(r), 0);
    const get = <V>(map: Map<string, V>, stack: string): V => {
      const value = map.get(stack);
      assert.ok(value, `no ${stack}`);
      return value;
    };

    it("prices every committed stack, with nothing unpriced", () => {
      assert.deepStrictEqual([...estimates.keys()].sort(), ["dev", "prod", "tcp"]);
      for (const [stack, estimate] of estimates) {
        assert.deepStrictEqual(estimate.unpriced, [], stack);
        assert.ok(estimate.totalMonthlyUsd > 0, stack);
        const cents = estimate.lines.reduce((n, l) => n + Math.round(l.monthlyUsd * 100), 0);
        assert.strictEqual(Math.round(estimate.totalMonthlyUsd * 100), cents, stack);
      }
    });

    it("keeps dev at or under $300 a month, agent capacity and monitoring included", () => {
      const dev = get(estimates, "dev");
      assert.ok(dev.totalMonthlyUsd <= 300, `dev ${dev.totalMonthlyUsd}`);
      // dev's controller runs on Fargate Spot; prod's and tcp's on Fargate.
      assert.ok(dev.lines.some((l) => l.item === "Fargate Spot vCPU (Linux/X86_64)"));
      for (const stack of ["prod", "tcp"])
        assert.ok(
          get(estimates, stack).lines.some((l) => l.item === "Fargate vCPU (Linux/X86_64)"),
          stack,
        );
      assert.ok(
        dev.lines.some((l) => l.item === "EC2 m6i.large (agent nodes, Spot, Linux)" && l.monthlyUsd > 0),
      );
    });

    it("prod costs more than dev", () => {
      const dev = get(estimates, "dev");
      const prod = get(estimates, "prod");
      assert.ok(
        prod.totalMonthlyUsd > dev.totalMonthlyUsd,
        `${prod.totalMonthlyUsd} <= ${dev.totalMonthlyUsd}`,
      );
      const delta = costDelta(dev, prod);
      assert.ok(delta.totalDeltaUsd > 0);
      assert.ok(renderCostDelta(delta, "text").endsWith("/month)"));
    });

    it("gives every priced resource type in the plan a line with a cost (no silent zero)", () => {
      for (const [stack, estimate] of estimates) {
        const plan = get(plans, stack);
        const present = PRICED_TYPES.filter((type) => count(plan, type) > 0);
        assert.ok(present.length >= 12, `${stack}: ${present.join(", ")}`);
        for (const type of present) {
          assert.ok(
            estimate.lines.some((l) => l.resourceType === type && l.monthlyUsd > 0),
            `${stack}: ${type} is declared but no line prices it`,
          );
        }
        for (const l of estimate.lines) assert.ok(l.monthlyUsd > 0 && l.quantity > 0, `${stack}: ${l.item}`);
      }
    });

    it("derives every hourly quantity from the declared resources × 730", () => {
      for (const [stack, estimate] of estimates) {
        const plan = get(plans, stack);
        const lbs = plan.resources.filter((r) => r.type === T.loadBalancer);
        assert.ok(
          lbs.every((lb) => lb.inputs.internal === true),
          `${stack}: a public load balancer`,
        );
        assert.strictEqual(line(estimate, "NAT gateway").quantity, count(plan, T.nat) * 730, stack);
        assert.strictEqual(line(estimate, "Public IPv4 address").quantity, count(plan, T.eip) * 730, stack);
        for (const [kind, item] of [
          ["network", "Network Load Balancer"],
          ["application", "Application Load Balancer"],
        ]) {
          const n = lbs.filter((lb) => lb.inputs.loadBalancerType === kind).length;
          assert.strictEqual(line(estimate, item).quantity, n * 730, `${stack} ${item}`);
        }
        const zones = sum(plan, T.endpoint, (r) => (r.inputs.subnetIds as string[]).length);
        assert.strictEqual(line(estimate, "Interface endpoint zone").quantity, zones * 730, stack);
        assert.strictEqual(
          line(estimate, "EKS control plane (standard support)").quantity,
          count(plan, T.eksCluster) * 730,
        );

        const [nodeGroup] = plan.resources.filter((r) => r.type === T.nodeGroup);
        const firstType = (nodeGroup.inputs.instanceTypes as string[])[0];
        const desired = (nodeGroup.inputs.scalingConfig as { desiredSize: number }).desiredSize;
        const capacity = nodeGroup.inputs.capacityType === "SPOT" ? "Spot" : "on-demand";
        assert.strictEqual(
          line(estimate, `EC2 ${firstType} (${capacity}, Linux)`).quantity,
          desired * 730,
          stack,
        );
        // Agent nodes: the node pool's expected hours, 0.9 of them on Spot.
        const [pool] = plan.resources.filter((r) => r.type === "kubernetes:karpenter.sh/v1:NodePool");
        const hours = Number(
          (pool.inputs.metadata as { annotations: Record<string, string> }).annotations[
            "jenkins-agent-bridge/expected-node-hours-per-month"
          ],
        );
        assert.strictEqual(
          line(estimate, "EC2 m6i.large (agent nodes, Spot, Linux)").quantity,
          hours * 0.9,
          stack,
        );
        assert.strictEqual(
          line(estimate, "EC2 m6i.large (agent nodes, on-demand, Linux)").quantity,
          Math.round(hours * 0.1 * 1e6) / 1e6,
          stack,
        );

        const vcpuHours = sum(plan, T.ecsService, (svc) => {
          const td = plan.resources.find(
            (r) => r.type === T.taskDefinition && r.state?.arn === svc.inputs.taskDefinition,
          );
          assert.ok(td, `${stack}: task definition of ${svc.name}`);
          return (svc.inputs.desiredCount as number) * (Number(td.inputs.cpu) / 1024) * 730;
        });
        const fargate = stack === "dev" ? "Fargate Spot" : "Fargate";
        assert.strictEqual(line(estimate, `${fargate} vCPU (Linux/X86_64)`).quantity, vcpuHours, stack);

        assert.strictEqual(line(estimate, "KMS customer managed key").quantity, count(plan, T.kmsKey), stack);
        assert.strictEqual(line(estimate, "Secrets Manager secret").quantity, count(plan, T.secret), stack);
        assert.strictEqual(line(estimate, "Route 53 hosted zone").quantity, count(plan, T.zone), stack);
        assert.strictEqual(
          line(estimate, "CloudWatch vended logs ingestion").quantity,
          count(plan, T.flowLog) * DEFAULT_USAGE.flowLogGbPerFlowLog +
            count(plan, T.eksCluster) * DEFAULT_USAGE.eksControlPlaneLogGbPerCluster,
          stack,
        );
        assert.strictEqual(
          estimate.lines.some((l) => l.item === "AWS Backup EFS warm storage"),
          count(plan, T.backupVault) > 0,
          stack,
        );
      }
    });

    it("would report a resource that costs money and has no price", () => {
      const dev = get(plans, "dev");
      const withDatabase = { ...dev, resources: [...dev.resources, res("aws:rds/instance:Instance", "db")] };
      assert.deepStrictEqual(estimateCost(withDatabase, "us-east-1").unpriced, [
        { type: "aws:rds/instance:Instance", name: "db", reason: "no price rule for this resource type" },
      ]);
      const prod = get(plans, "prod");
      const exotic = {
        ...prod,
        resources: prod.resources.map((r) =>
          r.type === T.nodeGroup ? { ...r, inputs: { ...r.inputs, instanceTypes: ["r7i.48xlarge"] } } : r,
        ),
      };
      const estimate = estimateCost(exotic, "eu-west-1");
      assert.deepStrictEqual(
        estimate.unpriced.map((u) => u.reason),
        ["no on-demand price for r7i.48xlarge in eu-west-1"],
      );
      assert.ok(estimate.totalMonthlyUsd < get(estimates, "prod").totalMonthlyUsd);
    });

    it("renders each stack with a final total line", () => {
      for (const [stack, estimate] of estimates) {
        for (const format of ["text", "markdown"] as const) {
          const lines = renderCost(estimate, format).split("\n");
          assert.match(
            lines[lines.length - 1],
            /^total {2}\$\d{1,3}(,\d{3})*\.\d{2}\/month$/,
            `${stack} ${format}`,
          );
        }
      }
    });
  });
});
