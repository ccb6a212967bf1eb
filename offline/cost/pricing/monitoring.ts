/** Pricing of monitoring: alarms, dashboards, log metric filters and Container Insights on EKS. */
import { T } from "../resource-types";
import { addAssumed, addPerResource, isObject, list, Pricing, str } from "./context";

/**
 * Monitoring: alarms (per metric each evaluates), dashboards, the custom metrics log metric
 * filters publish (the scheduled agent path check), and Container Insights observations of EKS
 * clusters with the CloudWatch observability add-on. The check's pod itself runs on the priced
 * agent nodes and its log lines are part of the cluster's log groups.
 */
export function priceMonitoring(c: Pricing): void {
  const { p, lines, ofType } = c;
  const alarms = ofType(T.metricAlarm);
  if (alarms.length > 0) {
    const metrics = alarms.reduce(
      (sum, a) => sum + (list(a.inputs.metricQueries).filter((q) => isObject(q) && q.metric).length || 1),
      0,
    );
    lines.add(
      "CloudWatch alarms",
      p.alarmMetricMonth,
      metrics,
      `${alarms.length} × ${T.metricAlarm} evaluating ${metrics} metrics`,
      T.metricAlarm,
    );
  }
  addPerResource(c, "CloudWatch dashboard", p.dashboardMonth, T.dashboard);
  const filterMetrics = new Set(
    ofType(T.logMetricFilter).map((f) => {
      const t = isObject(f.inputs.metricTransformation) ? f.inputs.metricTransformation : {};
      return `${str(t.namespace)}/${str(t.name)}`;
    }),
  );
  if (filterMetrics.size > 0) {
    lines.add(
      "CloudWatch custom metrics (log metric filters)",
      p.customMetricMonth,
      filterMetrics.size,
      `${filterMetrics.size} distinct metrics published by ${T.logMetricFilter} (the agent path check)`,
      T.logMetricFilter,
    );
  }
  const insights = ofType(T.addon).filter((a) => a.inputs.addonName === "amazon-cloudwatch-observability");
  if (insights.length > 0) {
    addAssumed(c, {
      item: "Container Insights observations (EKS)",
      price: p.eksInsightsObservationMillion,
      count: insights.length,
      key: "eksInsightsMillionObservationsPerCluster",
      of: `${insights.length} × ${T.addon} amazon-cloudwatch-observability × `,
      unit: "million",
      resourceType: T.addon,
    });
  }
}
