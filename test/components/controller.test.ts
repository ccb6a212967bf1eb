/**
 * JenkinsController, in whole-program mock runs of every committed stack. What this does not
 * prove: that Jenkins starts with this JCasC and these plugins, that ECS mounts the access point,
 * or that the load balancer passes health checks; those need a real deployment.
 */
import * as assert from "assert";
import { parse } from "yaml";
import { deliveredJcasc } from "../../offline/artifacts";
import { planStack, PlanView, T } from "../harness/plan";
import { OIDC } from "../harness/oidc";

type Container = {
  name: string;
  environment: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
  portMappings?: { containerPort: number }[];
};

const containersOf = (view: PlanView) =>
  JSON.parse(String(view.one(T.taskDefinition, "jenkins-task").inputs.containerDefinitions)) as Container[];

const STACKS = {
  dev: {
    // Agent pods request 1 core (jnlp 500m + build 500m): the quota (8 cores less the two checks'
    // pods) and the autoscaler (8 vCPUs less 10 % node overhead and the smoke pod) hold 7 each.
    containerCap: "7",
    transport: "websocket",
    zones: 2,
    https: false,
    backups: false,
    protect: false,
    grace: 600,
    cpu: "1024",
    memory: "2048",
    spot: true,
  },
  prod: {
    // The autoscaler binds: 64 vCPUs less 10 % node overhead and the smoke pod hold 57 agents of
    // 1 core each (the quota admits 63).
    containerCap: "57",
    transport: "websocket",
    zones: 3,
    https: true,
    backups: true,
    protect: true,
    grace: 600,
    cpu: "4096",
    memory: "8192",
    spot: false,
  },
  tcp: {
    // The quota binds (16 cores for agents of 1 core each, beside the smoke pod).
    containerCap: "15",
    transport: "tcp",
    zones: 2,
    https: false,
    backups: false,
    protect: false,
    grace: 600,
    cpu: "2048",
    memory: "4096",
    spot: false,
  },
} as const;

