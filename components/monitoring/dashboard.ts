/** The stack's CloudWatch dashboard as plain data: its name and body, and the metrics it shows. */
import { RUNBOOK } from "./alarms";
import { MetricRef, Watched } from "./watched";

/** Name of the stack's dashboard: letters, digits, `-` and `_` only (PutDashboard). */
export function dashboardName(project: string, stack: string): string {
  return `${project}-${stack}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 255);
}

/** A dashboard metric line: namespace, name, dimension pairs, then options. */
type MetricLine = (string | { readonly stat?: string; readonly label?: string })[];

const line = (m: MetricRef<string>, options: { stat?: string; label?: string } = {}): MetricLine => [
  m.namespace,
  m.metricName,
  ...Object.entries(m.dimensions).flatMap(([k, v]) => [k, v]),
  options,
];

/** A dashboard widget (CloudWatch dashboard body structure). */
export interface Widget {
  readonly type: "metric" | "text";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

/**
 * The dashboard body: the agent path end to end, in the order a request travels: agent pods and
 * nodes, the proxy, the endpoint and the load balancer (flows, TLS errors), target health, the
 * controller, JENKINS_HOME; then the stack's edges (NAT, certificate, the synthetic check).
 */
export function dashboardBody(w: Watched<string>, stack: string): { widgets: Widget[] } {
  const c = w.controller;
  const g = w.gateway;
  const k = w.cluster;
  /** Metric lines of one namespace and dimension set: `[metric, label, statistic]` each. */
  const series = (
    namespace: string,
    dimensions: Readonly<Record<string, string>>,
    rows: readonly (readonly [string, string, string])[],
  ) => rows.map(([metricName, label, stat]) => line({ namespace, metricName, dimensions }, { label, stat }));
  const ci = "ContainerInsights";
  const service = { ClusterName: c.clusterName, ServiceName: c.serviceName };
  const efs = { FileSystemId: c.fileSystemId };
  const alb = { LoadBalancer: c.uiLoadBalancer };
  const nlb = { LoadBalancer: g.loadBalancer };
  const endpoint = {
    "Endpoint Type": "Interface",
    "Service Name": g.endpointServiceName,
    "VPC Endpoint Id": g.endpointId,
    "VPC Id": g.endpointVpcId,
  };
  const graphs: { title: string; metrics: MetricLine[] }[] = [
    {
      title: "1. Agent pods and nodes",
      metrics: [
        ...series(ci, { ClusterName: k.name, Namespace: k.namespace }, [
          ["namespace_number_of_running_pods", "agent pods running", "Average"],
        ]),
        ...series(ci, { ClusterName: k.name }, [
          ["pod_status_pending", "pods pending", "Sum"],
          ["cluster_node_count", "nodes", "Average"],
        ]),
      ],
    },
  ];
  if (w.proxy) {
    graphs.push({
      title: "2. Agent proxy: replicas and traffic",
      metrics: series(ci, { ClusterName: k.name, Namespace: w.proxy.namespace, Service: w.proxy.service }, [
        ["service_number_of_running_pods", "proxy pods running", "Minimum"],
        ["pod_network_rx_bytes", "proxy bytes in/s", "Average"],
        ["pod_network_tx_bytes", "proxy bytes out/s", "Average"],
      ]),
    });
  }
  graphs.push(
    {
      title: "3. Endpoint and gateway load balancer: connections and flows",
      metrics: [
        ...series("AWS/PrivateLinkEndpoints", endpoint, [
          ["ActiveConnections", "endpoint active connections", "Average"],
          ["NewConnections", "endpoint new connections", "Sum"],
          ["PacketsDropped", "endpoint packets dropped", "Sum"],
        ]),
        ...series("AWS/NetworkELB", nlb, [
          ["ActiveFlowCount", "NLB active flows", "Average"],
          ["NewFlowCount", "NLB new flows", "Sum"],
        ]),
      ],
    },
    {
      title: "4. Gateway TLS errors",
      metrics: series("AWS/NetworkELB", nlb, [
        ["ClientTLSNegotiationErrorCount", "client TLS errors", "Sum"],
        ["TargetTLSNegotiationErrorCount", "target TLS errors", "Sum"],
        ["TCP_Target_Reset_Count", "target resets", "Sum"],
      ]),
    },
    {
      title: "5. Controller health behind the gateway and the UI",
      metrics: [
        ...g.targetGroups.flatMap((tg) =>
          series("AWS/NetworkELB", { TargetGroup: tg.arnSuffix, LoadBalancer: g.loadBalancer }, [
            ["HealthyHostCount", `gateway healthy (port ${tg.port})`, "Minimum"],
          ]),
        ),
        ...series("AWS/ApplicationELB", { TargetGroup: c.uiTargetGroup, LoadBalancer: c.uiLoadBalancer }, [
          ["HealthyHostCount", "UI healthy", "Minimum"],
        ]),
        ...series("AWS/ApplicationELB", alb, [
          ["HTTPCode_ELB_5XX_Count", "UI 5xx (load balancer)", "Sum"],
          ["HTTPCode_Target_5XX_Count", "UI 5xx (Jenkins)", "Sum"],
        ]),
      ],
    },
    {
      title: "6. Controller: tasks, CPU and memory",
      metrics: [
        ...series("ECS/ContainerInsights", service, [["RunningTaskCount", "running tasks", "Minimum"]]),
        ...series("AWS/ECS", service, [
          ["CPUUtilization", "CPU %", "Average"],
          ["MemoryUtilization", "memory %", "Average"],
        ]),
      ],
    },
    {
      title: "7. JENKINS_HOME (EFS) throughput",
      metrics: series("AWS/EFS", efs, [
        ["DataReadIOBytes", "read bytes", "Sum"],
        ["DataWriteIOBytes", "write bytes", "Sum"],
        ["MeteredIOBytes", "metered bytes", "Sum"],
      ]),
    },
    {
      title: "8. Edges: NAT port allocation, certificate, synthetic check",
      metrics: [
        ...w.natGateways.flatMap((n) =>
          series("AWS/NATGateway", { NatGatewayId: n.id }, [
            ["ErrorPortAllocation", `NAT ${n.label} port errors`, "Sum"],
          ]),
        ),
        ...(g.certificateArn !== undefined
          ? series("AWS/CertificateManager", { CertificateArn: g.certificateArn }, [
              ["DaysToExpiry", "gateway certificate days left", "Minimum"],
            ])
          : []),
        ...series(w.agentPathCheck.namespace, {}, [
          [w.agentPathCheck.metricName, "agent path check failed (1)", "Maximum"],
        ]),
      ],
    },
  );
  const header: Widget = {
    type: "text",
    x: 0,
    y: 0,
    width: 24,
    height: 2,
    properties: {
      markdown: `## Jenkins agent path of stack ${stack}\nIn the order a request travels: agent pod, proxy, endpoint, gateway load balancer, controller, JENKINS_HOME. Alarms and their first steps: ${RUNBOOK}.`,
    },
  };
  const widgets: Widget[] = [header];
  graphs.forEach((graph, i) =>
    widgets.push({
      type: "metric",
      x: (i % 2) * 12,
      y: 2 + Math.floor(i / 2) * 6,
      width: 12,
      height: 6,
      properties: {
        title: graph.title,
        region: w.region,
        view: "timeSeries",
        stacked: false,
        period: 60,
        metrics: graph.metrics,
      },
    }),
  );
  return { widgets };
}

/** The metrics a dashboard body names: namespace, metric and dimensions of every metric line. */
export function dashboardMetrics(body: { widgets: Widget[] }): MetricRef<string>[] {
  return body.widgets
    .filter((wd) => wd.type === "metric")
    .flatMap((wd) => wd.properties.metrics as MetricLine[])
    .map((m) => {
      const parts = m.filter((p): p is string => typeof p === "string");
      const dimensions: Record<string, string> = {};
      for (let i = 2; i + 1 < parts.length; i += 2) dimensions[parts[i]] = parts[i + 1];
      return { namespace: parts[0], metricName: parts[1], dimensions };
    });
}
