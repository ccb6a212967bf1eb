/**
 * Monitoring, constructed on its own under the mock engine with stand-in watched resources and a
 * stand-in Kubernetes provider: a websocket stack (proxy, TLS listener, subscribers) and a
 * throwaway tcp stack (none of those). What this does not prove: that the alarms fire on real
 * metrics or that the add-on ships logs (the plan's dashboard checks cover the metric names).
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as assert from "assert";
import {
  CONTAINER_INSIGHTS_LOG_GROUPS,
  Monitoring,
  MonitoringArgs,
} from "../../../components/monitoring/monitoring";
import { ALARM_DEFAULTS } from "../../../components/monitoring/alarm-settings";
import { MOCK_ACCOUNT_ID } from "../../../offline/mocks";
import { AloneView, constructAlone } from "../../harness/alone";
import { T } from "../../harness/plan";

const CERTIFICATE = `arn:aws:acm:us-east-1:${MOCK_ACCOUNT_ID}:certificate/11111111-2222-4333-8444-555555555555`;
const CA = "-----BEGIN CERTIFICATE-----\nMOCK\n-----END CERTIFICATE-----\n";
const PROXY = { service: "agent-proxy", namespace: "jenkins-agent-proxy", replicas: 2 };
const ALARM_ARN = `arn:aws:cloudwatch:us-east-1:${MOCK_ACCOUNT_ID}:alarm:*`;

type Watched = MonitoringArgs["watched"];
const WATCHED: Watched = {
  controller: {
    clusterName: "jenkins-cluster",
    serviceName: "jenkins-service",
    uiLoadBalancer: "app/jenkins-ui/0123456789abcdef",
    uiTargetGroup: "targetgroup/jenkins-ui/0123456789abcdef",
    fileSystemId: "fs-0123456789abcdef0",
  },
  gateway: {
    loadBalancer: "net/gw-nlb/0123456789abcdef",
    targetGroups: [{ port: 8080, arnSuffix: "targetgroup/gw-8080/0123456789abcdef" }],
    endpointId: "vpce-0123456789abcdef0",
    endpointVpcId: "vpc-agent",
    endpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
  },
  natGateways: [{ label: "master-0", id: "nat-0123456789abcdef0" }],
  cluster: { name: "agents-alone", namespace: "jenkins-agents" },
};

function build(overrides: Partial<MonitoringArgs> = {}): Promise<AloneView> {
  return constructAlone(() => {
    const provider = new k8s.Provider("stand-in", { kubeconfig: "{}" });
    const podIdentityAgent = new aws.eks.Addon("stand-in-pod-identity", {
      clusterName: "agents-alone",
      addonName: "eks-pod-identity-agent",
    });
    new Monitoring("monitoring", {
      project: "jenkins-agent-bridge",
      stack: "alone",
      watched: WATCHED,
      alarms: ALARM_DEFAULTS,
      emails: [],
      httpsEndpoints: [],
      agentPathCheck: { minutes: 10, agentUrl: "http://jenkins.ci.internal:8080/" },
      clusterLogRetentionDays: 14,
      throwaway: false,
      provider,
      podIdentityAgent,
      tags: {},
      ...overrides,
    });
  });
}

const alarmIds = (view: AloneView) => view.names(T.metricAlarm).map((n) => n.replace(/^monitoring-/, ""));
/** The dashboard's body, as declared. */
const dashboardBody = (view: AloneView) =>
  String(view.one(T.dashboard, "monitoring-dashboard").inputs.dashboardBody);

