/**
 * JenkinsController, constructed on its own under the mock engine: an internal HTTP UI with
 * nothing optional for a websocket gateway, then backups, the tcp gateway's target groups and a
 * throwaway stack, then a public HTTPS UI with and without sign-in. What this does not prove:
 * that ECS starts the task or that Jenkins accepts the configuration (the JCasC and task
 * definition tests cover those inputs).
 */
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { defaultAgentPodSettings } from "../../../config/agent-pod";
import { BACKUP_SCHEDULE } from "../../../components/jenkins/backups";
import { JenkinsController, JenkinsControllerArgs } from "../../../components/jenkins/controller";
import { LISTENER_TLS_POLICY } from "../../../components/shared/tls";
import { MOCK_ACCOUNT_ID } from "../../../offline/mocks";
import { AloneView, constructAlone } from "../../harness/alone";
import { T } from "../../harness/plan";

const VPC_CIDR = "10.10.0.0/16";
const GATEWAY_SG = "sg-0gateway000000000";
const OFFICE = "198.51.100.0/24";
const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-4333-8444-555555555555";
const TOKEN = "not-a-real-token";
const GATEWAY_TARGET_GROUPS = [8080, 50000].map((port) => ({
  targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:${MOCK_ACCOUNT_ID}:targetgroup/gw-${port}/0123456789abcdef`,
  port,
}));
const BACKUP_TYPES = [T.backupVault, T.backupPlan, T.backupSelection, T.rolePolicyAttachment];
/** The websocket gateway's one target group, and agents reaching the controller through the proxy. */
const WEBSOCKET_GATEWAY = { securityGroupId: GATEWAY_SG, targetGroups: GATEWAY_TARGET_GROUPS.slice(0, 1) };
const AGENT_CLOUD: JenkinsControllerArgs["agentCloud"] = {
  serverUrl: "https://EXAMPLE.gr7.us-east-1.eks.amazonaws.com",
  serverCertificate: "-----BEGIN CERTIFICATE-----\nMOCK\n-----END CERTIFICATE-----\n",
  token: pulumi.secret(TOKEN),
  namespace: "jenkins-agents",
  jenkinsUrl: "http://agent-proxy.jenkins-agent-proxy.svc.cluster.local:8080/",
  agentImage: "jenkins/inbound-agent:3355.v388858a_47b_33-14-jdk21",
  serviceAccount: "jenkins-agent",
  containerCap: 5,
  pod: defaultAgentPodSettings(),
};

type Ui = JenkinsControllerArgs["ui"];

function build(overrides: Partial<JenkinsControllerArgs> = {}, ui: Partial<Ui> = {}): Promise<AloneView> {
  return constructAlone(() => {
    const controller = new JenkinsController("jenkins", {
      transport: "websocket",
      image: "jenkins/jenkins:2.516.1-lts-jdk21",
      plugins: [],
      cpu: 1024,
      memoryMiB: 4096,
      capacityType: "ON_DEMAND",
      healthCheckGracePeriodSec: 300,
      logRetentionDays: 30,
      adminUser: "admin",
      backups: false,
      backupRetentionDays: 35,
      homeDeletionProtection: true,
      throwaway: false,
      ui: { internetFacing: false, allowedCidrs: [], idleTimeoutSec: 60, deletionProtection: true, ...ui },
      network: {
        vpcId: "vpc-master",
        cidrBlock: VPC_CIDR,
        publicSubnetIds: ["subnet-p0", "subnet-p1"],
        privateSubnetIds: ["subnet-q0", "subnet-q1"],
      },
      gateway: WEBSOCKET_GATEWAY,
      agentCloud: AGENT_CLOUD,
      stack: "alone",
      tags: {},
      ...overrides,
    });
    return { url: controller.url, adminSecretArn: controller.adminSecretArn };
  });
}

/** Rules of a security group as [name, direction, port, CIDR or peer group's name]. */
function rulesOf(view: AloneView, group: string): (string | number | undefined)[][] {
  const sg = view.one(T.securityGroup, group);
  return [...view.byType(T.ingressRule), ...view.byType(T.egressRule)]
    .filter((r) => r.inputs.securityGroupId === sg.id)
    .map((r) => {
      assert.strictEqual(r.inputs.fromPort, r.inputs.toPort, r.name);
      assert.strictEqual(r.inputs.ipProtocol, "tcp", r.name);
      const peer =
        r.inputs.cidrIpv4 ??
        view.nameOf(r.inputs.referencedSecurityGroupId) ??
        r.inputs.referencedSecurityGroupId;
      return [r.name, r.type === T.ingressRule ? "in" : "out", r.inputs.fromPort as number, peer as string];
    });
}

const policyOf = (view: AloneView, type: string, name: string, key = "policy") =>
  JSON.parse(view.one(type, name).inputs[key] as string);

/** The UI listeners as [port, protocol, ssl policy, certificate, action types]. */
const uiListeners = (view: AloneView) =>
  view
    .byType(T.listener)
    .map((l) => [
      l.inputs.port,
      l.inputs.protocol,
      l.inputs.sslPolicy ?? null,
      l.inputs.certificateArn ?? null,
      (l.inputs.defaultActions as { type: string }[]).map((a) => a.type),
    ]);

describe("JenkinsController alone", () => {
  describe("on Fargate or Fargate Spot", () => {
    it("runs on Fargate by launch type, with no capacity providers on the cluster", async () => {
      const view = await build();
      const service = view.one(T.ecsService, "jenkins-service");
      assert.strictEqual(service.inputs.launchType, "FARGATE");
      assert.strictEqual(service.inputs.capacityProviderStrategies, undefined);
      assert.deepStrictEqual(view.byType(T.clusterCapacityProviders), []);
    });

    it("replaces its service old-first, so switching between them never starts a second controller", async () => {
      // Switching drops the launch type, which ECS cannot change in place: the service is replaced.
      for (const capacityType of ["ON_DEMAND", "SPOT"] as const) {
        const view = await build({ capacityType });
        assert.strictEqual(view.one(T.ecsService, "jenkins-service").deleteBeforeReplace, true, capacityType);
        assert.deepStrictEqual(
          view.resources.filter((r) => r.deleteBeforeReplace).map((r) => r.name),
          ["jenkins-service"],
          capacityType,
        );
      }
    });

    it("runs on Fargate Spot by strategy alone, on a cluster that offers it, X86_64", async () => {
      const view = await build({ capacityType: "SPOT" });
      const service = view.one(T.ecsService, "jenkins-service");
      assert.strictEqual(service.inputs.launchType, undefined);
      assert.deepStrictEqual(service.inputs.capacityProviderStrategies, [
        { capacityProvider: "FARGATE_SPOT", weight: 1 },
      ]);
      const providers = view.one(T.clusterCapacityProviders, "jenkins-capacity-providers");
      assert.deepStrictEqual(providers.inputs.capacityProviders, ["FARGATE_SPOT"]);
      assert.deepStrictEqual(view.one(T.taskDefinition, "jenkins-task").inputs.runtimePlatform, {
        operatingSystemFamily: "LINUX",
        cpuArchitecture: "X86_64",
      });
    });
  });

  describe("internal HTTP UI, no backups, the websocket gateway", () => {
    let view: AloneView;
    before(async () => {
      view = await build();
    });

    it("opens the UI over HTTP to the master VPC only, on an internal load balancer in private subnets", () => {
      const alb = view.one(T.loadBalancer, "jenkins-ui");
      assert.deepStrictEqual(
        [alb.inputs.internal, alb.inputs.subnets, alb.inputs.dropInvalidHeaderFields, alb.inputs.accessLogs],
        [true, ["subnet-q0", "subnet-q1"], true, undefined],
      );
      assert.deepStrictEqual(uiListeners(view), [[80, "HTTP", null, null, ["forward"]]]);
      assert.deepStrictEqual(rulesOf(view, "jenkins-alb"), [
        ["jenkins-alb-in-80-10-10-0-0-16", "in", 80, VPC_CIDR],
        ["jenkins-alb-out-controller", "out", 8080, "jenkins-controller"],
      ]);
      assert.match(view.outputs.url as string, /^http:\/\/internal-jenkins-ui-/);
    });

    it("admits the controller from its load balancer and the gateway's only and lets it out on HTTPS and NFS only", () => {
      assert.deepStrictEqual(rulesOf(view, "jenkins-controller"), [
        ["jenkins-controller-in-alb", "in", 8080, "jenkins-alb"],
        ["jenkins-controller-in-gateway-8080", "in", 8080, GATEWAY_SG],
        ["jenkins-controller-out-efs", "out", 2049, "jenkins-efs"],
        ["jenkins-controller-out-https", "out", 443, "0.0.0.0/0"],
      ]);
      assert.deepStrictEqual(rulesOf(view, "jenkins-efs"), [
        ["jenkins-efs-in-controller", "in", 2049, "jenkins-controller"],
      ]);
    });

    it("encrypts JENKINS_HOME with its own key, protects both, and mounts it over TLS through the access point", () => {
      const key = view.one(T.kmsKey, "jenkins-key");
      const fs = view.one(T.fileSystem, "jenkins-home");
      assert.deepStrictEqual(
        [key.protect, key.inputs.deletionWindowInDays, fs.protect, fs.inputs.encrypted, fs.inputs.kmsKeyId],
        [true, 30, true, true, key.state?.arn],
      );
      const policy = policyOf(view, T.fileSystemPolicy, "jenkins-home");
      assert.deepStrictEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
      const volume = (
        view.one(T.taskDefinition, "jenkins-task").inputs.volumes as Record<string, unknown>[]
      )[0];
      assert.deepStrictEqual(volume.efsVolumeConfiguration, {
        fileSystemId: fs.id,
        transitEncryption: "ENABLED",
        authorizationConfig: { accessPointId: view.one(T.accessPoint, "jenkins-home").id, iam: "ENABLED" },
      });
      assert.deepStrictEqual(
        view.byType(T.mountTarget).map((m) => [m.inputs.subnetId, m.inputs.securityGroups]),
        [
          ["subnet-q0", [view.one(T.securityGroup, "jenkins-efs").id]],
          ["subnet-q1", [view.one(T.securityGroup, "jenkins-efs").id]],
        ],
      );
    });

    it("keeps the admin password and the cluster token with a recovery window, readable by the execution role only", () => {
      assert.deepStrictEqual(view.names(T.secret), ["jenkins-admin", "jenkins-cluster-token"]);
      const keyArn = view.one(T.kmsKey, "jenkins-key").state?.arn;
      assert.deepStrictEqual(
        view.byType(T.secret).map((s) => [s.inputs.recoveryWindowInDays, s.inputs.kmsKeyId]),
        [
          [30, keyArn],
          [30, keyArn],
        ],
      );
      const secret = view.one(T.secret, "jenkins-admin");
      assert.strictEqual(view.one(T.secretVersion, "jenkins-admin").inputs.secretString, "[secret]");
      const execution = policyOf(view, T.rolePolicy, "jenkins-execution");
      assert.deepStrictEqual(execution.Statement[0].Resource, [
        secret.id,
        view.one(T.secret, "jenkins-cluster-token").id,
      ]);
      assert.strictEqual(view.outputs.adminSecretArn, secret.id);
    });

    it("runs one task at a time without a public address, registered with the UI's and the gateway's target groups", () => {
      const service = view.one(T.ecsService, "jenkins-service");
      assert.deepStrictEqual(
        [
          service.inputs.desiredCount,
          service.inputs.deploymentMinimumHealthyPercent,
          service.inputs.deploymentMaximumPercent,
          service.inputs.enableExecuteCommand,
          service.inputs.networkConfiguration,
        ],
        [
          1,
          0,
          100,
          false,
          {
            subnets: ["subnet-q0", "subnet-q1"],
            securityGroups: [view.one(T.securityGroup, "jenkins-controller").id],
            assignPublicIp: false,
          },
        ],
      );
      assert.deepStrictEqual(
        (service.inputs.loadBalancers as { targetGroupArn: string; containerPort: number }[]).map((l) => [
          view.nameOf(l.targetGroupArn) ?? l.targetGroupArn,
          l.containerPort,
        ]),
        [
          ["jenkins-ui", 8080],
          [GATEWAY_TARGET_GROUPS[0].targetGroupArn, 8080],
        ],
      );
    });

    it("creates no backup", () => {
      for (const type of BACKUP_TYPES) {
        assert.deepStrictEqual(view.byType(type), [], type);
      }
      assert.deepStrictEqual(view.names(T.role), ["jenkins-execution", "jenkins-task"]);
    });
  });

  describe("backups, the tcp gateway's target groups, throwaway", () => {
    let view: AloneView;
    before(async () => {
      // A throwaway stack's configuration turns the deletion protections off.
      view = await build(
        {
          transport: "tcp",
          backups: true,
          throwaway: true,
          homeDeletionProtection: false,
          gateway: { securityGroupId: GATEWAY_SG, targetGroups: GATEWAY_TARGET_GROUPS },
          agentCloud: {
            ...AGENT_CLOUD,
            jenkinsUrl: "http://jenkins.ci.internal:8080/",
            tunnel: "jenkins.ci.internal:50000",
          },
        },
        { deletionProtection: false },
      );
    });

    it("backs JENKINS_HOME up daily into a vault under the controller's key, by a role only AWS Backup assumes", () => {
      const key = view.one(T.kmsKey, "jenkins-key");
      const vault = view.one(T.backupVault, "jenkins-backup");
      assert.deepStrictEqual([vault.inputs.kmsKeyArn, vault.inputs.forceDestroy], [key.state?.arn, true]);
      const rule = (view.one(T.backupPlan, "jenkins-backup").inputs.rules as Record<string, unknown>[])[0];
      assert.deepStrictEqual(
        [rule.ruleName, rule.schedule, rule.lifecycle],
        ["daily", BACKUP_SCHEDULE, { deleteAfter: 35 }],
      );
      const role = view.one(T.role, "jenkins-backup");
      assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy as string).Statement, [
        { Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      assert.deepStrictEqual(
        view.byType(T.rolePolicyAttachment).map((a) => [a.inputs.role, a.inputs.policyArn]),
        [
          [role.id, "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"],
          [role.id, "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"],
        ],
      );
      const selection = view.one(T.backupSelection, "jenkins-backup");
      assert.deepStrictEqual(
        [selection.inputs.iamRoleArn, selection.inputs.resources],
        [role.state?.arn, [view.one(T.fileSystem, "jenkins-home").state?.arn]],
      );
    });

    it("admits each gateway port from the gateway's group only, and lets that group out to the controller only", () => {
      assert.deepStrictEqual(rulesOf(view, "jenkins-controller"), [
        ["jenkins-controller-in-alb", "in", 8080, "jenkins-alb"],
        ["jenkins-controller-in-gateway-50000", "in", 50000, GATEWAY_SG],
        ["jenkins-controller-in-gateway-8080", "in", 8080, GATEWAY_SG],
        ["jenkins-controller-out-efs", "out", 2049, "jenkins-efs"],
        ["jenkins-controller-out-https", "out", 443, "0.0.0.0/0"],
      ]);
      const fromGateway = view.byType(T.egressRule).filter((r) => r.inputs.securityGroupId === GATEWAY_SG);
      assert.deepStrictEqual(
        fromGateway.map((r) => [r.inputs.fromPort, view.nameOf(r.inputs.referencedSecurityGroupId)]),
        [
          [50000, "jenkins-controller"],
          [8080, "jenkins-controller"],
        ],
      );
      const service = view.one(T.ecsService, "jenkins-service");
      assert.deepStrictEqual(
        (service.inputs.loadBalancers as { targetGroupArn: string; containerPort: number }[]).map((l) => [
          l.targetGroupArn,
          l.containerPort,
        ]),
        [
          [view.one(T.targetGroup, "jenkins-ui").id, 8080],
          [GATEWAY_TARGET_GROUPS[0].targetGroupArn, 8080],
          [GATEWAY_TARGET_GROUPS[1].targetGroupArn, 50000],
        ],
      );
    });

    it("stores the cluster token as a secret of its own, handed to the task pinned and never in plain text", () => {
      assert.deepStrictEqual(view.names(T.secret), ["jenkins-admin", "jenkins-cluster-token"]);
      const token = view.one(T.secret, "jenkins-cluster-token");
      assert.strictEqual(view.one(T.secretVersion, "jenkins-cluster-token").inputs.secretString, "[secret]");
      const execution = policyOf(view, T.rolePolicy, "jenkins-execution");
      assert.deepStrictEqual(execution.Statement[0].Resource, [
        view.one(T.secret, "jenkins-admin").id,
        token.id,
      ]);
      const definitions = view.one(T.taskDefinition, "jenkins-task").inputs.containerDefinitions as string;
      assert.ok(!definitions.includes(TOKEN), "the token is in the container definitions");
      const secrets = JSON.parse(definitions).flatMap((c: { secrets?: unknown[] }) => c.secrets ?? []);
      const versionId = view.one(T.secretVersion, "jenkins-cluster-token").state?.versionId;
      assert.deepStrictEqual(secrets, [
        { name: "JENKINS_ADMIN_PASSWORD", valueFrom: view.one(T.secret, "jenkins-admin").id },
        { name: "KUBERNETES_TOKEN", valueFrom: `${token.id}:::${versionId}` },
      ]);
    });

    it("leaves nothing behind in a throwaway stack: no protection, no recovery window, the shortest key window", () => {
      const key = view.one(T.kmsKey, "jenkins-key");
      assert.deepStrictEqual(
        [key.protect, key.inputs.deletionWindowInDays, view.one(T.fileSystem, "jenkins-home").protect],
        [false, 7, false],
      );
      assert.deepStrictEqual(
        view.byType(T.secret).map((s) => s.inputs.recoveryWindowInDays),
        [0, 0],
      );
      assert.strictEqual(view.one(T.loadBalancer, "jenkins-ui").inputs.enableDeletionProtection, false);
    });
  });

  describe("public HTTPS UI for named networks", () => {
    let view: AloneView;
    before(async () => {
      view = await build(
        {},
        {
          internetFacing: true,
          certificateArn: CERTIFICATE,
          domainName: "jenkins.example.com",
          allowedCidrs: [OFFICE],
          accessLogsBucket: "logs-bucket",
        },
      );
    });

    it("puts the load balancer in the public subnets, HTTPS with TLS 1.2+ and HTTP only redirecting", () => {
      const alb = view.one(T.loadBalancer, "jenkins-ui");
      assert.deepStrictEqual(
        [alb.inputs.internal, alb.inputs.subnets, alb.inputs.enableDeletionProtection, alb.inputs.accessLogs],
        [
          false,
          ["subnet-p0", "subnet-p1"],
          true,
          { bucket: "logs-bucket", prefix: "jenkins-alone", enabled: true },
        ],
      );
      assert.deepStrictEqual(uiListeners(view), [
        [443, "HTTPS", LISTENER_TLS_POLICY, CERTIFICATE, ["forward"]],
        [80, "HTTP", null, null, ["redirect"]],
      ]);
      assert.strictEqual(view.outputs.url, "https://jenkins.example.com/");
    });

    it("admits the named network only, on 443 and 80, and never the whole internet", () => {
      assert.deepStrictEqual(rulesOf(view, "jenkins-alb"), [
        ["jenkins-alb-in-443-198-51-100-0-24", "in", 443, OFFICE],
        ["jenkins-alb-in-80-198-51-100-0-24", "in", 80, OFFICE],
        ["jenkins-alb-out-controller", "out", 8080, "jenkins-controller"],
      ]);
    });
  });

  describe("public HTTPS UI behind sign-in", () => {
    let view: AloneView;
    const clientSecretArn = `arn:aws:secretsmanager:us-east-1:${MOCK_ACCOUNT_ID}:secret:oidc-AbCdEf`;
    before(async () => {
      view = await build(
        {},
        {
          internetFacing: true,
          certificateArn: CERTIFICATE,
          oidc: {
            issuer: "https://idp.example.com",
            authorizationEndpoint: "https://idp.example.com/authorize",
            tokenEndpoint: "https://idp.example.com/token",
            userInfoEndpoint: "https://idp.example.com/userinfo",
            clientId: "jenkins",
            clientSecretArn,
          },
        },
      );
    });

    it("opens 443 to the internet only behind the identity provider, and opens no port 80", () => {
      assert.deepStrictEqual(rulesOf(view, "jenkins-alb"), [
        ["jenkins-alb-in-443-0-0-0-0-0", "in", 443, "0.0.0.0/0"],
        ["jenkins-alb-out-controller", "out", 8080, "jenkins-controller"],
      ]);
      assert.deepStrictEqual(uiListeners(view), [
        [443, "HTTPS", LISTENER_TLS_POLICY, CERTIFICATE, ["authenticate-oidc", "forward"]],
        [80, "HTTP", null, null, ["redirect"]],
      ]);
    });

    it("authenticates every request with the client secret kept secret", () => {
      const https = view.one(T.listener, "jenkins-ui-443");
      const [authenticate, forward] = https.inputs.defaultActions as Record<string, unknown>[];
      assert.deepStrictEqual(authenticate, {
        type: "authenticate-oidc",
        order: 1,
        authenticateOidc: {
          issuer: "https://idp.example.com",
          authorizationEndpoint: "https://idp.example.com/authorize",
          tokenEndpoint: "https://idp.example.com/token",
          userInfoEndpoint: "https://idp.example.com/userinfo",
          clientId: "jenkins",
          clientSecret: "[secret]",
          onUnauthenticatedRequest: "authenticate",
          scope: "openid",
        },
      });
      assert.deepStrictEqual(forward, {
        type: "forward",
        order: 2,
        targetGroupArn: view.one(T.targetGroup, "jenkins-ui").id,
      });
    });
  });
});
