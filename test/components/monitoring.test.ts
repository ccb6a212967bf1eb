/**
 * Monitoring, in whole-program mock runs of every committed stack: each alarm's namespace,
 * metric, dimensions (the watched resources' outputs as the mocks return them), statistic,
 * threshold and actions; the topic's encryption and policies; the dashboard; the add-on and the
 * scheduled check. What this does not prove: that the metrics carry data in a real account, that
 * AWS accepts the key policy, or that the add-on's Fluent Bit writes the fields the filters read.
 */
import * as assert from "assert";
import { ALARM_DEFAULTS } from "../../components/monitoring/alarm-settings";
import { dashboardMetrics } from "../../components/monitoring/dashboard";
import { KEY_ADMIN_ACTIONS } from "../../components/shared/kms";
import { validateKubernetesObject } from "../harness/kubernetes-schema";
import { planStack, PlanView, T } from "../harness/plan";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STACKS = { dev: "websocket", prod: "websocket", tcp: "tcp" } as const;

describe("Monitoring", () => {
  for (const [stack, transport] of Object.entries(STACKS)) {
    describe(`stack ${stack}`, () => {
      let view: PlanView;
      const tcp = transport === "tcp";
      before(async () => {
        view = await planStack(stack);
      });

      const alarm = (name: string): Inputs => view.one(T.metricAlarm, `monitoring-${name}`).inputs;
      const arnSuffix = (type: string, name: string) => String(view.one(type, name).state?.arnSuffix);
      const topicArn = () => view.one(T.topic, "monitoring-alarms").state?.arn;
      const metricOf = (a: Inputs) => [a.namespace, a.metricName, a.dimensions, a.statistic, a.period];
      const evaluation = (a: Inputs) => [
        a.comparisonOperator,
        a.threshold,
        a.evaluationPeriods,
        a.datapointsToAlarm,
        a.treatMissingData,
      ];

      it("has exactly the alarms that apply to the stack's transport", () => {
        const nat = view.byType(T.nat).map((n) => n.name.replace("-nat-", "-"));
        assert.deepStrictEqual(
          view.names(T.metricAlarm),
          [
            "monitoring-agent-path-check",
            "monitoring-agent-pods-pending",
            ...(tcp ? [] : ["monitoring-certificate-expiry"]),
            "monitoring-controller-down",
            "monitoring-controller-restarting",
            ...(tcp ? ["monitoring-gateway-unhealthy-50000"] : []),
            "monitoring-gateway-unhealthy-8080",
            ...nat.map((n) => `monitoring-nat-port-allocation-${n}`),
            ...(tcp ? [] : ["monitoring-proxy-replicas"]),
            "monitoring-ui-5xx",
            "monitoring-ui-unhealthy",
          ].sort(),
        );
      });

      it("sends every alarm to the stack's topic on ALARM and on OK, with a runbook line", () => {
        for (const a of view.byType(T.metricAlarm)) {
          assert.deepStrictEqual(a.inputs.alarmActions, [topicArn()], a.name);
          assert.deepStrictEqual(a.inputs.okActions, [topicArn()], a.name);
          assert.strictEqual(a.inputs.actionsEnabled, true, a.name);
          assert.match(
            String(a.inputs.alarmDescription),
            / Runbook: docs\/operations\.md#[a-z0-9]+$/,
            a.name,
          );
          assert.ok(String(a.inputs.alarmDescription).length <= 1024, a.name);
        }
      });

      it("watches the controller's ECS service: down for two periods, or down in 5 of 60 minutes", () => {
        const cluster = view.one(T.ecsCluster, "jenkins-cluster");
        const service = view.one(T.ecsService, "jenkins-service");
        const dims = { ClusterName: cluster.state?.name, ServiceName: service.state?.name };
        const down = alarm("controller-down");
        assert.deepStrictEqual(metricOf(down), [
          "ECS/ContainerInsights",
          "RunningTaskCount",
          dims,
          "Maximum",
          300,
        ]);
        assert.deepStrictEqual(evaluation(down), ["LessThanThreshold", 1, 2, 2, "breaching"]);
        const restarting = alarm("controller-restarting");
        assert.strictEqual(restarting.metricName, undefined);
        assert.deepStrictEqual(restarting.metricQueries, [
          {
            id: "tasks",
            returnData: false,
            metric: {
              namespace: "ECS/ContainerInsights",
              metricName: "RunningTaskCount",
              dimensions: dims,
              stat: "Minimum",
              period: 60,
            },
          },
          { id: "result", expression: "FILL(tasks, 0)", label: "running controller tasks", returnData: true },
        ]);
        assert.deepStrictEqual(evaluation(restarting), ["LessThanThreshold", 1, 60, 5, "notBreaching"]);
      });

      it("watches every gateway target group's healthy hosts, by the load balancer's and the group's ARN suffixes", () => {
        const nlb = arnSuffix(T.loadBalancer, "gateway-nlb");
        assert.match(nlb, /^net\/gateway-nlb-[0-9a-f]+\/[0-9a-f]{16}$/);
        for (const port of tcp ? [8080, 50000] : [8080]) {
          const a = alarm(`gateway-unhealthy-${port}`);
          assert.deepStrictEqual(metricOf(a), [
            "AWS/NetworkELB",
            "HealthyHostCount",
            { TargetGroup: arnSuffix(T.targetGroup, `gateway-${port}`), LoadBalancer: nlb },
            "Minimum",
            60,
          ]);
          assert.deepStrictEqual(evaluation(a), ["LessThanThreshold", 1, 3, 3, "breaching"]);
        }
      });

      it("watches the UI's target health and its 5xx answers, from the load balancer and from Jenkins", () => {
        const alb = arnSuffix(T.loadBalancer, "jenkins-ui");
        assert.match(alb, /^app\//);
        assert.deepStrictEqual(evaluation(alarm("ui-unhealthy")), [
          "LessThanThreshold",
          1,
          3,
          3,
          "breaching",
        ]);
        assert.deepStrictEqual(metricOf(alarm("ui-unhealthy")), [
          "AWS/ApplicationELB",
          "HealthyHostCount",
          { TargetGroup: arnSuffix(T.targetGroup, "jenkins-ui"), LoadBalancer: alb },
          "Minimum",
          60,
        ]);
        const fivexx = alarm("ui-5xx");
        const metric = (id: string, name: string) => ({
          id,
          returnData: false,
          metric: {
            namespace: "AWS/ApplicationELB",
            metricName: name,
            dimensions: { LoadBalancer: alb },
            stat: "Sum",
            period: 300,
          },
        });
        assert.deepStrictEqual(fivexx.metricQueries, [
          metric("elb", "HTTPCode_ELB_5XX_Count"),
          metric("target", "HTTPCode_Target_5XX_Count"),
          {
            id: "result",
            expression: "FILL(elb, 0) + FILL(target, 0)",
            label: "UI 5xx responses",
            returnData: true,
          },
        ]);
        assert.deepStrictEqual(evaluation(fivexx), [
          "GreaterThanOrEqualToThreshold",
          10,
          1,
          1,
          "notBreaching",
        ]);
      });

      it(
        tcp
          ? "has no certificate alarm without a TLS listener"
          : "alarms 30 days before the gateway certificate expires",
        () => {
          if (tcp) {
            assert.deepStrictEqual(view.byType(T.certificate), []);
            return;
          }
          const a = alarm("certificate-expiry");
          assert.deepStrictEqual(metricOf(a), [
            "AWS/CertificateManager",
            "DaysToExpiry",
            { CertificateArn: view.one(T.certificate, "gateway-server").state?.arn },
            "Minimum",
            86400,
          ]);
          assert.deepStrictEqual(evaluation(a), ["LessThanThreshold", 30, 1, 1, "missing"]);
        },
      );

      it("watches every NAT gateway of both networks for port allocation errors", () => {
        for (const nat of view.byType(T.nat)) {
          const a = alarm(`nat-port-allocation-${nat.name.replace("-nat-", "-")}`);
          assert.deepStrictEqual(metricOf(a), [
            "AWS/NATGateway",
            "ErrorPortAllocation",
            { NatGatewayId: nat.id },
            "Sum",
            300,
          ]);
          assert.deepStrictEqual(evaluation(a), ["GreaterThanOrEqualToThreshold", 1, 1, 1, "notBreaching"]);
        }
      });

      it("watches the agent cluster's pending pods and (websocket) the proxy's running pods, from Container Insights", () => {
        const clusterName = view.one(T.eksCluster, "agents").state?.name;
        const pending = alarm("agent-pods-pending");
        assert.deepStrictEqual(metricOf(pending), [
          "ContainerInsights",
          "pod_status_pending",
          { ClusterName: clusterName },
          "Maximum",
          60,
        ]);
        assert.deepStrictEqual(evaluation(pending), [
          "GreaterThanOrEqualToThreshold",
          1,
          5,
          5,
          "notBreaching",
        ]);
        if (tcp) {
          assert.strictEqual(view.byType(T.metricAlarm).filter((a) => a.name.includes("proxy")).length, 0);
          return;
        }
        const service = (view.one(T.k8sService, "proxy").inputs as Inputs).metadata;
        const replicas = (view.one(T.deployment, "proxy").inputs as Inputs).spec.replicas;
        const proxy = alarm("proxy-replicas");
        assert.deepStrictEqual(metricOf(proxy), [
          "ContainerInsights",
          "service_number_of_running_pods",
          { ClusterName: clusterName, Namespace: service.namespace, Service: service.name },
          "Minimum",
          60,
        ]);
        assert.deepStrictEqual(evaluation(proxy), ["LessThanThreshold", replicas, 5, 3, "breaching"]);
      });

      it("alarms when the scheduled agent path check fails (or does not run) twice in a row", () => {
        const a = alarm("agent-path-check");
        const namespace = `jenkins-agent-bridge/${stack}`;
        // dev checks hourly (an agent node for each run), prod and tcp every 5 minutes.
        const period = stack === "dev" ? 3600 : 300;
        assert.deepStrictEqual(metricOf(a), [namespace, "AgentPathCheckFailed", {}, "Maximum", period]);
        assert.deepStrictEqual(evaluation(a), ["GreaterThanOrEqualToThreshold", 1, 2, 2, "breaching"]);
        const group = view.one(T.logGroup, "monitoring-cluster-application");
        assert.strictEqual(
          group.inputs.name,
          `/aws/containerinsights/${view.one(T.eksCluster, "agents").state?.name}/application`,
        );
        const filters = view
          .byType(T.logMetricFilter)
          .map((f) => [f.name, f.inputs.logGroupName, f.inputs.pattern, f.inputs.metricTransformation]);
        const from =
          '$.kubernetes.namespace_name = "jenkins-agents" && $.kubernetes.container_name = "agent-path-check"';
        assert.deepStrictEqual(filters, [
          [
            "monitoring-agent-path-check-fail",
            group.inputs.name,
            `{ ${from} && $.log = "AGENT-PATH-CHECK FAIL*" }`,
            { namespace, name: "AgentPathCheckFailed", value: "1", unit: "Count" },
          ],
          [
            "monitoring-agent-path-check-pass",
            group.inputs.name,
            `{ ${from} && $.log = "AGENT-PATH-CHECK PASS*" }`,
            { namespace, name: "AgentPathCheckFailed", value: "0", unit: "Count" },
          ],
        ]);
      });

      it("encrypts the topic with a key whose written policy lets CloudWatch alarms of this account use it, and nothing else outside IAM", () => {
        const key = view.one(T.kmsKey, "monitoring-key");
        assert.strictEqual(view.one(T.topic, "monitoring-alarms").inputs.kmsMasterKeyId, key.state?.arn);
        const policy = JSON.parse(String(key.inputs.policy));
        const region = view.plan.outputs.region;
        assert.deepStrictEqual(
          policy.Statement.map((s: Inputs) => [s.Sid, s.Principal, s.Action, s.Condition]),
          [
            [
              "AccountAdministersTheKey",
              { AWS: "arn:aws:iam::123456789012:root" },
              [...KEY_ADMIN_ACTIONS],
              undefined,
            ],
            [
              "CloudWatchAlarmsPublishToTheTopic",
              { Service: "cloudwatch.amazonaws.com" },
              ["kms:Decrypt", "kms:GenerateDataKey*"],
              {
                StringEquals: { "aws:SourceAccount": "123456789012" },
                ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:123456789012:alarm:*` },
              },
            ],
            [
              "CloudWatchLogsEncryptsTheClusterLogs",
              { Service: `logs.${region}.amazonaws.com` },
              ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
              {
                ArnLike: {
                  "kms:EncryptionContext:aws:logs:arn": [
                    `arn:aws:logs:${region}:123456789012:log-group:/aws/containerinsights/agents-${stack}/*`,
                  ],
                },
              },
            ],
          ],
        );
        const topicPolicy = JSON.parse(String(view.one(T.topicPolicy, "monitoring-alarms").inputs.policy));
        assert.deepStrictEqual(
          topicPolicy.Statement.map((s: Inputs) => [s.Sid, s.Effect, s.Principal, s.Resource]),
          [
            ["AccountManagesTheTopic", "Allow", { AWS: "arn:aws:iam::123456789012:root" }, topicArn()],
            ["CloudWatchAlarmsPublish", "Allow", { Service: "cloudwatch.amazonaws.com" }, topicArn()],
            ["TlsOnly", "Deny", "*", topicArn()],
          ],
        );
        for (const group of view.byType(T.logGroup).filter((g) => g.name.startsWith("monitoring-"))) {
          assert.strictEqual(group.inputs.kmsKeyId, key.state?.arn, group.name);
          assert.strictEqual(group.inputs.retentionInDays, 14, group.name);
        }
      });

      it("installs the CloudWatch observability add-on with its own role through Pod Identity", () => {
        const addon = view.one(T.addon, "monitoring-observability").inputs;
        const role = view.one(T.role, "monitoring-observability");
        assert.strictEqual(addon.addonName, "amazon-cloudwatch-observability");
        assert.deepStrictEqual(JSON.parse(String(addon.configurationValues)), {
          agent: {
            config: { logs: { metrics_collected: { kubernetes: { enhanced_container_insights: true } } } },
          },
        });
        assert.strictEqual(addon.clusterName, view.one(T.eksCluster, "agents").state?.name);
        assert.deepStrictEqual(addon.podIdentityAssociations, [
          { roleArn: role.state?.arn, serviceAccount: "cloudwatch-agent" },
        ]);
        // EKS takes each add-on once per cluster: the Pod Identity agent is the autoscaler's, not a second copy.
        assert.deepStrictEqual(
          view
            .byType(T.addon)
            .filter((a) => a.inputs.addonName === "eks-pod-identity-agent")
            .map((a) => a.name),
          ["agents-autoscaler-pod-identity"],
        );
        const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
        assert.deepStrictEqual(trust.Statement, [
          {
            Effect: "Allow",
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
          },
        ]);
        assert.deepStrictEqual(
          view
            .byType(T.rolePolicyAttachment)
            .filter((a) => a.inputs.role === role.state?.name)
            .map((a) => a.inputs.policyArn),
          ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"],
        );
      });

      it("runs the scheduled check in the agent namespace like an agent pod, with no token and no AWS credential", () => {
        const cronJob = view.one(T.cronJob, "monitoring-agent-path-check").inputs as Inputs;
        validateKubernetesObject({ apiVersion: "batch/v1", kind: "CronJob", ...cronJob });
        assert.strictEqual(cronJob.metadata.namespace, "jenkins-agents");
        const pod = cronJob.spec.jobTemplate.spec.template.spec;
        assert.strictEqual(pod.serviceAccountName, "jenkins-agent");
        assert.strictEqual(pod.automountServiceAccountToken, false);
        assert.deepStrictEqual(pod.nodeSelector, { "jenkins-agent-bridge/capacity": "agents" });
        const env = pod.containers[0].env.map((e: Inputs) => e.name);
        assert.deepStrictEqual(env, ["AGENT_URL"]);
        assert.strictEqual(pod.containers[0].env[0].value, view.plan.outputs.agentUrl);
        const configMap = view.one(T.configMap, "monitoring-agent-path-check").inputs as Inputs;
        assert.deepStrictEqual(Object.keys(configMap.data), ["agent-path-check.sh"]);
        assert.strictEqual(cronJob.spec.schedule, stack === "dev" ? "0 * * * *" : "*/5 * * * *");
      });

      it("shows the path on one dashboard whose every metric is one an alarm or a planned resource names", () => {
        const dashboard = view.one(T.dashboard, "monitoring-dashboard").inputs;
        assert.strictEqual(dashboard.dashboardName, `jenkins-agent-bridge-${stack}`);
        const body = JSON.parse(String(dashboard.dashboardBody));
        const titles = body.widgets
          .filter((w: Inputs) => w.type === "metric")
          .map((w: Inputs) => w.properties.title);
        assert.deepStrictEqual(titles, [
          "1. Agent pods and nodes",
          ...(tcp ? [] : ["2. Agent proxy: replicas and traffic"]),
          "3. Endpoint and gateway load balancer: connections and flows",
          "4. Gateway TLS errors",
          "5. Controller health behind the gateway and the UI",
          "6. Controller: tasks, CPU and memory",
          "7. JENKINS_HOME (EFS) throughput",
          "8. Edges: NAT port allocation, certificate, synthetic check",
        ]);
        // Every dimension value is an output of a planned resource (or a name the plan declares).
        const known = new Set<unknown>([
          ...view.resources.flatMap((r) => [r.id, r.state?.name, r.state?.arn, r.state?.arnSuffix]),
          ...view.byType(T.namespace).map((n) => (n.inputs as Inputs).metadata.name),
          ...view.byType(T.k8sService).map((n) => (n.inputs as Inputs).metadata.name),
          "Interface",
          view.plan.outputs.endpointServiceName,
          view.one(T.vpc, "agent").id,
        ]);
        const metrics = dashboardMetrics(body);
        assert.ok(metrics.length > 20);
        for (const m of metrics) {
          for (const [name, value] of Object.entries(m.dimensions)) {
            assert.ok(known.has(value), `${m.metricName} ${name}=${value} is no planned resource's output`);
          }
        }
        // Every alarm's metric is on the dashboard (dimensions in any order).
        const sorted = (d: Record<string, unknown> = {}) =>
          JSON.stringify(Object.fromEntries(Object.entries(d).sort()));
        const shown = new Set(metrics.map((m) => `${m.namespace} ${m.metricName} ${sorted(m.dimensions)}`));
        for (const a of view.byType(T.metricAlarm)) {
          const queries = a.inputs.metricQueries as Inputs[] | undefined;
          const watched = queries
            ? queries.filter((q) => q.metric).map((q) => q.metric)
            : [
                {
                  namespace: a.inputs.namespace,
                  metricName: a.inputs.metricName,
                  dimensions: a.inputs.dimensions,
                },
              ];
          for (const m of watched) {
            assert.ok(
              shown.has(`${m.namespace} ${m.metricName} ${sorted(m.dimensions)}`),
              `${a.name}: ${m.metricName}`,
            );
          }
        }
      });
    });
  }

  it("uses each alarm's defaults unless the stack sets them", async () => {
    const view = await planStack("dev", ['monitoring={"alarms":{"ui5xx":{"threshold":25,"periodSec":600}}}']);
    const a = view.one(T.metricAlarm, "monitoring-ui-5xx").inputs as Inputs;
    assert.strictEqual(a.threshold, 25);
    assert.strictEqual(a.metricQueries[0].metric.period, 600);
    const down = view.one(T.metricAlarm, "monitoring-controller-down").inputs;
    assert.strictEqual(down.threshold, ALARM_DEFAULTS.controllerDown.threshold);
  });

  it("subscribes the configured email addresses and HTTPS endpoints to the topic", async () => {
    const view = await planStack("dev", [
      'monitoring={"emails":["oncall@example.com"],"httpsEndpoints":["https://hooks.example.com/jenkins"]}',
    ]);
    const topic = view.one(T.topic, "monitoring-alarms").state?.arn;
    assert.deepStrictEqual(
      view.byType(T.subscription).map((s) => [s.name, s.inputs.topic, s.inputs.protocol, s.inputs.endpoint]),
      [
        ["monitoring-email-0", topic, "email", "oncall@example.com"],
        ["monitoring-https-0", topic, "https", "https://hooks.example.com/jenkins"],
      ],
    );
  });
});
