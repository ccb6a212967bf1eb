/**
 * Pricing of CloudWatch Logs: what each log group ingests (flow logs and EKS control-plane logs are
 * vended logs), its storage at steady state, and the metrics and events of Container Insights on ECS.
 */
import { PlannedResource } from "../../engine";
import { T } from "../resource-types";
import { addAssumed, amountText, isObject, list, num, Pricing, str } from "./context";

/** The log group a flow log delivers to: by ARN, else by the group name in the destination ARN. */
function destinationGroup(groups: PlannedResource[], destination: string): PlannedResource | undefined {
  const byArn = groups.find((g) => g.state?.arn === destination);
  if (byArn) return byArn;
  const name = destination.split(":log-group:")[1]?.replace(/:\*$/, "");
  if (name === undefined) return undefined;
  return groups.find((g) => {
    const exact = str(g.state?.name) ?? str(g.inputs.name);
    const prefix = str(g.inputs.namePrefix);
    return exact === name || (exact === undefined && prefix !== undefined && name.startsWith(prefix));
  });
}

/**
 * CloudWatch: what each log group ingests (flow logs and EKS control-plane logs are vended logs),
 * its storage at steady state (monthly ingestion × retention), and Container Insights.
 */
export function priceLogs(c: Pricing): void {
  const { p, hours: H, lines, use, refuse, ofType, usage: u } = c;
  const clusters = ofType(T.eksCluster);
  const groups = ofType(T.logGroup);
  const ingestOf = new Map<PlannedResource, number>();
  let vendedGb = 0;
  const vendedBasis: string[] = [];
  let standardGb = 0;
  const standardBasis: string[] = [];
  const storage: { gb: number; basis: string }[] = [];
  const daysPerMonth = H / 24;
  const storedGb = (gb: number, retentionDays: number | undefined) =>
    retentionDays ? (gb * retentionDays) / daysPerMonth : gb * use("neverExpireLogMonths");
  const retentionText = (days: number | undefined) => (days ? `${days} days kept` : "never expires");

  const flowLogs = ofType(T.flowLog);
  let deliveredFlowLogs = 0;
  for (const fl of flowLogs) {
    const destinationType = str(fl.inputs.logDestinationType) ?? "cloud-watch-logs";
    if (destinationType !== "cloud-watch-logs") {
      refuse(fl, `delivery to ${destinationType} is not in the price table`);
      continue;
    }
    const gb = use("flowLogGbPerFlowLog");
    deliveredFlowLogs += 1;
    vendedGb += gb;
    const group = destinationGroup(groups, String(fl.inputs.logDestination ?? ""));
    if (group) {
      ingestOf.set(group, gb);
    } else {
      const stored = storedGb(gb, undefined);
      storage.push({
        gb: stored,
        basis: `flow log ${fl.name}: group outside the plan, ${retentionText(undefined)}`,
      });
    }
  }
  if (deliveredFlowLogs > 0) {
    vendedBasis.push(
      `${deliveredFlowLogs} × ${T.flowLog} × ${amountText("flowLogGbPerFlowLog", u.flowLogGbPerFlowLog, "GB")}`,
    );
  }
  const loggingClusters = clusters.filter((k) => list(k.inputs.enabledClusterLogTypes).length > 0);
  for (const cluster of loggingClusters) {
    const gb = use("eksControlPlaneLogGbPerCluster");
    vendedGb += gb;
    const name = str(cluster.inputs.name) ?? str(cluster.state?.name);
    const group = groups.find(
      (g) => (str(g.inputs.name) ?? str(g.state?.name)) === `/aws/eks/${name}/cluster`,
    );
    if (group) {
      ingestOf.set(group, gb);
    } else {
      storage.push({
        gb: storedGb(gb, undefined),
        basis: `EKS ${cluster.name}: group created by EKS, never expires`,
      });
    }
  }
  if (loggingClusters.length > 0) {
    vendedBasis.push(
      `${loggingClusters.length} × ${T.eksCluster} with control-plane logging × ${amountText("eksControlPlaneLogGbPerCluster", u.eksControlPlaneLogGbPerCluster, "GB")}`,
    );
  }
  const otherGroups = groups.filter((g) => !ingestOf.has(g));
  for (const group of otherGroups) {
    const gb = use("appLogGbPerGroup");
    standardGb += gb;
    ingestOf.set(group, gb);
  }
  if (otherGroups.length > 0) {
    standardBasis.push(
      `${otherGroups.length} other ${T.logGroup} × ${amountText("appLogGbPerGroup", u.appLogGbPerGroup, "GB")}`,
    );
  }
  for (const group of groups) {
    const gb = ingestOf.get(group) ?? 0;
    const days = num(group.inputs.retentionInDays);
    storage.push({ gb: storedGb(gb, days), basis: `${group.name} ${gb} GB/month, ${retentionText(days)}` });
  }

  // Container Insights on ECS clusters: custom metrics and performance log events.
  let insightClusters = 0;
  for (const ecs of ofType(T.ecsCluster)) {
    const setting = list(ecs.inputs.settings)
      .filter(isObject)
      .find((s) => s.name === "containerInsights");
    const value = str(setting?.value) ?? "disabled";
    if (value === "enabled") {
      insightClusters += 1;
    } else if (value !== "disabled") {
      refuse(ecs, `Container Insights "${value}" is not in the price table`);
    }
  }
  if (insightClusters > 0) {
    addAssumed(c, {
      item: "CloudWatch custom metrics (Container Insights)",
      price: p.customMetricMonth,
      count: insightClusters,
      key: "containerInsightsMetricsPerCluster",
      of: `${insightClusters} × ${T.ecsCluster} with Container Insights × `,
      unit: "metrics",
      resourceType: T.ecsCluster,
    });
    const gb = use("containerInsightsLogGbPerCluster");
    standardGb += insightClusters * gb;
    standardBasis.push(
      `${insightClusters} Container Insights cluster × ${amountText("containerInsightsLogGbPerCluster", gb, "GB")}`,
    );
  }

  if (standardGb > 0) {
    lines.add("CloudWatch Logs ingestion", p.logsIngestGb, standardGb, standardBasis.join(" + "), T.logGroup);
  }
  if (vendedGb > 0) {
    lines.add(
      "CloudWatch vended logs ingestion",
      p.logsVendedIngestGb,
      vendedGb,
      vendedBasis.join(" + "),
      deliveredFlowLogs > 0 ? T.flowLog : T.eksCluster,
    );
  }
  const storedTotal = storage.reduce((sum, s) => sum + s.gb, 0);
  if (storedTotal > 0) {
    lines.add(
      "CloudWatch Logs storage",
      p.logsStorageGbMonth,
      storedTotal,
      `steady state, uncompressed (an upper bound): ${storage.map((s) => s.basis).join("; ")}`,
      T.logGroup,
    );
  }
}
