import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { accountScope } from "../shared/account";
import { AccountScope, awsManagedPolicyArn, podIdentityTrustPolicy } from "../shared/iam";
import { stepContext, StepContext } from "../shared/step-context";
import { Tags } from "../shared/tags";
import { TOKENS } from "../shared/tokens";
import { AGENT_PATH_CHECK_NAME, agentPathCheckManifests } from "../smoke/agent-path-check";
import { AlarmKey, AlarmSettings } from "./alarm-settings";
import { planAlarms } from "./alarms";
import { AGENT_PATH_CHECK_METRIC, agentPathCheckNamespace, agentPathCheckPatterns } from "./check-metric";
import { dashboardBody, dashboardName } from "./dashboard";
import { notificationKeyPolicy, topicPolicy } from "./notification-policies";
import { Watched } from "./watched";

/** Arguments of {@link Monitoring}. */
export interface MonitoringArgs {
  /** The Pulumi project and stack, part of the dashboard's and the check metric's names. */
  readonly project: string;
  readonly stack: string;
  /**
   * The watched resources, by their outputs (the synthetic check's metric is the component's
   * own and is filled in here).
   */
  readonly watched: Omit<Watched<pulumi.Input<string>>, "agentPathCheck" | "region">;
  /** Threshold and evaluation of each alarm. */
  readonly alarms: Readonly<Record<AlarmKey, AlarmSettings>>;
  /** Email addresses subscribed to the alarm topic. */
  readonly emails: readonly string[];
  /** HTTPS endpoints subscribed to the alarm topic. */
  readonly httpsEndpoints: readonly string[];
  /** The scheduled agent path check: how often, and the URL agents are given. */
  readonly agentPathCheck: {
    readonly minutes: number;
    readonly agentUrl: string;
    /** PEM of the gateway CA, for an https agent URL. */
    readonly caPem?: pulumi.Input<string>;
  };
  /** Days the agent cluster's container logs are kept. */
  readonly clusterLogRetentionDays: number;
  /** A short-lived environment: the notification key's deletion window is 7 days (else 30). */
  readonly throwaway: boolean;
  /** The agent cluster's Kubernetes provider (for the scheduled check). */
  readonly provider: k8s.Provider;
  /** The agent cluster's EKS Pod Identity agent add-on, which the observability add-on's identity needs. */
  readonly podIdentityAgent: pulumi.Resource;
  readonly tags: Tags;
}

/** What every step of {@link Monitoring}'s constructor builds on. */
interface Context extends StepContext<MonitoringArgs> {
  readonly scope: pulumi.Output<AccountScope>;
  /** Where the agent cluster's Container Insights log groups are named, `/aws/containerinsights/<cluster>`. */
  readonly logGroupPrefix: pulumi.Output<string>;
}

/** The synthetic check's metric: the component's own namespace, one metric name. */
interface CheckMetric {
  readonly namespace: string;
  readonly metricName: string;
}

/** The add-on that ships the agent cluster's metrics and container logs to CloudWatch. */
export const OBSERVABILITY_ADDON = "amazon-cloudwatch-observability";
/** Service account of the add-on's agent and Fluent Bit (its Pod Identity). */
export const OBSERVABILITY_SERVICE_ACCOUNT = "cloudwatch-agent";
/**
 * The add-on's CloudWatch agent configuration (`agent.config` of the add-on's values): Container
 * Insights with enhanced observability, whose pod status and per-Service metrics the alarms read
 * (the agent's `logs.metrics_collected.kubernetes.enhanced_container_insights`; without it the
 * agent declares no `pod_status_*` metric: amazon-cloudwatch-agent,
 * translator/translate/otel/exporter/awsemf/kubernetes.go). Nothing else (no Application Signals).
 */
export const OBSERVABILITY_CONFIGURATION = {
  agent: { config: { logs: { metrics_collected: { kubernetes: { enhanced_container_insights: true } } } } },
} as const;
/** The add-on's log groups, created here so they get a retention and the stack's key. */
export const CONTAINER_INSIGHTS_LOG_GROUPS = ["application", "dataplane", "host", "performance"] as const;

/**
 * Monitoring is a component that tells operators when the agent path breaks and shows it: a
 * KMS-encrypted SNS topic with the configured subscriptions, an alarm per failure of the path
 * (each notifying on ALARM and OK), one dashboard of the path end to end, the CloudWatch
 * observability add-on (Container Insights for the agent cluster, authorised by Pod Identity)
 * with its log groups, and a scheduled WebSocket handshake check in the agent namespace whose
 * result lines a metric filter counts.
 */
export class Monitoring extends pulumi.ComponentResource {
  /** The topic every alarm notifies, on ALARM and on OK. */
  public readonly topicArn: pulumi.Output<string>;
  public readonly dashboardName: pulumi.Output<string>;

