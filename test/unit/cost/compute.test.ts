/** Hand-built plans: EKS control planes, node groups, NodePools, Fargate, EFS and logs. */
import * as assert from "assert";
import { estimateCost, renderCost } from "../../../offline/cost";
import { T } from "../../harness/plan";
import { compute, figures, line, planOf, res } from "./plans";

describe("cost estimate", () => {
  describe("hand-built plans", () => {
    it("prices nodes, their root volumes, Fargate tasks by architecture, EFS and logs", () => {
      const estimate = estimateCost(compute(), "eu-west-1");
      assert.deepStrictEqual(figures(estimate), [
        {
          item: "EKS control plane (standard support)",
          quantity: 730,
          unit: "cluster-hour",
          unitPrice: 0.1,
          monthlyUsd: 73,
        },
        {
          item: "EC2 m6i.xlarge (on-demand, Linux)",
          quantity: 1460,
          unit: "instance-hour",
          unitPrice: 0.214,
          monthlyUsd: 312.44,
        },
        {
          item: "EBS gp3 volume (node root)",
          quantity: 80,
          unit: "GB-month",
          unitPrice: 0.088,
          monthlyUsd: 7.04,
        },
        {
          item: "Fargate vCPU (Linux/ARM64)",
          quantity: 730,
          unit: "vCPU-hour",
          unitPrice: 0.03238,
          monthlyUsd: 23.64,
        },
        {
          item: "Fargate memory (Linux/ARM64)",
          quantity: 1460,
          unit: "GB-hour",
          unitPrice: 0.00356,
          monthlyUsd: 5.2,
        },
        { item: "EFS Standard storage", quantity: 20, unit: "GB-month", unitPrice: 0.33, monthlyUsd: 6.6 },
        { item: "EFS elastic throughput reads", quantity: 50, unit: "GB", unitPrice: 0.03, monthlyUsd: 1.5 },
        { item: "EFS elastic throughput writes", quantity: 20, unit: "GB", unitPrice: 0.06, monthlyUsd: 1.2 },
        // 5 GB of flow logs and 30 GB of control-plane logs, both vended logs.
        {
          item: "CloudWatch vended logs ingestion",
          quantity: 35,
          unit: "GB",
          unitPrice: 0.57,
          monthlyUsd: 19.95,
        },
        // Flow logs kept 30 days: 5 × 30 / (730 / 24); control-plane group without retention: 30 × 12 months.
        {
          item: "CloudWatch Logs storage",
          quantity: 364.931507,
          unit: "GB-month",
          unitPrice: 0.03,
          monthlyUsd: 10.95,
        },
      ]);
      assert.strictEqual(estimate.totalMonthlyUsd, 461.52);
      assert.match(
        line(estimate, "EC2 m6i.xlarge (on-demand, Linux)").basis,
        /first of m6i\.xlarge, m6a\.xlarge/,
      );
      assert.deepStrictEqual(estimate.unpriced, []);
    });

    it("prices Spot system nodes and an agent NodePool's expected hours, Spot and on-demand, with their volumes", () => {
      const plan = planOf(
        res(T.nodeGroup, "system", {
          capacityType: "SPOT",
          instanceTypes: ["t3a.medium", "t3.medium"],
          scalingConfig: { desiredSize: 1 },
        }),
        res("kubernetes:karpenter.sh/v1:NodePool", "pool", {
          metadata: {
            name: "agents",
            annotations: { "jenkins-agent-bridge/expected-node-hours-per-month": "100" },
          },
          spec: {
            template: {
              spec: {
                nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "agents" },
                requirements: [
                  { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
                  { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot", "on-demand"] },
                ],
              },
            },
          },
        }),
        res("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "class", {
          metadata: { name: "agents" },
          spec: {
            blockDeviceMappings: [
              { deviceName: "/dev/xvda", ebs: { volumeSize: "73Gi", volumeType: "gp3" } },
            ],
          },
        }),
        res("kubernetes:karpenter.sh/v1:NodePool", "on-demand-arm", {
          metadata: {
            name: "arm",
            annotations: { "jenkins-agent-bridge/expected-node-hours-per-month": "10" },
          },
          spec: {
            template: {
              spec: {
                nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "agents" },
                requirements: [
                  { key: "kubernetes.io/arch", operator: "In", values: ["arm64"] },
                  { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
                ],
              },
            },
          },
        }),
      );
      const estimate = estimateCost(plan, "us-east-1", { spotPriceShare: 0.5, agentSpotShare: 0.8 });
      assert.deepStrictEqual(figures(estimate), [
        // 0.5 × $0.0376 for 730 h; the volume: the node group default of 20 GiB.
        {
          item: "EC2 t3a.medium (Spot, Linux)",
          quantity: 730,
          unit: "instance-hour",
          unitPrice: 0.0188,
          monthlyUsd: 13.72,
        },
        {
          item: "EBS gp3 volume (node root)",
          quantity: 20,
          unit: "GB-month",
          unitPrice: 0.08,
          monthlyUsd: 1.6,
        },
        // 80 of 100 h on Spot at 0.5 × $0.096, 20 on-demand; volumes: (100 + 10)/730 of 73 GiB.
        {
          item: "EC2 m6i.large (agent nodes, Spot, Linux)",
          quantity: 80,
          unit: "instance-hour",
          unitPrice: 0.048,
          monthlyUsd: 3.84,
        },
        {
          item: "EC2 m6i.large (agent nodes, on-demand, Linux)",
          quantity: 20,
          unit: "instance-hour",
          unitPrice: 0.096,
          monthlyUsd: 1.92,
        },
        {
          item: "EBS gp3 volume (agent node root)",
          quantity: 11,
          unit: "GB-month",
          unitPrice: 0.08,
          monthlyUsd: 0.88,
        },
        // An arm64 pool that allows no Spot: all its hours on-demand, as m6g.large.
        {
          item: "EC2 m6g.large (agent nodes, on-demand, Linux)",
          quantity: 10,
          unit: "instance-hour",
          unitPrice: 0.077,
          monthlyUsd: 0.77,
        },
      ]);
      assert.deepStrictEqual(estimate.usageApplied, ["spotPriceShare", "agentSpotShare"]);
      assert.match(
        line(estimate, "EC2 t3a.medium (Spot, Linux)").priceNote ?? "",
        /Spot prices vary; 0\.5 × the on-demand \$0\.0376/,
      );
      assert.match(
        renderCost(estimate, "text"),
        /Spot at 0\.5 of the on-demand price \(spotPriceShare\); 0\.8 of Spot-allowed agent node-hours on Spot \(agentSpotShare\)/,
      );
    });

    it("prices Fargate Spot tasks at the Spot share and refuses what Fargate Spot cannot run", () => {
      const td = (name: string, cpuArchitecture: string) =>
        res(
          T.taskDefinition,
          name,
          { cpu: "1024", memory: "2048", runtimePlatform: { cpuArchitecture } },
          { state: { arn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${name}:1` } },
        );
      const svc = (name: string, taskDefinition: string, providers: string[]) =>
        res(T.ecsService, name, {
          desiredCount: 1,
          taskDefinition: `arn:aws:ecs:us-east-1:123456789012:task-definition/${taskDefinition}:1`,
          capacityProviderStrategies: providers.map((capacityProvider) => ({ capacityProvider, weight: 1 })),
        });
      const estimate = estimateCost(
        planOf(
          td("x86", "X86_64"),
          td("arm", "ARM64"),
          svc("spot", "x86", ["FARGATE_SPOT"]),
          svc("spot-arm", "arm", ["FARGATE_SPOT"]),
          svc("mixed", "x86", ["FARGATE", "FARGATE_SPOT"]),
        ),
        "us-east-1",
        { spotPriceShare: 0.3 },
      );
      assert.deepStrictEqual(figures(estimate), [
        // 0.04048 × 0.3 and 0.004445 × 0.3
        {
          item: "Fargate Spot vCPU (Linux/X86_64)",
          quantity: 730,
          unit: "vCPU-hour",
          unitPrice: 0.012144,
          monthlyUsd: 8.87,
        },
        {
          item: "Fargate Spot memory (Linux/X86_64)",
          quantity: 1460,
          unit: "GB-hour",
          unitPrice: 0.0013335,
          monthlyUsd: 1.95,
        },
      ]);
      assert.match(
        line(estimate, "Fargate Spot vCPU (Linux/X86_64)").priceNote ?? "",
        /0\.3 × the on-demand \$0\.04048/,
      );
      assert.deepStrictEqual(
        estimate.unpriced.map((u) => `${u.name}: ${u.reason}`),
        [
          "spot-arm: Fargate Spot runs no ARM64 tasks",
          "mixed: a mix of capacity providers capacity is not in the price table (Fargate and Fargate Spot only)",
        ],
      );
    });

    it("prices EKS extended support when asked", () => {
      const estimate = estimateCost(compute(), "us-east-1", { eksSupport: "extended" });
      assert.strictEqual(line(estimate, "EKS control plane (extended support)").monthlyUsd, 438);
    });

    it("prices the agent node-hours a scheduled check on agent nodes keeps up, and refuses a schedule it cannot read", () => {
      const agents = { "jenkins-agent-bridge/capacity": "agents" };
      const pool = (consolidateAfter: string) =>
        res("kubernetes:karpenter.sh/v1:NodePool", "pool", {
          metadata: {
            name: "agents",
            annotations: { "jenkins-agent-bridge/expected-node-hours-per-month": "0" },
          },
          spec: {
            template: {
              metadata: { labels: agents },
              spec: {
                nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "agents" },
                requirements: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] }],
              },
            },
            disruption: { consolidationPolicy: "WhenEmpty", consolidateAfter },
          },
        });
      const nodeClass = res("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "class", {
        metadata: { name: "agents" },
        spec: {
          blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: "50Gi", volumeType: "gp3" } }],
        },
      });
      const cronJob = (name: string, schedule: string, nodeSelector: Record<string, string>) =>
        res(T.cronJob, name, {
          spec: { schedule, jobTemplate: { spec: { template: { spec: { nodeSelector } } } } },
        });
      const checkLine = (plan: ReturnType<typeof planOf>) =>
        line(
          estimateCost(plan, "us-east-1"),
          "EC2 m6i.large (agent nodes for scheduled checks, on-demand, Linux)",
        );

      // Every 5 minutes, with a node staying 3 + 5 minutes a run: one node all month.
      const always = checkLine(planOf(pool("5m"), nodeClass, cronJob("check", "*/5 * * * *", agents)));
      assert.deepStrictEqual([always.quantity, always.monthlyUsd], [730, 70.08]);
      // Hourly, 3 + 1 minutes a run: 730 runs of 4 minutes. A job on other nodes does not count.
      const hourly = checkLine(
        planOf(
          pool("1m"),
          nodeClass,
          cronJob("check", "0 * * * *", agents),
          cronJob("elsewhere", "* * * * *", { "jenkins-agent-bridge/capacity": "system" }),
        ),
      );
      assert.strictEqual(hourly.quantity, 48.666667);
      assert.match(hourly.basis, /^730 runs of check \(every 60 min\) × 4 min/);
      // No scheduled check: no line at all.
      assert.ok(
        !estimateCost(planOf(pool("5m"), nodeClass), "us-east-1").lines.some((l) =>
          l.item.includes("scheduled"),
        ),
      );
      const unread = estimateCost(
        planOf(pool("5m"), nodeClass, cronJob("odd", "0 9 * * 1", agents)),
        "us-east-1",
      );
      assert.deepStrictEqual(
        unread.unpriced.map((u) => `${u.name}: ${u.reason}`),
        ["odd: its schedule 0 9 * * 1 is not every N minutes"],
      );
    });
  });
});
