/**
 * The monitoring keys (subscriptions refused with one line each, alarm settings CloudWatch would
 * refuse), the pure pieces of the monitoring plan, and the scheduled check's manifests.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { ALARM_DEFAULTS, ALARM_KEYS, alarmSettingsProblem } from "../../components/monitoring/alarm-settings";
import { planAlarms } from "../../components/monitoring/alarms";
import { dashboardBody, dashboardMetrics, dashboardName } from "../../components/monitoring/dashboard";
import { Watched } from "../../components/monitoring/watched";
import {
  AGENT_PATH_CHECK_LABELS,
  agentPathCheckManifests,
  everyMinutes,
} from "../../components/smoke/agent-path-check";
import { restrictedSecurity } from "../../components/cluster/plan";
import { SMOKE_CONTAINER_SECURITY, SMOKE_GID, SMOKE_UID } from "../../components/smoke/job";
import { parseStackConfig } from "../../config";
import { decodeStated } from "../harness/config";
import { emailProblem, httpsEndpointProblem } from "../../config/monitoring";
import { validateKubernetesObject } from "../harness/kubernetes-schema";

type Manifest = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const problemsOf = (monitoring: unknown, extra: Record<string, string> = {}) => {
  const result = parseStackConfig(
    decodeStated({
      "aws:region": "us-east-1",
      "jenkins-agent-bridge:monitoring": JSON.stringify(monitoring),
      ...extra,
    }),
  );
  return result.ok ? [] : result.problems;
};

describe("monitoring configuration", () => {
  it("accepts plain email addresses and https endpoints", () => {
    assert.deepStrictEqual(
      problemsOf({
        emails: ["oncall@example.com", "first.last+jenkins@ops.example.co.uk"],
        httpsEndpoints: [
          "https://hooks.example.com/services/T000/B000",
          "https://10.0.0.1:8443/alerts?team=ci",
        ],
      }),
      [],
    );
  });

  it("refuses each malformed subscription with one line naming the key, the value and what is accepted", () => {
    assert.deepStrictEqual(
      problemsOf({
        emails: ["oncall", "two@@example.com", "a b@example.com", "ops@localhost", "ok@example.com"],
        httpsEndpoints: [
          "http://hooks.example.com/x",
          "https://user:pw@hooks.example.com/x",
          "not a url",
          "https://",
        ],
      }),
      [
        'jenkins-agent-bridge:monitoring.emails[0]: got "oncall"; expected an email address (not local-part@domain)',
        'jenkins-agent-bridge:monitoring.emails[1]: got "two@@example.com"; expected an email address (not local-part@domain)',
        'jenkins-agent-bridge:monitoring.emails[2]: got "a b@example.com"; expected an email address (the part before @ is not a plain address)',
        'jenkins-agent-bridge:monitoring.emails[3]: got "ops@localhost"; expected an email address (the domain is not a DNS name)',
        'jenkins-agent-bridge:monitoring.httpsEndpoints[0]: got "http://hooks.example.com/x"; expected an https:// URL (scheme http, not https)',
        'jenkins-agent-bridge:monitoring.httpsEndpoints[1]: got "https://user:pw@hooks.example.com/x"; expected an https:// URL (credentials in the URL would be stored in plain text)',
        'jenkins-agent-bridge:monitoring.httpsEndpoints[2]: got "not a url"; expected an https:// URL (contains whitespace)',
        'jenkins-agent-bridge:monitoring.httpsEndpoints[3]: got "https://"; expected an https:// URL (not a URL)',
      ],
    );
  });

  it("refuses a subscription listed twice, and a list that is not a list", () => {
    assert.deepStrictEqual(problemsOf({ emails: ["a@example.com", "A@example.com"] }), [
      'jenkins-agent-bridge:monitoring.emails[1]: got "A@example.com"; expected each subscription once',
    ]);
    assert.deepStrictEqual(problemsOf({ httpsEndpoints: "https://hooks.example.com" }), [
      'jenkins-agent-bridge:monitoring.httpsEndpoints: got "https://hooks.example.com"; expected a list of 0 to 20 items (https URL)',
    ]);
  });

  it("refuses alarm settings CloudWatch would refuse, and a check alarm whose period is not its schedule", () => {
    assert.deepStrictEqual(
      problemsOf({
        agentPathCheckMinutes: 10,
        alarms: {
          ui5xx: { periodSec: 90 },
          agentPodsPending: { evaluationPeriods: 3, datapointsToAlarm: 4 },
          uiUnhealthy: { evaluationPeriods: 100 },
        },
      }),
      [
        'jenkins-agent-bridge:monitoring.alarms.agentPodsPending: got {"threshold":1,"periodSec":60,"evaluationPeriods":3,"datapointsToAlarm":4}; expected settings CloudWatch accepts: datapointsToAlarm 4 exceeds evaluationPeriods 3',
        'jenkins-agent-bridge:monitoring.alarms.ui5xx: got {"threshold":10,"periodSec":90,"evaluationPeriods":1,"datapointsToAlarm":1}; expected settings CloudWatch accepts: periodSec 90 is not 10, 20, 30 or a multiple of 60',
        "jenkins-agent-bridge:monitoring.alarms.agentPathCheck.periodSec: got 300; expected 600, the schedule of monitoring.agentPathCheckMinutes (10) in seconds: one run per datapoint",
      ],
    );
  });

  it("refuses a check schedule that does not divide the hour, and an unknown alarm", () => {
    assert.deepStrictEqual(problemsOf({ agentPathCheckMinutes: 7, alarms: { controllerDwn: {} } }), [
      "jenkins-agent-bridge:monitoring.agentPathCheckMinutes: got 7; expected one of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60",
      "jenkins-agent-bridge:monitoring.alarms.controllerDwn: unknown key (got {}); did you mean jenkins-agent-bridge:monitoring.alarms.controllerDown?",
    ]);
  });

  it("refuses a certificate alarm that could never clear", () => {
    assert.deepStrictEqual(
      problemsOf(
        { alarms: { certificateExpiry: { threshold: 90 } } },
        { "jenkins-agent-bridge:gateway": '{"certificateValidityDays":90}' },
      ),
      [
        "jenkins-agent-bridge:monitoring.alarms.certificateExpiry.threshold: got 90; expected fewer days than gateway.certificateValidityDays (90), or the alarm never clears",
      ],
    );
  });

  it("checks addresses and endpoints by their parts", () => {
    assert.strictEqual(
      emailProblem(`${"a".repeat(65)}@example.com`),
      "the part before @ is not a plain address",
    );
    assert.strictEqual(emailProblem(`a@${"b".repeat(250)}.com`), "longer than 254 characters");
    assert.strictEqual(emailProblem(".a@example.com"), "the part before @ is not a plain address");
    assert.strictEqual(emailProblem("a@exa_mple.com"), "the domain is not a DNS name");
    assert.strictEqual(httpsEndpointProblem("https://hooks.example.com/a b"), "contains whitespace");
    assert.strictEqual(
      httpsEndpointProblem(`https://h.example.com/${"x".repeat(2048)}`),
      "longer than 2048 characters",
    );
  });
});

describe("alarm settings", () => {
  it("gives every alarm defaults that CloudWatch accepts", () => {
    for (const key of ALARM_KEYS)
      assert.strictEqual(alarmSettingsProblem(ALARM_DEFAULTS[key]), undefined, key);
  });

  it("allows up to seven days for periods of an hour or more, one day below", () => {
    const s = { threshold: 1, datapointsToAlarm: 1 };
    assert.strictEqual(alarmSettingsProblem({ ...s, periodSec: 3600, evaluationPeriods: 168 }), undefined);
    assert.match(String(alarmSettingsProblem({ ...s, periodSec: 3600, evaluationPeriods: 169 })), /604800/);
    assert.strictEqual(alarmSettingsProblem({ ...s, periodSec: 60, evaluationPeriods: 1440 }), undefined);
    assert.match(String(alarmSettingsProblem({ ...s, periodSec: 60, evaluationPeriods: 1441 })), /86400/);
    assert.strictEqual(alarmSettingsProblem({ ...s, periodSec: 30, evaluationPeriods: 1 }), undefined);
  });
});

const WATCHED: Watched<string> = {
  region: "us-east-1",
  controller: {
    clusterName: "ecs",
    serviceName: "svc",
    uiLoadBalancer: "app/ui/1",
    uiTargetGroup: "targetgroup/ui/2",
    fileSystemId: "fs-1",
  },
  gateway: {
    loadBalancer: "net/gw/3",
    targetGroups: [{ port: 8080, arnSuffix: "targetgroup/gw/4" }],
    certificateArn: "arn:aws:acm:us-east-1:1:certificate/x",
    endpointId: "vpce-1",
    endpointVpcId: "vpc-1",
    endpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-1",
  },
  natGateways: [{ label: "master-0", id: "nat-1" }],
  cluster: { name: "agents-dev", namespace: "jenkins-agents" },
  proxy: { service: "agent-proxy", namespace: "jenkins-agents", replicas: 3 },
  agentPathCheck: { namespace: "jenkins-agent-bridge/dev", metricName: "AgentPathCheckFailed" },
};

describe("monitoring plan", () => {
  const settings = Object.fromEntries(ALARM_KEYS.map((k) => [k, ALARM_DEFAULTS[k]])) as typeof ALARM_DEFAULTS;

  it("plans one alarm per watched failure, the proxy's at its replica count unless set", () => {
    const alarms = planAlarms(WATCHED, settings);
    assert.deepStrictEqual(
      alarms.map((a) => a.id),
      [
        "agent-path-check",
        "agent-pods-pending",
        "proxy-replicas",
        "nat-port-allocation-master-0",
        "gateway-unhealthy-8080",
        "certificate-expiry",
        "controller-down",
        "controller-restarting",
        "ui-unhealthy",
        "ui-5xx",
      ],
    );
    assert.strictEqual(alarms.find((a) => a.key === "proxyReplicas")!.threshold, 3);
    const custom = planAlarms(WATCHED, {
      ...settings,
      proxyReplicas: { ...settings.proxyReplicas, threshold: 2 },
    });
    assert.strictEqual(custom.find((a) => a.key === "proxyReplicas")!.threshold, 2);
    const bare = planAlarms(
      { ...WATCHED, proxy: undefined, gateway: { ...WATCHED.gateway, certificateArn: undefined } },
      settings,
    );
    assert.deepStrictEqual(
      bare.filter((a) => a.key === "proxyReplicas" || a.key === "certificateExpiry"),
      [],
    );
  });

  it("renders a dashboard body that parses, with every widget naming metrics", () => {
    const body = JSON.parse(JSON.stringify(dashboardBody(WATCHED, "dev")));
    assert.strictEqual(body.widgets[0].type, "text");
    for (const widget of body.widgets.slice(1)) {
      assert.strictEqual(widget.type, "metric");
      assert.strictEqual(widget.properties.region, "us-east-1");
      assert.ok(widget.properties.metrics.length > 0, widget.properties.title);
      assert.ok(widget.x + widget.width <= 24);
    }
    const names = dashboardMetrics(body).map((m) => `${m.namespace} ${m.metricName}`);
    assert.ok(names.includes("AWS/PrivateLinkEndpoints ActiveConnections"));
    assert.ok(names.includes("AWS/NetworkELB ClientTLSNegotiationErrorCount"));
    assert.ok(names.includes("AWS/EFS MeteredIOBytes"));
    assert.ok(names.includes("jenkins-agent-bridge/dev AgentPathCheckFailed"));
  });

  it("names dashboards with the characters PutDashboard accepts", () => {
    assert.strictEqual(dashboardName("jenkins-agent-bridge", "org.dev/x"), "jenkins-agent-bridge-org-dev-x");
  });
});

describe("scheduled agent path check", () => {
  const manifests = agentPathCheckManifests({
    namespace: "jenkins-agents",
    agentUrl: "http://agent-proxy.jenkins-agents.svc.cluster.local:8080/",
    scheduleMinutes: 5,
  });
  const cronJob = manifests.find((m) => m.kind === "CronJob") as Manifest;

  it("is a ConfigMap and a CronJob, each valid against the Kubernetes schema", () => {
    assert.deepStrictEqual(
      manifests.map((m) => [m.kind, (m.metadata as Manifest).name, (m.metadata as Manifest).namespace]),
      [
        ["ConfigMap", "agent-path-check", "jenkins-agents"],
        ["CronJob", "agent-path-check", "jenkins-agents"],
      ],
    );
    for (const m of manifests) validateKubernetesObject(m);
  });

  it("runs one pod at a time, restricted like any agent pod: agent service account without token, agent nodes only", () => {
    assert.deepStrictEqual(
      [cronJob.spec.schedule, cronJob.spec.concurrencyPolicy, cronJob.spec.jobTemplate.spec.backoffLimit],
      ["*/5 * * * *", "Forbid", 0],
    );
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    assert.deepStrictEqual(cronJob.spec.jobTemplate.spec.template.metadata.labels, AGENT_PATH_CHECK_LABELS);
    assert.strictEqual(pod.serviceAccountName, "jenkins-agent");
    assert.strictEqual(pod.automountServiceAccountToken, false);
    assert.deepStrictEqual(pod.nodeSelector, { "jenkins-agent-bridge/capacity": "agents" });
    assert.deepStrictEqual(pod.tolerations, [
      { key: "jenkins-agent-bridge/agents", operator: "Equal", value: "true", effect: "NoSchedule" },
    ]);
    for (const key of ["hostNetwork", "hostPID", "hostIPC", "nodeName"])
      assert.strictEqual(pod[key], undefined, key);
    const [container] = pod.containers;
    // The restricted profile as the curl image's user, exactly as the smoke Job runs (asserted
    // field by field in the smoke Job's tests).
    assert.deepStrictEqual(
      { pod: pod.securityContext, container: container.securityContext },
      restrictedSecurity(SMOKE_UID, SMOKE_GID),
    );
    assert.deepStrictEqual(container.securityContext, SMOKE_CONTAINER_SECURITY);
    assert.deepStrictEqual(container.resources, {
      requests: { cpu: "50m", memory: "32Mi" },
      limits: { cpu: "50m", memory: "32Mi" },
    });
    assert.deepStrictEqual(container.env, [
      { name: "AGENT_URL", value: "http://agent-proxy.jenkins-agents.svc.cluster.local:8080/" },
    ]);
    assert.deepStrictEqual(pod.volumes, [
      { name: "check", configMap: { name: "agent-path-check", defaultMode: 0o444 } },
    ]);
  });

  it("schedules runs that divide the hour only", () => {
    assert.strictEqual(everyMinutes(1), "* * * * *");
    assert.strictEqual(everyMinutes(15), "*/15 * * * *");
    assert.strictEqual(everyMinutes(60), "0 * * * *");
    assert.throws(() => everyMinutes(7), /divisor of 60/);
  });

  it("ships a script shellcheck finds nothing in", function () {
    const found = spawnSync("shellcheck", ["--version"]);
    if (found.status !== 0) {
      if (process.env.CI === "true") throw new Error("shellcheck is required when CI=true");
      this.skip();
    }
    const result = spawnSync(
      "shellcheck",
      ["--shell=sh", path.resolve(__dirname, "../../components/smoke/agent-path-check.sh")],
      { encoding: "utf8" },
    );
    assert.strictEqual(result.status, 0, result.stdout);
  });
});