describe("JenkinsController", () => {
  for (const [stack, expected] of Object.entries(STACKS)) {
    describe(`stack ${stack}`, () => {
      let view: PlanView;
      before(async () => {
        view = await planStack(stack);
      });

      it("runs one controller, never two on one home, rolling back failed deployments", () => {
        const service = view.one(T.ecsService, "jenkins-service");
        assert.strictEqual(service.inputs.desiredCount, 1);
        assert.strictEqual(service.inputs.deploymentMinimumHealthyPercent, 0);
        assert.strictEqual(service.inputs.deploymentMaximumPercent, 100);
        assert.deepStrictEqual(service.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
        assert.strictEqual(service.inputs.healthCheckGracePeriodSeconds, expected.grace);
        if (expected.spot) {
          // Fargate Spot: the strategy alone, on a cluster that offers it.
          assert.strictEqual(service.inputs.launchType, undefined);
          assert.deepStrictEqual(service.inputs.capacityProviderStrategies, [
            { capacityProvider: "FARGATE_SPOT", weight: 1 },
          ]);
          const providers = view.one(T.clusterCapacityProviders, "jenkins-capacity-providers");
          assert.deepStrictEqual(providers.inputs.capacityProviders, ["FARGATE_SPOT"]);
          assert.strictEqual(
            providers.inputs.clusterName,
            view.one(T.ecsCluster, "jenkins-cluster").state?.name,
          );
        } else {
          assert.strictEqual(service.inputs.launchType, "FARGATE");
          assert.strictEqual(service.inputs.capacityProviderStrategies, undefined);
          assert.deepStrictEqual(view.byType(T.clusterCapacityProviders), []);
        }
        assert.deepStrictEqual(service.inputs.networkConfiguration, {
          subnets: Array.from(
            { length: expected.zones },
            (_, i) => view.one(T.subnet, `master-private-${i}`).id,
          ),
          securityGroups: [view.one(T.securityGroup, "jenkins-controller").id],
          assignPublicIp: false,
        });
        const gatewayTargets = expected.transport === "tcp" ? [8080, 50000] : [8080];
        assert.deepStrictEqual(service.inputs.loadBalancers, [
          {
            targetGroupArn: view.one(T.targetGroup, "jenkins-ui").state?.arn,
            containerName: "jenkins",
            containerPort: 8080,
          },
          ...gatewayTargets.map((port) => ({
            targetGroupArn: view.one(T.targetGroup, `gateway-${port}`).state?.arn,
            containerName: "jenkins",
            containerPort: port,
          })),
        ]);
        assert.deepStrictEqual(view.one(T.ecsCluster, "jenkins-cluster").inputs.settings, [
          { name: "containerInsights", value: "enabled" },
        ]);
      });

      it("keeps JENKINS_HOME on EFS encrypted with a rotating key, mounted over TLS with IAM through the access point", () => {
        const key = view.one(T.kmsKey, "jenkins-key");
        assert.strictEqual(key.inputs.enableKeyRotation, true);
        const fs = view.one(T.fileSystem, "jenkins-home");
        assert.strictEqual(fs.inputs.encrypted, true);
        assert.strictEqual(fs.inputs.kmsKeyId, key.state?.arn);
        assert.strictEqual(fs.inputs.throughputMode, "elastic");
        assert.strictEqual(fs.protect, expected.protect);
        assert.strictEqual(key.protect, expected.protect);
        const ap = view.one(T.accessPoint, "jenkins-home");
        assert.deepStrictEqual(ap.inputs.posixUser, { uid: 1000, gid: 1000 });
        assert.deepStrictEqual(ap.inputs.rootDirectory, {
          path: "/jenkins_home",
          creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: "750" },
        });
        const task = view.one(T.taskDefinition, "jenkins-task");
        assert.deepStrictEqual(
          [task.inputs.cpu, task.inputs.memory, task.inputs.networkMode, task.inputs.requiresCompatibilities],
          [expected.cpu, expected.memory, "awsvpc", ["FARGATE"]],
        );
        assert.strictEqual(task.inputs.taskRoleArn, view.one(T.role, "jenkins-task").state?.arn);
        assert.strictEqual(task.inputs.executionRoleArn, view.one(T.role, "jenkins-execution").state?.arn);
        assert.deepStrictEqual(task.inputs.volumes, [
          {
            name: "jenkins-home",
            efsVolumeConfiguration: {
              fileSystemId: fs.id,
              transitEncryption: "ENABLED",
              authorizationConfig: { accessPointId: ap.id, iam: "ENABLED" },
            },
          },
        ]);
        const targets = view
          .byType(T.mountTarget)
          .map((m) => [m.name, view.nameOf(m.inputs.subnetId), m.inputs.securityGroups]);
        const efsSg = view.one(T.securityGroup, "jenkins-efs").id;
        assert.deepStrictEqual(
          targets,
          Array.from({ length: expected.zones }, (_, i) => [
            `jenkins-home-${i}`,
            `master-private-${i}`,
            [efsSg],
          ]),
        );
      });

      it("opens NFS only to the controller, 8080 only to the load balancer, and lets the controller out on 443 and NFS only", () => {
        const sgName = (id: unknown) => view.nameOf(id);
        const rules = (type: string) =>
          view
            .byType(type)
            .filter((r) => r.name.startsWith("jenkins-"))
            .map((r) => [
              sgName(r.inputs.securityGroupId),
              r.inputs.ipProtocol,
              r.inputs.fromPort,
              r.inputs.toPort,
              r.inputs.cidrIpv4 ?? sgName(r.inputs.referencedSecurityGroupId),
            ]);
        const gatewayPorts = expected.transport === "tcp" ? [8080, 50000] : [8080];
        const uiIngress = expected.https
          ? [
              ["jenkins-alb", "tcp", 443, 443, "10.0.0.0/8"],
              ["jenkins-alb", "tcp", 80, 80, "10.0.0.0/8"],
            ]
          : [["jenkins-alb", "tcp", 80, 80, "10.0.0.0/8"]];
        assert.deepStrictEqual(
          rules(T.ingressRule).sort(),
          [
            ...uiIngress,
            ["jenkins-controller", "tcp", 8080, 8080, "jenkins-alb"],
            ["jenkins-efs", "tcp", 2049, 2049, "jenkins-controller"],
            ...gatewayPorts.map((p) => ["jenkins-controller", "tcp", p, p, "gateway-nlb"]),
          ].sort(),
        );
        assert.deepStrictEqual(
          rules(T.egressRule).sort(),
          [
            ["jenkins-alb", "tcp", 8080, 8080, "jenkins-controller"],
            ["jenkins-controller", "tcp", 443, 443, "0.0.0.0/0"],
            ["jenkins-controller", "tcp", 2049, 2049, "jenkins-efs"],
            ...gatewayPorts.map((p) => ["gateway-nlb", "tcp", p, p, "jenkins-controller"]),
          ].sort(),
        );
      });

      it("generates the admin password into Secrets Manager, encrypted, and hands it over only as a task secret", () => {
        const secret = view.one(T.secret, "jenkins-admin");
        assert.strictEqual(secret.inputs.kmsKeyId, view.one(T.kmsKey, "jenkins-key").state?.arn);
        assert.strictEqual(view.one(T.secretVersion, "jenkins-admin").inputs.secretString, "[secret]");
        const [init, jenkins] = containersOf(view);
        const token = view.one(T.secret, "jenkins-cluster-token");
        assert.strictEqual(token.inputs.kmsKeyId, view.one(T.kmsKey, "jenkins-key").state?.arn);
        assert.strictEqual(
          view.one(T.secretVersion, "jenkins-cluster-token").inputs.secretString,
          "[secret]",
        );
        assert.deepStrictEqual(jenkins.secrets, [
          { name: "JENKINS_ADMIN_PASSWORD", valueFrom: secret.id },
          // The token's version, so that a rotated token restarts the controller with it.
          {
            name: "KUBERNETES_TOKEN",
            valueFrom: `${token.id}:::${view.one(T.secretVersion, "jenkins-cluster-token").state?.versionId}`,
          },
        ]);
        for (const container of [init, jenkins]) {
          for (const variable of container.environment) {
            assert.ok(
              !/PASSWORD|SECRET|TOKEN/.test(variable.name),
              `${container.name} has ${variable.name} in plain text`,
            );
          }
        }
      });

      it(`delivers JCasC for ${expected.transport} agents with the UI URL`, () => {
        const jcasc = parse(deliveredJcasc(view.plan) ?? "");
        assert.strictEqual(jcasc.jenkins.slaveAgentPort, expected.transport === "tcp" ? 50000 : -1);
        // What both the quota (less the two checks' pods) and the agent node limits hold, in agent pods of 1 core and 1.5 GiB.
        assert.strictEqual(jcasc.jenkins.clouds[0].kubernetes.containerCapStr, expected.containerCap);
        assert.strictEqual(jcasc.jenkins.numExecutors, 0);
        assert.strictEqual(jcasc.unclassified.location.url, view.plan.outputs.jenkinsUrl);
        const env = Object.fromEntries(containersOf(view)[1].environment.map((e) => [e.name, e.value]));
        assert.strictEqual(env.JENKINS_SLAVE_AGENT_PORT, expected.transport === "tcp" ? "50000" : "-1");
        assert.strictEqual(env.CASC_JENKINS_CONFIG, "/var/jenkins_home/casc/jenkins.yaml");
        const ports = containersOf(view)[1].portMappings?.map((p) => p.containerPort);
        assert.deepStrictEqual(ports, expected.transport === "tcp" ? [8080, 50000] : [8080]);
      });

      it("delivers the agent pod template, orphan collection and the pipeline job the stack configures", () => {
        const jcasc = parse(deliveredJcasc(view.plan) ?? "");
        const cloud = jcasc.jenkins.clouds[0].kubernetes;
        assert.deepStrictEqual(
          [cloud.defaultsProviderTemplate, cloud.garbageCollection],
          ["inbound", { timeout: 300 }],
        );
        const [template] = cloud.templates;
        assert.deepStrictEqual(
          [template.serviceAccount, template.nodeSelector, template.activeDeadlineSeconds],
          ["jenkins-agent", "jenkins-agent-bridge/capacity=agents", 10800],
        );
        assert.deepStrictEqual(parse(template.yaml).spec, {
          automountServiceAccountToken: false,
          tolerations: [
            { key: "jenkins-agent-bridge/agents", operator: "Equal", value: "true", effect: "NoSchedule" },
          ],
        });
        assert.deepStrictEqual(
          template.containers.map((c: Record<string, string>) => [
            c.name,
            c.image,
            c.resourceRequestCpu,
            c.resourceLimitMemory,
            c.resourceLimitEphemeralStorage,
          ]),
          [
            ["jnlp", "jenkins/inbound-agent:3355.v388858a_47b_33-14-jdk21", "500m", "1Gi", "1Gi"],
            ["build", "alpine:3.24.1", "500m", "2Gi", "8Gi"],
          ],
        );
        assert.strictEqual(jcasc.jobs.length, 1);
        assert.ok(jcasc.jobs[0].script.startsWith("pipelineJob('agent-bridge-smoke') {"));
        assert.ok(jcasc.jobs[0].script.includes(`(transport ${expected.transport})`));
        const init = containersOf(view)[0].environment.find((e) => e.name === "PLUGINS");
        assert.ok(init?.value.split(" ").includes("job-dsl:3654.vdf58f53e2d15"), "JCasC jobs: needs job-dsl");
      });

      it("puts the UI behind an internal load balancer that drops invalid headers and outlasts WebSocket pings", () => {
        const alb = view.one(T.loadBalancer, "jenkins-ui");
        assert.strictEqual(alb.inputs.loadBalancerType, "application");
        assert.strictEqual(alb.inputs.internal, true);
        assert.strictEqual(alb.inputs.dropInvalidHeaderFields, true);
        assert.ok((alb.inputs.idleTimeout as number) > 60);
        assert.strictEqual(alb.inputs.enableDeletionProtection, expected.protect);
        const tg = view.one(T.targetGroup, "jenkins-ui");
        assert.strictEqual(tg.inputs.targetType, "ip");
        assert.strictEqual(tg.inputs.port, 8080);
        assert.strictEqual((tg.inputs.healthCheck as Record<string, unknown>).path, "/login");
        const listeners = view
          .byType(T.listener)
          .filter((l) => l.name.startsWith("jenkins-ui-"))
          .map((l) => [
            l.inputs.port,
            l.inputs.protocol,
            (l.inputs.defaultActions as { type: string }[])[0].type,
          ]);
        assert.deepStrictEqual(
          listeners.sort(),
          expected.https
            ? [
                [443, "HTTPS", "forward"],
                [80, "HTTP", "redirect"],
              ]
            : [[80, "HTTP", "forward"]],
        );
        if (expected.https) {
          assert.strictEqual(
            view.one(T.listener, "jenkins-ui-443").inputs.sslPolicy,
            "ELBSecurityPolicy-TLS13-1-2-2021-06",
          );
          assert.ok(String(view.plan.outputs.jenkinsUrl).startsWith("https://"));
        }
      });

      it(
        expected.backups
          ? "backs JENKINS_HOME up daily into a vault under the controller's key"
          : "creates no backup resources",
        () => {
          const backupTypes = [T.backupVault, T.backupPlan, T.backupSelection];
          if (!expected.backups) {
            for (const type of backupTypes) assert.strictEqual(view.byType(type).length, 0, type);
            return;
          }
          assert.strictEqual(
            view.one(T.backupVault, "jenkins-backup").inputs.kmsKeyArn,
            view.one(T.kmsKey, "jenkins-key").state?.arn,
          );
          const rule = (
            view.one(T.backupPlan, "jenkins-backup").inputs.rules as Record<string, unknown>[]
          )[0];
          assert.strictEqual(rule.schedule, "cron(0 3 * * ? *)");
          assert.deepStrictEqual(rule.lifecycle, { deleteAfter: 35 });
          assert.deepStrictEqual(view.one(T.backupSelection, "jenkins-backup").inputs.resources, [
            view.one(T.fileSystem, "jenkins-home").state?.arn,
          ]);
        },
      );

      it("exports the controller's identities", () => {
        const outputs = view.plan.outputs;
        assert.strictEqual(outputs.jenkinsAdminSecretArn, view.one(T.secret, "jenkins-admin").id);
        assert.strictEqual(outputs.jenkinsClusterName, view.one(T.ecsCluster, "jenkins-cluster").state?.name);
        assert.strictEqual(outputs.jenkinsServiceName, view.one(T.ecsService, "jenkins-service").state?.name);
        assert.strictEqual(outputs.jenkinsHomeFileSystemId, view.one(T.fileSystem, "jenkins-home").id);
        assert.match(String(outputs.jenkinsUrl), /^https?:\/\/.+\/$/);
      });
    });
  }
});

