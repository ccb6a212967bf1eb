/** Hand-built plans: what the estimate cannot price, and regions the table lacks. */
import * as assert from "assert";
import { estimateCost, renderCost } from "../../../offline/cost";
import { PRICES } from "../../../offline/prices";
import { T } from "../../harness/plan";
import { network, planOf, res } from "./plans";

describe("cost estimate", () => {
  describe("hand-built plans", () => {
    it("reports what costs money but has no price, instead of counting it as free", () => {
      const plan = planOf(
        res("aws:rds/instance:Instance", "db", { instanceClass: "db.t4g.micro" }),
        res(T.nodeGroup, "big", { instanceTypes: ["x9.huge"], scalingConfig: { desiredSize: 1 } }),
        res(T.nodeGroup, "capacity-block", {
          capacityType: "CAPACITY_BLOCK",
          instanceTypes: ["m6i.large"],
          scalingConfig: { desiredSize: 1 },
        }),
        res("kubernetes:karpenter.sh/v1:NodePool", "unannotated", { metadata: { name: "agents" }, spec: {} }),
        res(T.loadBalancer, "gwlb", { loadBalancerType: "gateway", internal: true }),
        res(T.fileSystem, "provisioned", { throughputMode: "provisioned" }),
        res(T.flowLog, "to-s3", { logDestinationType: "s3" }),
        res(T.vpc, "free"),
        res("kubernetes:apps/v1:Deployment", "free"),
      );
      const estimate = estimateCost(plan, "us-east-1");
      assert.deepStrictEqual(
        estimate.unpriced.map((u) => `${u.type} ${u.name}: ${u.reason}`),
        [
          "aws:lb/loadBalancer:LoadBalancer gwlb: no price for gateway load balancers in the table",
          "aws:eks/nodeGroup:NodeGroup big: no on-demand price for x9.huge in us-east-1",
          "aws:eks/nodeGroup:NodeGroup capacity-block: CAPACITY_BLOCK capacity is not in the price table (on-demand and Spot only)",
          "kubernetes:karpenter.sh/v1:NodePool unannotated: no expected node-hours annotation to price it by",
          "aws:efs/fileSystem:FileSystem provisioned: provisioned throughput is not in the price table",
          "aws:ec2/flowLog:FlowLog to-s3: delivery to s3 is not in the price table",
          "aws:rds/instance:Instance db: no price rule for this resource type",
        ],
      );
      assert.ok(!estimate.lines.some((l) => l.item.startsWith("EC2 ")));
      assert.match(renderCost(estimate, "text"), /^unpriced: aws:rds\/instance:Instance db: no price rule/m);
    });

    it("refuses a region the table lacks, naming it and the regions it has", () => {
      assert.throws(
        () => estimateCost(network(), "ap-south-1"),
        (err: Error) => {
          assert.strictEqual(
            err.message,
            `no prices for region "ap-south-1" in the price table (read ${PRICES.readOn}); regions available: eu-west-1, us-east-1`,
          );
          return true;
        },
      );
    });
  });
});
