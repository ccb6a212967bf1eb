/** Hand-built plans: alarms, dashboards, log metric filters and Container Insights. */
import * as assert from "assert";
import { estimateCost } from "../../../offline/cost";
import { figures, planOf, res } from "./plans";

describe("cost estimate", () => {
  describe("hand-built plans", () => {
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
  });
});