  /**
   * @param name The _unique_ name of this component; every child's name starts with it.
   * @param args What to watch, how, and who to tell.
   * @param opts Options; providers given here reach every AWS child.
   */
  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TOKENS.monitoring, name, {}, opts);
    const ctx: Context = {
      ...stepContext(name, args),
      scope: accountScope(this),
      logGroupPrefix: pulumi.interpolate`/aws/containerinsights/${args.watched.cluster.name}`,
    };

    const key = this.key(ctx);
    const topic = this.topic(ctx, key);
    const logGroups = this.observability(ctx, key);
    const checkMetric = this.check(ctx, logGroups.application);
    this.alarms(ctx, topic, checkMetric);
    const dashboard = this.dashboard(ctx, checkMetric);

    this.topicArn = topic.arn;
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({ topicArn: this.topicArn, dashboardName: this.dashboardName });
  }

  /** The notification key: written policy, CloudWatch alarms and the cluster's logs only. */
  private key({ name, args, scope, tagged, logGroupPrefix }: Context): aws.kms.Key {
    const parent = { parent: this };
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the alarm topic and the agent cluster logs of ${name}`,
        enableKeyRotation: true,
        deletionWindowInDays: args.throwaway ? 7 : 30,
        policy: pulumi.all([scope, logGroupPrefix]).apply(([s, prefix]) =>
          JSON.stringify(
            notificationKeyPolicy({
              ...s,
              logGroupArnPattern: `arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:${prefix}/*`,
            }),
          ),
        ),
        tags: tagged("key"),
      },
      parent,
    );
    new aws.kms.Alias(
      `${name}-key`,
      { name: `alias/${name}-${args.stack}-notifications`, targetKeyId: key.keyId },
      parent,
    );
    return key;
  }

  /** The alarm topic, encrypted with the key, with its policy and the configured subscriptions. */
  private topic({ name, args, scope, tagged }: Context, key: aws.kms.Key): aws.sns.Topic {
    const parent = { parent: this };
    const topic = new aws.sns.Topic(
      `${name}-alarms`,
      { kmsMasterKeyId: key.arn, tags: tagged("alarms") },
      parent,
    );
    new aws.sns.TopicPolicy(
      `${name}-alarms`,
      {
        arn: topic.arn,
        policy: pulumi
          .all([scope, topic.arn])
          .apply(([s, topicArn]) => JSON.stringify(topicPolicy({ ...s, topicArn }))),
      },
      parent,
    );
    args.emails.forEach(
      (email, i) =>
        new aws.sns.TopicSubscription(
          `${name}-email-${i}`,
          { topic: topic.arn, protocol: "email", endpoint: email },
          parent,
        ),
    );
    args.httpsEndpoints.forEach(
      (url, i) =>
        new aws.sns.TopicSubscription(
          `${name}-https-${i}`,
          { topic: topic.arn, protocol: "https", endpoint: url, endpointAutoConfirms: false },
          parent,
        ),
    );
    return topic;
  }

  /** Container Insights for the agent cluster: the add-on, its identity, its log groups (returned, by kind). */
  private observability({ name, args, scope, tagged, logGroupPrefix }: Context, key: aws.kms.Key) {
    const parent = { parent: this };
    const cluster = args.watched.cluster;
    const logGroups = Object.fromEntries(
      CONTAINER_INSIGHTS_LOG_GROUPS.map((kind) => [
        kind,
        new aws.cloudwatch.LogGroup(
          `${name}-cluster-${kind}`,
          {
            name: pulumi.interpolate`${logGroupPrefix}/${kind}`,
            retentionInDays: args.clusterLogRetentionDays,
            kmsKeyId: key.arn,
            tags: tagged(`cluster-${kind}`),
          },
          parent,
        ),
      ]),
    ) as Record<(typeof CONTAINER_INSIGHTS_LOG_GROUPS)[number], aws.cloudwatch.LogGroup>;
    const role = new aws.iam.Role(
      `${name}-observability`,
      {
        description: `CloudWatch agent and Fluent Bit of the agent cluster (${name})`,
        // EKS Pod Identity, for the pods of this account.
        assumeRolePolicy: scope.apply((s) => JSON.stringify(podIdentityTrustPolicy(s))),
        tags: tagged("observability"),
      },
      parent,
    );
    const policy = new aws.iam.RolePolicyAttachment(
      `${name}-observability`,
      {
        role: role.name,
        policyArn: scope.apply((s) => awsManagedPolicyArn(s, "CloudWatchAgentServerPolicy")),
      },
      parent,
    );
    new aws.eks.Addon(
      `${name}-observability`,
      {
        clusterName: cluster.name,
        addonName: OBSERVABILITY_ADDON,
        configurationValues: JSON.stringify(OBSERVABILITY_CONFIGURATION),
        podIdentityAssociations: [{ roleArn: role.arn, serviceAccount: OBSERVABILITY_SERVICE_ACCOUNT }],
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags: tagged("observability"),
      },
      { parent: this, dependsOn: [args.podIdentityAgent, policy, ...Object.values(logGroups)] },
    );
    return logGroups;
  }

  /**
   * The scheduled agent path check, in the agent namespace, and the filters counting its result
   * lines in the application log group: the metric it makes.
   */
  private check({ name, args }: Context, applicationLogs: aws.cloudwatch.LogGroup): CheckMetric {
    const parent = { parent: this };
    const cluster = args.watched.cluster;
    const [configMap, cronJob] = agentPathCheckManifests({
      namespace: cluster.namespace,
      agentUrl: args.agentPathCheck.agentUrl,
      scheduleMinutes: args.agentPathCheck.minutes,
      ...(args.agentPathCheck.caPem !== undefined ? { caPem: "ca" } : {}),
    }) as unknown as [k8s.types.input.core.v1.ConfigMap, k8s.types.input.batch.v1.CronJob];
    const k8sOpts = { parent: this, provider: args.provider };
    new k8s.core.v1.ConfigMap(
      `${name}-agent-path-check`,
      {
        metadata: configMap.metadata,
        data: pulumi.output(args.agentPathCheck.caPem ?? "").apply((ca) => ({
          ...(configMap.data as Record<string, string>),
          ...(args.agentPathCheck.caPem !== undefined ? { "ca.pem": ca } : {}),
        })),
      },
      k8sOpts,
    );
    new k8s.batch.v1.CronJob(
      `${name}-agent-path-check`,
      { metadata: cronJob.metadata, spec: cronJob.spec },
      k8sOpts,
    );
    const checkMetric = {
      namespace: agentPathCheckNamespace(args.project, args.stack),
      metricName: AGENT_PATH_CHECK_METRIC,
    };
    const patterns = agentPathCheckPatterns(cluster.namespace, AGENT_PATH_CHECK_NAME);
    for (const [result, value] of [
      ["pass", "0"],
      ["fail", "1"],
    ] as const) {
      new aws.cloudwatch.LogMetricFilter(
        `${name}-agent-path-check-${result}`,
        {
          logGroupName: applicationLogs.name,
          pattern: patterns[result],
          metricTransformation: {
            namespace: checkMetric.namespace,
            name: checkMetric.metricName,
            value,
            unit: "Count",
          },
        },
        parent,
      );
    }
    return checkMetric;
  }

  /** An alarm per failure of the agent path, each notifying the topic on ALARM and OK. */
  private alarms({ name, args, tagged }: Context, topic: aws.sns.Topic, checkMetric: CheckMetric): void {
    const parent = { parent: this };
    for (const spec of planAlarms({ ...args.watched, agentPathCheck: checkMetric }, args.alarms)) {
      const metric = spec.metric
        ? {
            namespace: spec.metric.namespace,
            metricName: spec.metric.metricName,
            dimensions: spec.metric.dimensions,
            statistic: spec.statistic,
            period: spec.periodSec,
          }
        : {
            metricQueries: [
              ...spec.math!.metrics.map((m) => ({
                id: m.id,
                returnData: false,
                metric: {
                  namespace: m.namespace,
                  metricName: m.metricName,
                  dimensions: m.dimensions,
                  stat: spec.statistic,
                  period: spec.periodSec,
                },
              })),
              { id: "result", expression: spec.math!.expression, label: spec.math!.label, returnData: true },
            ],
          };
      new aws.cloudwatch.MetricAlarm(
        `${name}-${spec.id}`,
        {
          alarmDescription: spec.description,
          comparisonOperator: spec.comparisonOperator,
          threshold: spec.threshold,
          evaluationPeriods: spec.evaluationPeriods,
          datapointsToAlarm: spec.datapointsToAlarm,
          treatMissingData: spec.treatMissingData,
          actionsEnabled: true,
          alarmActions: [topic.arn],
          okActions: [topic.arn],
          ...metric,
          tags: tagged(spec.id),
        },
        parent,
      );
    }
  }

  /** The dashboard of the agent path end to end, from the same references as the alarms. */
  private dashboard({ name, args, scope }: Context, checkMetric: CheckMetric): aws.cloudwatch.Dashboard {
    const body = pulumi.all([pulumi.output(args.watched), scope.region]).apply(([resolved, region]) =>
      JSON.stringify(
        dashboardBody(
          {
            ...(resolved as Omit<Watched<string>, "agentPathCheck" | "region">),
            region,
            agentPathCheck: checkMetric,
          },
          args.stack,
        ),
      ),
    );
    return new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      { dashboardName: dashboardName(args.project, args.stack), dashboardBody: body },
      { parent: this },
    );
  }
}
