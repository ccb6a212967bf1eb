import * as assert from "assert";
import { decodeConfig, parseStackConfig } from "../../config";
import {
  CostEstimate,
  costDelta,
  DEFAULT_USAGE,
  estimateCost,
  formatUsd,
  PRICED_TYPES,
  renderCost,
  renderCostDelta,
} from "../../plan/cost";
import { Plan, PlannedResource } from "../../plan/engine";
import { PRICES, UNCONFIRMED } from "../../plan/prices";
import { listStacks, readStack, STACKS_DIR } from "../../plan/stack-file";
import { planStack, T } from "../harness/plan";

/** A declared custom resource, as a mock run records it. */
function res(
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
  extra: Partial<PlannedResource> = {},
): PlannedResource {
  return {
    urn: `urn:pulumi:test::jenkins-agent-bridge::${type}::${name}`,
    type,
    name,
    custom: true,
    protect: false,
    inputs,
    ...extra,
  };
}

const planOf = (...resources: PlannedResource[]): Plan => ({
  project: "jenkins-agent-bridge",
  stack: "test",
  resources,
  outputs: {},
});

/** The figures of each line, without the prose. */
const figures = (e: CostEstimate) =>
  e.lines.map(({ item, quantity, unit, unitPrice, monthlyUsd }) => ({
    item,
    quantity,
    unit,
    unitPrice,
    monthlyUsd,
  }));
const line = (e: CostEstimate, item: string) => {
  const found = e.lines.find((l) => l.item === item);
  assert.ok(found, `no line "${item}" in ${e.lines.map((l) => l.item).join(", ")}`);
  return found;
};

/** One NAT gateway with its address, an internal NLB, an interface endpoint in two zones, a key and a secret. */
const network = () =>
  planOf(
    res("pulumi:providers:aws", "default"),
    res("jenkins-agent-bridge:network:Network", "master", {}, { custom: false }),
    res(T.vpc, "master", { cidrBlock: "10.10.0.0/16" }),
    res(T.eip, "master-nat-0", { domain: "vpc" }),
    res(T.nat, "master-nat-0", { connectivityType: "public" }),
    res(T.loadBalancer, "gateway-nlb", { loadBalancerType: "network", internal: true, subnets: ["a", "b"] }),
    res(T.listener, "gateway-443", { port: 443 }),
    res(T.endpoint, "gateway-endpoint", { vpcEndpointType: "Interface", subnetIds: ["c", "d"] }),
    res(T.kmsKey, "key", { enableKeyRotation: true }),
    res(T.secret, "admin"),
    res(T.secretVersion, "admin"),
    res("kubernetes:core/v1:Namespace", "agents"),
    res("tls:index/privateKey:PrivateKey", "ca"),
  );
const NETWORK_USAGE = { natGbPerGateway: 100, nlbNlcuPerHour: 1, endpointGbPerEndpoint: 10 };

