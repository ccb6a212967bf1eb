/**
 * What the stack watches on the agent path, as plain data: the alarms (metric, dimensions,
 * statistic, threshold, period), the dashboard body, the notification key's and topic's policies
 * and the synthetic check's log filters. The Monitoring component creates resources from these.
 *
 * Every dimension value comes from the watched resource's outputs (`T` is `string` in tests and a
 * Pulumi output in the component); no name is typed by hand. Sources of the metrics:
 * - ECS/ContainerInsights `RunningTaskCount` (ClusterName, ServiceName), emitted with Container
 *   Insights on; AWS/ECS `CPUUtilization`/`MemoryUtilization` are not sent while no task runs
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html).
 * - AWS/NetworkELB and AWS/ApplicationELB `HealthyHostCount` (TargetGroup, LoadBalancer: the ARN
 *   suffixes), ALB `HTTPCode_ELB_5XX_Count` / `HTTPCode_Target_5XX_Count` (LoadBalancer), NLB
 *   `ActiveFlowCount`, `NewFlowCount`, `ClientTLSNegotiationErrorCount`,
 *   `TargetTLSNegotiationErrorCount`, `TCP_Target_Reset_Count` (LoadBalancer)
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html).
 * - AWS/CertificateManager `DaysToExpiry` (CertificateArn), published daily for issued and
 *   imported certificates (https://docs.aws.amazon.com/acm/latest/userguide/cloudwatch-metrics.html).
 * - AWS/NATGateway `ErrorPortAllocation` (NatGatewayId)
 *   (https://docs.aws.amazon.com/vpc/latest/userguide/metrics-dimensions-nat-gateway.html).
 * - ContainerInsights (the `amazon-cloudwatch-observability` add-on, enhanced observability):
 *   `service_number_of_running_pods` (ClusterName, Namespace, Service), `pod_status_pending`
 *   (ClusterName), `cluster_node_count` (ClusterName), `namespace_number_of_running_pods`
 *   (ClusterName, Namespace): the dimension sets the CloudWatch agent's EMF exporter declares
 *   (github.com/aws/amazon-cloudwatch-agent, translator/translate/otel/exporter/awsemf/kubernetes.go).
 * - AWS/PrivateLinkEndpoints `ActiveConnections`, `NewConnections`, `PacketsDropped`
 *   (Endpoint Type, Service Name, VPC Endpoint Id, VPC Id)
 *   (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html).
 * - AWS/EFS `MeteredIOBytes`, `DataReadIOBytes`, `DataWriteIOBytes` (FileSystemId).
 */
import { PolicyDocument } from "../shared/iam";
import { KEY_ADMIN_ACTIONS, LOGS_ACTIONS } from "../shared/kms";

/** The alarms a stack may have, in the order a request travels the agent path. */
export const ALARM_KEYS = [
  "agentPathCheck",
  "agentPodsPending",
  "proxyReplicas",
  "natPortAllocation",
  "gatewayUnhealthy",
  "certificateExpiry",
  "controllerDown",
  "controllerRestarting",
  "uiUnhealthy",
  "ui5xx",
] as const;
export type AlarmKey = (typeof ALARM_KEYS)[number];

/** Threshold and evaluation of one alarm (config `monitoring.alarms.<key>`). */
export interface AlarmSettings {
  readonly threshold: number;
  /** Seconds per datapoint: 10, 20, 30 or a multiple of 60. */
  readonly periodSec: number;
  readonly evaluationPeriods: number;
  /** Breaching datapoints among the evaluated ones that put the alarm in ALARM. */
  readonly datapointsToAlarm: number;
}

/**
 * Defaults of every alarm's settings, and what they mean. The synthetic check's period is its
 * schedule, and it alarms on 2 of 2 datapoints: two failed runs in a row.
 */