describe("JenkinsController UI variants", () => {
  it("a public HTTPS UI: load balancer in public subnets, 443 from anywhere behind OIDC, nothing else from anywhere", async () => {
    const view = await planStack("prod", [
      "controller.ui.internetFacing=true",
      "controller.ui.allowedCidrs=[]",
      `controller.ui.oidc=${JSON.stringify(OIDC)}`,
      "controller.ui.accessLogsBucket=ci-access-logs",
    ]);
    const alb = view.one(T.loadBalancer, "jenkins-ui");
    assert.strictEqual(alb.inputs.internal, false);
    assert.deepStrictEqual(
      alb.inputs.subnets,
      [0, 1, 2].map((i) => view.one(T.subnet, `master-public-${i}`).id),
    );
    const open = view.byType(T.ingressRule).filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0");
    assert.deepStrictEqual(
      open.map((r) => [r.name, r.inputs.fromPort, r.inputs.toPort]),
      [["jenkins-alb-in-443-0-0-0-0-0", 443, 443]],
    );
    // Every request on 443 signs in at the identity provider first; the client secret comes from
    // Secrets Manager and stays secret.
    const listener = view.one(T.listener, "jenkins-ui-443");
    const [authenticate, forward] = listener.inputs.defaultActions as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepStrictEqual(
      {
        ...authenticate,
        authenticateOidc: { ...authenticate.authenticateOidc, clientSecret: "(checked below)" },
      },
      {
        type: "authenticate-oidc",
        order: 1,
        authenticateOidc: {
          issuer: OIDC.issuer,
          authorizationEndpoint: OIDC.authorizationEndpoint,
          tokenEndpoint: OIDC.tokenEndpoint,
          userInfoEndpoint: OIDC.userInfoEndpoint,
          clientId: OIDC.clientId,
          clientSecret: "(checked below)",
          onUnauthenticatedRequest: "authenticate",
          scope: "openid",
        },
      },
    );
    assert.strictEqual(authenticate.authenticateOidc.clientSecret, "[secret]");
    assert.deepStrictEqual(forward, {
      type: "forward",
      order: 2,
      targetGroupArn: view.one(T.targetGroup, "jenkins-ui").state?.arn,
    });
    assert.deepStrictEqual(alb.inputs.accessLogs, {
      bucket: "ci-access-logs",
      prefix: "jenkins-prod",
      enabled: true,
    });
  });

  it("access logs go to the configured bucket", async () => {
    const view = await planStack("dev", ["controller.ui.accessLogsBucket=ci-access-logs"]);
    assert.deepStrictEqual(view.one(T.loadBalancer, "jenkins-ui").inputs.accessLogs, {
      bucket: "ci-access-logs",
      prefix: "jenkins-dev",
      enabled: true,
    });
  });

  it("a throwaway stack drops every protection that would block pulumi destroy", async () => {
    const view = await planStack("prod", ["throwaway=true"]);
    assert.strictEqual(view.one(T.fileSystem, "jenkins-home").protect, false);
    assert.strictEqual(view.one(T.kmsKey, "jenkins-key").protect, false);
    assert.strictEqual(view.one(T.kmsKey, "jenkins-key").inputs.deletionWindowInDays, 7);
    assert.strictEqual(view.one(T.loadBalancer, "jenkins-ui").inputs.enableDeletionProtection, false);
    assert.strictEqual(view.one(T.secret, "jenkins-admin").inputs.recoveryWindowInDays, 0);
    assert.strictEqual(view.one(T.backupVault, "jenkins-backup").inputs.forceDestroy, true);
  });
});