/** An EKS cluster with logging, two m6i.xlarge nodes, two ARM Fargate tasks, EFS elastic, flow logs. */
const compute = () =>
  planOf(
    res(T.eksCluster, "agents", {
      name: "agents-test",
      version: "1.34",
      enabledClusterLogTypes: ["api", "audit"],
    }),
    res(T.logGroup, "agents-control-plane", { name: "/aws/eks/agents-test/cluster" }),
    res(
      T.launchTemplate,
      "agents-nodes",
      { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 40, volumeType: "gp3" } }] },
      { id: "lt-1" },
    ),
    res(T.nodeGroup, "agents-nodes", {
      capacityType: "ON_DEMAND",
      instanceTypes: ["m6i.xlarge", "m6a.xlarge"],
      launchTemplate: { id: "lt-1", version: "1" },
      scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 4 },
    }),
    res(
      T.taskDefinition,
      "task",
      { family: "test-task", cpu: "512", memory: "1024", runtimePlatform: { cpuArchitecture: "ARM64" } },
      { state: { arn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/test-task:1" } },
    ),
    res(T.ecsService, "service", {
      launchType: "FARGATE",
      desiredCount: 2,
      taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/test-task:1",
    }),
    res(T.fileSystem, "home", { throughputMode: "elastic" }),
    res(T.logGroup, "flow", { namePrefix: "/vpc-flow-logs/master-", retentionInDays: 30 }),
    res(T.flowLog, "flow", {
      logDestinationType: "cloud-watch-logs",
      logDestination: "arn:aws:logs:eu-west-1:123456789012:log-group:/vpc-flow-logs/master-abc",
    }),
  );

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

    it("prices alarms by the metrics they evaluate, dashboards, filter metrics once each, and Container Insights observations", () => {
      const filter = (name: string, value: string) =>
        res("aws:cloudwatch/logMetricFilter:LogMetricFilter", name, {
          metricTransformation: {
            namespace: "jenkins-agent-bridge/dev",
            name: "AgentPathCheckFailed",
            value,
          },
        });
      const plan = planOf(
        res("aws:cloudwatch/metricAlarm:MetricAlarm", "down", { namespace: "AWS/ECS", metricName: "X" }),
        res("aws:cloudwatch/metricAlarm:MetricAlarm", "5xx", {
          metricQueries: [
            { id: "a", metric: {} },
            { id: "b", metric: {} },
            { id: "sum", expression: "a + b" },
          ],
        }),
        res("aws:cloudwatch/dashboard:Dashboard", "path", { dashboardName: "x", dashboardBody: "{}" }),
        filter("pass", "0"),
        filter("fail", "1"),
        res("aws:eks/addon:Addon", "observability", { addonName: "amazon-cloudwatch-observability" }),
        res("aws:eks/addon:Addon", "cni", { addonName: "vpc-cni" }),
        res("aws:sns/topic:Topic", "alarms"),
        res("aws:sns/topicSubscription:TopicSubscription", "email"),
      );
      const estimate = estimateCost(plan, "us-east-1");
      assert.deepStrictEqual(figures(estimate), [
        {
          item: "CloudWatch alarms",
          quantity: 3,
          unit: "alarm metric-month",
          unitPrice: 0.1,
          monthlyUsd: 0.3,
        },
        { item: "CloudWatch dashboard", quantity: 1, unit: "dashboard-month", unitPrice: 3, monthlyUsd: 3 },
        {
          item: "CloudWatch custom metrics (log metric filters)",
          quantity: 1,
          unit: "metric-month",
          unitPrice: 0.3,
          monthlyUsd: 0.3,
        },
        {
          item: "Container Insights observations (EKS)",
          quantity: 50,
          unit: "million observations",
          unitPrice: 0.21,
          monthlyUsd: 10.5,
        },
      ]);
      assert.deepStrictEqual(estimate.unpriced, []);
      assert.ok(estimate.usageApplied.includes("eksInsightsMillionObservationsPerCluster"));
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

    it("prices EKS extended support when asked", () => {
      const estimate = estimateCost(compute(), "us-east-1", { eksSupport: "extended" });
      assert.strictEqual(line(estimate, "EKS control plane (extended support)").monthlyUsd, 438);
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

  describe("delta and rendering", () => {
    const before = () => estimateCost(network(), "us-east-1", NETWORK_USAGE);
    const after = () => {
      const plan = network();
      return estimateCost(
        { ...plan, resources: [...plan.resources, res(T.eip, "master-nat-1"), res(T.nat, "master-nat-1")] },
        "us-east-1",
        NETWORK_USAGE,
      );
    };

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

    it("renders text: where prices come from, the assumptions, a table and a final total", () => {
      const text = renderCost(before(), "text");
      const lines = text.split("\n");
      assert.strictEqual(lines[0], "Monthly cost estimate · stack test · us-east-1");
      assert.match(
        text,
        /^prices: AWS list prices for us-east-1 \(US East \(N\. Virginia\)\) read on 2026-11-21, .*plan\/prices\.ts/m,
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

    it("keeps dev at or under $320 a month, agent capacity and monitoring included", () => {
      // Capacity alone brought dev to $294; the alarms, the dashboard and the observability
      // add-on's Container Insights add about $22. The target is $300 (docs/capacity.md).
      const dev = get(estimates, "dev");
      assert.ok(dev.totalMonthlyUsd <= 320, `dev ${dev.totalMonthlyUsd}`);
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
        assert.strictEqual(line(estimate, "Fargate vCPU (Linux/X86_64)").quantity, vcpuHours, stack);

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