export const ALARM_DEFAULTS: Readonly<Record<AlarmKey, AlarmSettings & { readonly doc: string }>> = {
  agentPathCheck: {
    threshold: 1,
    periodSec: 300,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    doc: "The synthetic WebSocket handshake check failed (or did not run): alarms when a run's result is FAIL (value >= threshold) in datapointsToAlarm of evaluationPeriods periods; the period must equal the check's schedule.",
  },
  agentPodsPending: {
    threshold: 1,
    periodSec: 60,
    evaluationPeriods: 5,
    datapointsToAlarm: 5,
    doc: "Pods of the agent cluster stay Pending (capacity or autoscaler trouble): at least threshold pending pods in every minute of evaluationPeriods.",
  },
  proxyReplicas: {
    threshold: 0,
    periodSec: 60,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    doc: "The agent proxy Service has fewer running pods than its replicas (websocket stacks): threshold 0 means the configured proxy.replicas; any other value is the count itself.",
  },
  natPortAllocation: {
    threshold: 1,
    periodSec: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    doc: "A NAT gateway could not allocate a source port (nodes cannot pull images or reach the cluster API): at least threshold errors in a period.",
  },
  gatewayUnhealthy: {
    threshold: 1,
    periodSec: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    doc: "The controller is unhealthy behind the agent gateway: healthy targets of a gateway target group below threshold.",
  },
  certificateExpiry: {
    threshold: 30,
    periodSec: 86400,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    doc: "The gateway's TLS certificate expires in fewer than threshold days (ACM DaysToExpiry).",
  },
  controllerDown: {
    threshold: 1,
    periodSec: 300,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    doc: "The controller is down: running ECS tasks below threshold for every period evaluated (missing data counts as down).",
  },
  controllerRestarting: {
    threshold: 1,
    periodSec: 60,
    evaluationPeriods: 60,
    datapointsToAlarm: 5,
    doc: "The controller restarts in a loop: running tasks below threshold (a minute without data counts as none running) in datapointsToAlarm of evaluationPeriods periods; one deployment stops the task for a minute or two.",
  },
  uiUnhealthy: {
    threshold: 1,
    periodSec: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    doc: "The controller is unhealthy behind the UI load balancer: healthy targets below threshold.",
  },
  ui5xx: {
    threshold: 10,
    periodSec: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    doc: "The UI answers 5xx: load balancer and target 5xx responses together at least threshold in a period.",
  },
};

/** A metric: namespace, name and dimensions (name to value). */
export interface MetricRef<T> {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, T | string>>;
}

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

/** The resources the alarms and the dashboard watch, by their outputs. */
export interface Watched<T> {
  readonly region: string;
  readonly controller: {
    /** ECS cluster and service names. */
    readonly clusterName: T;
    readonly serviceName: T;
    /** ARN suffixes of the UI load balancer and its target group. */
    readonly uiLoadBalancer: T;
    readonly uiTargetGroup: T;
    /** JENKINS_HOME's EFS file system. */
    readonly fileSystemId: T;
  };
  readonly gateway: {
    /** ARN suffix of the network load balancer. */
    readonly loadBalancer: T;
    /** ARN suffixes of its target groups, with the controller port each forwards to. */
    readonly targetGroups: readonly { readonly port: number; readonly arnSuffix: T }[];
    /** The TLS listener's ACM certificate (absent without a TLS listener). */
    readonly certificateArn?: T;
    /** Interface endpoint in the agent VPC: ID, its VPC and the endpoint service's name. */
    readonly endpointId: T;
    readonly endpointVpcId: T;
    readonly endpointServiceName: T;
  };
  /** NAT gateways of both networks. */
  readonly natGateways: readonly { readonly label: string; readonly id: T }[];
  readonly cluster: {
    readonly name: T;
    /** Agent namespace. */
    readonly namespace: string;
  };
  /** websocket stacks: the proxy's Service, namespace and replicas. */
  readonly proxy?: { readonly service: string; readonly namespace: string; readonly replicas: number };
  /** Where the synthetic check's results are counted (a metric filter on the add-on's logs). */
  readonly agentPathCheck: { readonly namespace: string; readonly metricName: string };
}

/** Where each alarm's runbook entry is (docs/operations.md, by heading anchor). */
export const RUNBOOK = "docs/operations.md";
const runbook = (key: AlarmKey) => `Runbook: ${RUNBOOK}#${key.toLowerCase()}`;

/** The metric of the synthetic check's result (1 on FAIL, 0 on PASS). */
export const AGENT_PATH_CHECK_METRIC = "AgentPathCheckFailed";