describe("Monitoring alone", () => {
  describe("with the proxy, a TLS listener and subscribers", () => {
    let view: AloneView;
    before(async () => {
      view = await build({
        watched: { ...WATCHED, proxy: PROXY, gateway: { ...WATCHED.gateway, certificateArn: CERTIFICATE } },
        emails: ["ops@example.com"],
        httpsEndpoints: ["https://hooks.example.com/alarms"],
        agentPathCheck: { minutes: 10, agentUrl: "https://jenkins.ci.internal/", caPem: CA },
      });
    });

    it("watches the proxy's running pods and the certificate's expiry besides the rest", () => {
      assert.deepStrictEqual(alarmIds(view), [
        "agent-path-check",
        "agent-pods-pending",
        "certificate-expiry",
        "controller-down",
        "controller-restarting",
        "gateway-unhealthy-8080",
        "nat-port-allocation-master-0",
        "proxy-replicas",
        "ui-5xx",
        "ui-unhealthy",
      ]);
      const proxy = view.one(T.metricAlarm, "monitoring-proxy-replicas");
      assert.deepStrictEqual(
        [proxy.inputs.threshold, proxy.inputs.dimensions],
        [2, { ClusterName: "agents-alone", Namespace: PROXY.namespace, Service: PROXY.service }],
      );
      assert.deepStrictEqual(view.one(T.metricAlarm, "monitoring-certificate-expiry").inputs.dimensions, {
        CertificateArn: CERTIFICATE,
      });
      assert.ok(dashboardBody(view).includes(PROXY.namespace));
    });

    it("notifies the topic alone, on ALARM and on OK", () => {
      const topic = view.one(T.topic, "monitoring-alarms");
      for (const alarm of view.byType(T.metricAlarm)) {
        assert.deepStrictEqual(
          [
            alarm.inputs.actionsEnabled,
            alarm.inputs.alarmActions,
            alarm.inputs.okActions,
            alarm.inputs.insufficientDataActions,
          ],
          [true, [topic.state?.arn], [topic.state?.arn], undefined],
          alarm.name,
        );
      }
    });

    it("subscribes exactly the given addresses, HTTPS endpoints without auto-confirmation", () => {
      const topic = view.one(T.topic, "monitoring-alarms");
      assert.deepStrictEqual(
        view
          .byType(T.subscription)
          .map((s) => [
            s.name,
            s.inputs.topic,
            s.inputs.protocol,
            s.inputs.endpoint,
            s.inputs.endpointAutoConfirms ?? null,
          ]),
        [
          ["monitoring-email-0", topic.state?.arn, "email", "ops@example.com", null],
          ["monitoring-https-0", topic.state?.arn, "https", "https://hooks.example.com/alarms", false],
        ],
      );
    });

    it("encrypts the topic with its own key, which only CloudWatch alarms and the cluster's log groups may use", () => {
      const key = view.one(T.kmsKey, "monitoring-key");
      assert.strictEqual(key.inputs.deletionWindowInDays, 30);
      assert.strictEqual(view.one(T.topic, "monitoring-alarms").inputs.kmsMasterKeyId, key.state?.arn);
      const statements = JSON.parse(key.inputs.policy as string).Statement;
      assert.deepStrictEqual(
        statements.map((s: Record<string, unknown>) => s.Condition ?? null),
        [
          null,
          { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID }, ArnLike: { "aws:SourceArn": ALARM_ARN } },
          {
            ArnLike: {
              "kms:EncryptionContext:aws:logs:arn": [
                `arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:log-group:/aws/containerinsights/agents-alone/*`,
              ],
            },
          },
        ],
      );
      const topicStatements = JSON.parse(
        view.one(T.topicPolicy, "monitoring-alarms").inputs.policy as string,
      ).Statement;
      assert.deepStrictEqual(
        topicStatements.map((s: Record<string, unknown>) => [s.Effect, s.Principal, s.Condition]),
        [
          ["Allow", { AWS: `arn:aws:iam::${MOCK_ACCOUNT_ID}:root` }, undefined],
          [
            "Allow",
            { Service: "cloudwatch.amazonaws.com" },
            {
              StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
              ArnLike: { "aws:SourceArn": ALARM_ARN },
            },
          ],
          ["Deny", "*", { Bool: { "aws:SecureTransport": "false" } }],
        ],
      );
    });

    it("creates the add-on's log groups encrypted and kept as configured, and its role for Pod Identity only", () => {
      const key = view.one(T.kmsKey, "monitoring-key");
      assert.deepStrictEqual(
        view.byType(T.logGroup).map((g) => [g.inputs.name, g.inputs.retentionInDays, g.inputs.kmsKeyId]),
        [...CONTAINER_INSIGHTS_LOG_GROUPS].map((kind) => [
          `/aws/containerinsights/agents-alone/${kind}`,
          14,
          key.state?.arn,
        ]),
      );
      const role = view.one(T.role, "monitoring-observability");
      assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy as string).Statement, [
        {
          Effect: "Allow",
          Principal: { Service: "pods.eks.amazonaws.com" },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
        },
      ]);
      assert.deepStrictEqual(
        view.byType(T.rolePolicyAttachment).map((a) => a.inputs.policyArn),
        ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"],
      );
      const addon = view.one(T.addon, "monitoring-observability");
      assert.deepStrictEqual(addon.inputs.podIdentityAssociations, [
        { roleArn: role.state?.arn, serviceAccount: "cloudwatch-agent" },
      ]);
      // The cluster's Pod Identity agent is given, never made again here (EKS takes each add-on once).
      assert.deepStrictEqual(
        view.byType(T.addon).map((a) => a.name),
        ["monitoring-observability", "stand-in-pod-identity"].sort(),
      );
    });

    it("hands the gateway CA to the scheduled check in the agent namespace", () => {
      const configMap = view.one(T.configMap, "monitoring-agent-path-check");
      assert.strictEqual((configMap.inputs.metadata as { namespace: string }).namespace, "jenkins-agents");
      assert.strictEqual((configMap.inputs.data as Record<string, string>)["ca.pem"], CA);
      const cronJob = view.one(T.cronJob, "monitoring-agent-path-check");
      assert.strictEqual((cronJob.inputs.metadata as { namespace: string }).namespace, "jenkins-agents");
      assert.strictEqual(cronJob.provider, view.one(T.k8sProvider, "stand-in").urn);
    });
  });

  describe("without the proxy, TLS listener or subscribers, throwaway", () => {
    let view: AloneView;
    before(async () => {
      view = await build({ throwaway: true });
    });

    it("makes no proxy or certificate alarm", () => {
      assert.deepStrictEqual(alarmIds(view), [
        "agent-path-check",
        "agent-pods-pending",
        "controller-down",
        "controller-restarting",
        "gateway-unhealthy-8080",
        "nat-port-allocation-master-0",
        "ui-5xx",
        "ui-unhealthy",
      ]);
      assert.ok(!dashboardBody(view).includes(PROXY.namespace));
    });

    it("subscribes nobody and gives the check no CA", () => {
      assert.deepStrictEqual(view.byType(T.subscription), []);
      const data = view.one(T.configMap, "monitoring-agent-path-check").inputs.data as Record<string, string>;
      assert.ok(!("ca.pem" in data), "a CA without a TLS listener");
      assert.ok(Object.keys(data).length > 0);
    });

    it("deletes the key with the shortest window", () => {
      assert.strictEqual(view.one(T.kmsKey, "monitoring-key").inputs.deletionWindowInDays, 7);
    });
  });
});
