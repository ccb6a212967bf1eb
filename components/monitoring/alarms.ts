/**
 * The alarms of a stack as plain data: metric, dimensions, statistic, threshold and period of
 * each. The Monitoring component creates one CloudWatch alarm from each.
 */
import { AlarmKey, AlarmSettings } from "./alarm-settings";
import { MetricRef, Watched } from "./watched";

/** One planned alarm. */
export interface AlarmSpec<T> {
  readonly key: AlarmKey;
  /** Unique suffix of the alarm's resource name, e.g. `gateway-unhealthy-8080`. */
  readonly id: string;
  readonly description: string;
  /** The metric watched, or a metric-math expression over `metrics`. */
  readonly metric?: MetricRef<T>;
  readonly math?: {
    readonly expression: string;
    readonly label: string;
    readonly metrics: readonly (MetricRef<T> & { readonly id: string })[];
  };
  readonly statistic: "Minimum" | "Maximum" | "Sum" | "Average";
  readonly comparisonOperator:
    | "LessThanThreshold"
    | "GreaterThanOrEqualToThreshold"
    | "GreaterThanThreshold"
    | "LessThanOrEqualToThreshold";
  readonly threshold: number;
  readonly periodSec: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly treatMissingData: "breaching" | "notBreaching" | "missing" | "ignore";
}

/** Where each alarm's runbook entry is (docs/operations.md, by heading anchor). */
export const RUNBOOK = "docs/operations.md";
const runbook = (key: AlarmKey) => `Runbook: ${RUNBOOK}#${key.toLowerCase()}`;

/**
 * The alarms of a stack: every key of `ALARM_KEYS` that applies (no proxy alarm without a
 * proxy, no certificate alarm without a TLS listener), one per target group and NAT gateway.
 */
export function planAlarms<T>(
  watched: Omit<Watched<T>, "region">,
  settings: Readonly<Record<AlarmKey, AlarmSettings>>,
): AlarmSpec<T>[] {
  const s = settings;
  const base = (key: AlarmKey) => ({
    key,
    threshold: s[key].threshold,
    periodSec: s[key].periodSec,
    evaluationPeriods: s[key].evaluationPeriods,
    datapointsToAlarm: s[key].datapointsToAlarm,
  });
  const c = watched.controller;
  const g = watched.gateway;
  const alarms: AlarmSpec<T>[] = [
    {
      ...base("agentPathCheck"),
      id: "agent-path-check",
      description: `The scheduled WebSocket handshake check from the agent namespace failed or did not run. ${runbook("agentPathCheck")}`,
      metric: {
        namespace: watched.agentPathCheck.namespace,
        metricName: watched.agentPathCheck.metricName,
        dimensions: {},
      },
      statistic: "Maximum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      // No result at all means the check could not run (no capacity, no log shipping): that is
      // a broken agent path too.
      treatMissingData: "breaching",
    },
    {
      ...base("agentPodsPending"),
      id: "agent-pods-pending",
      description: `Pods of the agent cluster stay Pending. ${runbook("agentPodsPending")}`,
      metric: {
        namespace: "ContainerInsights",
        metricName: "pod_status_pending",
        dimensions: { ClusterName: watched.cluster.name },
      },
      statistic: "Maximum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
    },
  ];
  if (watched.proxy) {
    const proxy = watched.proxy;
    alarms.push({
      ...base("proxyReplicas"),
      id: "proxy-replicas",
      threshold: s.proxyReplicas.threshold === 0 ? proxy.replicas : s.proxyReplicas.threshold,
      description: `The agent proxy has fewer running pods than wanted. ${runbook("proxyReplicas")}`,
      metric: {
        namespace: "ContainerInsights",
        metricName: "service_number_of_running_pods",
        dimensions: {
          ClusterName: watched.cluster.name,
          Namespace: proxy.namespace,
          Service: proxy.service,
        },
      },
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
    });
  }
  for (const nat of watched.natGateways) {
    alarms.push({
      ...base("natPortAllocation"),
      id: `nat-port-allocation-${nat.label}`,
      description: `NAT gateway ${nat.label} could not allocate source ports. ${runbook("natPortAllocation")}`,
      metric: {
        namespace: "AWS/NATGateway",
        metricName: "ErrorPortAllocation",
        dimensions: { NatGatewayId: nat.id },
      },
      statistic: "Sum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
    });
  }
  for (const tg of g.targetGroups) {
    alarms.push({
      ...base("gatewayUnhealthy"),
      id: `gateway-unhealthy-${tg.port}`,
      description: `No healthy controller behind the agent gateway (target port ${tg.port}). ${runbook("gatewayUnhealthy")}`,
      metric: {
        namespace: "AWS/NetworkELB",
        metricName: "HealthyHostCount",
        dimensions: { TargetGroup: tg.arnSuffix, LoadBalancer: g.loadBalancer },
      },
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
    });
  }
  if (g.certificateArn !== undefined) {
    alarms.push({
      ...base("certificateExpiry"),
      id: "certificate-expiry",
      description: `The agent gateway certificate expires soon. ${runbook("certificateExpiry")}`,
      metric: {
        namespace: "AWS/CertificateManager",
        metricName: "DaysToExpiry",
        dimensions: { CertificateArn: g.certificateArn },
      },
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "missing",
    });
  }
  const tasks: MetricRef<T> = {
    namespace: "ECS/ContainerInsights",
    metricName: "RunningTaskCount",
    dimensions: { ClusterName: c.clusterName, ServiceName: c.serviceName },
  };
  alarms.push(
    {
      ...base("controllerDown"),
      id: "controller-down",
      description: `No Jenkins controller task is running. ${runbook("controllerDown")}`,
      metric: tasks,
      statistic: "Maximum",
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
    },
    {
      ...base("controllerRestarting"),
      id: "controller-restarting",
      description: `The Jenkins controller task keeps stopping and starting. ${runbook("controllerRestarting")}`,
      // ECS sends no task metrics while no task runs: a minute without data is a minute down.
      math: {
        expression: "FILL(tasks, 0)",
        label: "running controller tasks",
        metrics: [{ ...tasks, id: "tasks" }],
      },
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "notBreaching",
    },
    {
      ...base("uiUnhealthy"),
      id: "ui-unhealthy",
      description: `No healthy controller behind the UI load balancer. ${runbook("uiUnhealthy")}`,
      metric: {
        namespace: "AWS/ApplicationELB",
        metricName: "HealthyHostCount",
        dimensions: { TargetGroup: c.uiTargetGroup, LoadBalancer: c.uiLoadBalancer },
      },
      statistic: "Minimum",
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
    },
    {
      ...base("ui5xx"),
      id: "ui-5xx",
      description: `The Jenkins UI answers 5xx. ${runbook("ui5xx")}`,
      math: {
        expression: "FILL(elb, 0) + FILL(target, 0)",
        label: "UI 5xx responses",
        metrics: [
          {
            id: "elb",
            namespace: "AWS/ApplicationELB",
            metricName: "HTTPCode_ELB_5XX_Count",
            dimensions: { LoadBalancer: c.uiLoadBalancer },
          },
          {
            id: "target",
            namespace: "AWS/ApplicationELB",
            metricName: "HTTPCode_Target_5XX_Count",
            dimensions: { LoadBalancer: c.uiLoadBalancer },
          },
        ],
      },
      statistic: "Sum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
    },
  );
  return alarms;
}