/** The custom metric namespace of a stack's synthetic check (letters, digits, `/`, `-`, `_`, `.`). */
export function agentPathCheckNamespace(project: string, stack: string): string {
  return `${project}/${stack}`.replace(/[^A-Za-z0-9/_.#:-]/g, "-").slice(0, 255);
}

/**
 * The alarms of a stack: every key of {@link ALARM_KEYS} that applies (no proxy alarm without a
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

/**
 * The periods CloudWatch accepts and the span it evaluates: 10, 20, 30 s or a multiple of 60;
 * period × evaluation periods at most one day below an hour's period, else seven days; datapoints
 * to alarm at most the evaluation periods (PutMetricAlarm,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
 * Returns what is wrong, or undefined.
 */
export function alarmSettingsProblem(s: AlarmSettings): string | undefined {
  if (![10, 20, 30].includes(s.periodSec) && s.periodSec % 60 !== 0) {
    return `periodSec ${s.periodSec} is not 10, 20, 30 or a multiple of 60`;
  }
  const span = s.periodSec * s.evaluationPeriods;
  const limit = s.periodSec < 3600 ? 86400 : 604800;
  if (span > limit) {
    return `periodSec × evaluationPeriods is ${span} s; CloudWatch evaluates at most ${limit} s for this period`;
  }
  if (s.datapointsToAlarm > s.evaluationPeriods) {
    return `datapointsToAlarm ${s.datapointsToAlarm} exceeds evaluationPeriods ${s.evaluationPeriods}`;
  }
  return undefined;
}

/**
 * Key policy of the notification key: the account administers it through IAM (the administration
 * actions only, as every key of the stack); CloudWatch may use
 * it for alarms of this account publishing to the encrypted topic (kms:Decrypt and
 * kms:GenerateDataKey*, https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services);
 * CloudWatch Logs may use it for the agent cluster's log groups only
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 */
export function notificationKeyPolicy(p: {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** Log groups the key may encrypt, as an ARN pattern. */
  readonly logGroupArnPattern: string;
}): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersTheKey",
        Effect: "Allow",
        Principal: { AWS: `arn:${p.partition}:iam::${p.accountId}:root` },
        Action: [...KEY_ADMIN_ACTIONS],
        Resource: "*",
      },
      {
        Sid: "CloudWatchAlarmsPublishToTheTopic",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceAccount": p.accountId },
          ArnLike: { "aws:SourceArn": `arn:${p.partition}:cloudwatch:${p.region}:${p.accountId}:alarm:*` },
        },
      },
      {
        Sid: "CloudWatchLogsEncryptsTheClusterLogs",
        Effect: "Allow",
        Principal: { Service: `logs.${p.region}.amazonaws.com` },
        Action: [...LOGS_ACTIONS],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": [p.logGroupArnPattern] } },
      },
    ],
  };
}

/**
 * Policy of the notification topic: the account manages it; CloudWatch alarms of this account
 * publish to it; nothing reaches it without TLS.
 */
export function topicPolicy(p: {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly topicArn: string;
}): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountManagesTheTopic",
        Effect: "Allow",
        Principal: { AWS: `arn:${p.partition}:iam::${p.accountId}:root` },
        Action: [
          "sns:GetTopicAttributes",
          "sns:SetTopicAttributes",
          "sns:AddPermission",
          "sns:RemovePermission",
          "sns:DeleteTopic",
          "sns:Subscribe",
          "sns:ListSubscriptionsByTopic",
          "sns:Publish",
        ],
        Resource: p.topicArn,
      },
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: p.topicArn,
        Condition: {
          StringEquals: { "aws:SourceAccount": p.accountId },
          ArnLike: { "aws:SourceArn": `arn:${p.partition}:cloudwatch:${p.region}:${p.accountId}:alarm:*` },
        },
      },
      {
        Sid: "TlsOnly",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: p.topicArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/** The fixed first word of the synthetic check's result line (see components/smoke/agent-path-check.sh). */
export const RESULT_PREFIX = "AGENT-PATH-CHECK";

/**
 * Metric filter patterns over the add-on's application log group (JSON events with the container
 * log line in `log` and Kubernetes metadata): the check's container in the agent namespace
 * printing its PASS or FAIL line.
 */
export function agentPathCheckPatterns(namespace: string, container: string): { pass: string; fail: string } {
  const from = `$.kubernetes.namespace_name = "${namespace}" && $.kubernetes.container_name = "${container}"`;
  return {
    pass: `{ ${from} && $.log = "${RESULT_PREFIX} PASS*" }`,
    fail: `{ ${from} && $.log = "${RESULT_PREFIX} FAIL*" }`,
  };
}

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
