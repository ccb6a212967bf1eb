import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { accountScope } from "../shared/account";
import { AccountScope, serviceTrustPolicy } from "../shared/iam";
import { keyPolicy } from "../shared/kms";
import { mergeTags, Tags } from "../shared/tags";
import { TOKENS } from "../shared/tokens";
import { KubernetesCloud, renderJcasc } from "./jcasc";
import {
  containerDefinitions,
  CONTROLLER_CONTAINER,
  ecsTasksTrustPolicy,
  executionRolePolicy,
  fileSystemPolicy,
  HOME_VOLUME,
  HTTP_PORT,
  JENKINS_UID,
  taskRolePolicy,
} from "./task-definition";
import { completeOidc, planUi, UI_TLS_POLICY, UiOidc } from "./ui";

/**
 * The controller key's policy: used through EFS (JENKINS_HOME), Secrets Manager (the admin
 * password and the cluster token) and AWS Backup (the vault), and by CloudWatch Logs for the
 * controller's log group (`/ecs/<name>-...`).
 */
export function controllerKeyPolicy(scope: AccountScope, name: string) {
  return keyPolicy(scope, {
    services: ["elasticfilesystem", "secretsmanager", "backup"],
    logGroups: [`/ecs/${name}-*`],
  });
}

/** Arguments of {@link JenkinsController}. */
export interface JenkinsControllerArgs {
  /** How agents connect; decides the agent port (-1 or 50000) and the container's ports. */
  readonly transport: "websocket" | "tcp";
  /** Jenkins image, pinned. */
  readonly image: string;
  /** Plugins, `name:version`, installed by the init container. */
  readonly plugins: readonly string[];
  /** Fargate CPU units of the task. */
  readonly cpu: number;
  /** Task memory, MiB. */
  readonly memoryMiB: number;
  /**
   * `ON_DEMAND` runs the task on Fargate; `SPOT` on Fargate Spot (X86_64 only), where a reclaimed
   * task gets two minutes' notice (the container's stop timeout) and ECS starts a new one.
   */
  readonly capacityType: "ON_DEMAND" | "SPOT";
  /** Seconds ECS ignores failing health checks after a start. */
  readonly healthCheckGracePeriodSec: number;
  /** Days the controller's logs are kept. */
  readonly logRetentionDays: number;
  /** ID of the local admin user; the password is generated into Secrets Manager. */
  readonly adminUser: string;
  /** Daily AWS Backup of JENKINS_HOME. */
  readonly backups: boolean;
  /** Days a backup is kept. */
  readonly backupRetentionDays: number;
  /** Protect JENKINS_HOME (file system and key) from deletion by Pulumi. */
  readonly homeDeletionProtection: boolean;
  /**
   * A short-lived environment: secrets are deleted without a recovery window and the key with
   * the shortest one, so `pulumi destroy` leaves nothing behind.
   */
  readonly throwaway: boolean;
  /** The UI load balancer. */
  readonly ui: {
    readonly internetFacing: boolean;
    readonly domainName?: string;
    readonly certificateArn?: string;
    readonly allowedCidrs: readonly string[];
    readonly idleTimeoutSec: number;
    readonly deletionProtection: boolean;
    readonly accessLogsBucket?: string;
    /** Sign-in at the load balancer; all settings or none. */
    readonly oidc?: Partial<Record<keyof UiOidc, string | undefined>>;
  };
  /** The master network. */
  readonly network: {
    readonly vpcId: pulumi.Input<string>;
    readonly cidrBlock: string;
    readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    readonly privateSubnetIds: pulumi.Input<string>[];
  };
  /**
   * The agent gateway: its load balancer's security group and the target groups the service
   * registers the task in. The controller admits each target port from that group only.
   */
  readonly gateway?: {
    readonly securityGroupId: pulumi.Input<string>;
    readonly targetGroups: readonly {
      readonly targetGroupArn: pulumi.Input<string>;
      readonly port: number;
    }[];
  };
  /**
   * The Kubernetes cloud of agents: where the cluster's API is, the token of the controller's
   * service account (stored in Secrets Manager and handed over as a task secret), and how agents
   * reach the controller.
   */
  readonly agentCloud?: Omit<KubernetesCloud, "serverUrl" | "serverCertificate"> & {
    readonly serverUrl: pulumi.Input<string>;
    readonly serverCertificate: pulumi.Input<string>;
    readonly token: pulumi.Input<string>;
  };
  /** Name of the stack, shown in the dashboard's system message. */
  readonly stack: string;
  /** Tags for every child. */
  readonly tags?: Tags;
}

/** Cloud settings without the token, which reaches Jenkins only as a task secret. */
function withoutToken<T extends { readonly token: unknown }>({
  token: _token,
  ...settings
}: T): Omit<T, "token"> {
  return settings;
}

/**
 * A task secret reference to one version of a Secrets Manager secret,
 * `<arn>:<json-key>:<version-stage>:<version-id>` with the key and stage left empty (the format
 * ECS documents for secrets: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
 */
export function pinnedVersion(
  arn: pulumi.Input<string>,
  versionId: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.interpolate`${arn}:::${versionId}`;
}

/** Admin password length: 32 characters from letters and digits. */
export const ADMIN_PASSWORD_LENGTH = 32;
/** Daily backup at 03:00 UTC. */
export const BACKUP_SCHEDULE = "cron(0 3 * * ? *)";

/**
 * JenkinsController is a component that runs one Jenkins controller on ECS Fargate: JENKINS_HOME
 * on an encrypted EFS file system (mounted through an access point as uid/gid 1000, over TLS,
 * authorised by IAM), a generated admin password in Secrets Manager, JCasC rendered per transport
 * and written by an init container together with a pinned plugin list, a single-writer service
 * (never two controllers on one home), and the UI behind an application load balancer.
 */
export class JenkinsController extends pulumi.ComponentResource {
  /** URL of the UI, with a trailing slash. */
  public readonly url: pulumi.Output<string>;
  /** ARN of the secret holding the admin password. */
  public readonly adminSecretArn: pulumi.Output<string>;
  /** ECS cluster name. */
  public readonly clusterName: pulumi.Output<string>;
  /** ECS service name. */
  public readonly serviceName: pulumi.Output<string>;
  /** EFS file system of JENKINS_HOME. */
  public readonly fileSystemId: pulumi.Output<string>;
  /** The controller's security group (for the gateway's ingress rules). */
  public readonly securityGroupId: pulumi.Output<string>;
  /** The rendered JCasC file, as delivered (secrets as `${VAR}` placeholders). */
  public readonly jcasc: pulumi.Output<string>;
  /** ARN suffixes of the UI load balancer and its target group (CloudWatch dimensions). */
  public readonly uiLoadBalancerArnSuffix: pulumi.Output<string>;
  public readonly uiTargetGroupArnSuffix: pulumi.Output<string>;

  /**
   * @param name The _unique_ name of this component; every child's name starts with it.
   * @param args The controller's settings and network.
   * @param opts Options; providers given here reach every child.
   */
  constructor(name: string, args: JenkinsControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TOKENS.jenkinsController, name, {}, opts);
    const parent = { parent: this };
    const tagged = (suffix: string) => mergeTags(args.tags, { Name: `${name}-${suffix}` });
    const scope = accountScope(this);
    const protectHome = args.homeDeletionProtection && !args.throwaway;

    // One customer-managed key for everything at rest that is the controller's: JENKINS_HOME,
    // the admin secret and the backup vault.
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts JENKINS_HOME, the admin secret, backups and logs of ${name}`,
        enableKeyRotation: true,
        policy: scope.apply((s) => JSON.stringify(controllerKeyPolicy(s, name))),
        deletionWindowInDays: args.throwaway ? 7 : 30,
        tags: tagged("key"),
      },
      { parent: this, protect: protectHome },
    );
    new aws.kms.Alias(
      `${name}-key`,
      { name: `alias/${name}-${args.stack}-jenkins`, targetKeyId: key.keyId },
      parent,
    );

    // --- Security groups: load balancer -> controller 8080 -> EFS 2049; nothing else inbound.
    const sg = (suffix: string, description: string) =>
      new aws.ec2.SecurityGroup(
        `${name}-${suffix}`,
        { vpcId: args.network.vpcId, description, tags: tagged(suffix) },
        parent,
      );
    const albSg = sg("alb", `Jenkins UI load balancer of ${name}`);
    const controllerSg = sg("controller", `Jenkins controller task of ${name}`);
    const efsSg = sg("efs", `JENKINS_HOME file system of ${name}`);
    const oidc = completeOidc(args.ui.oidc);
    const ui = planUi({
      internetFacing: args.ui.internetFacing,
      certificateArn: args.ui.certificateArn,
      authenticate: oidc !== undefined,
      allowedCidrs: args.ui.allowedCidrs,
      vpcCidrBlock: args.network.cidrBlock,
    });
    ui.ingress.forEach(
      (rule) =>
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-alb-in-${rule.port}-${rule.cidr.replace(/[./]/g, "-")}`,
          {
            securityGroupId: albSg.id,
            ipProtocol: "tcp",
            fromPort: rule.port,
            toPort: rule.port,
            cidrIpv4: rule.cidr,
            description: rule.description,
            tags: tagged(`alb-in-${rule.port}`),
          },
          parent,
        ),
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-alb-out-controller`,
      {
        securityGroupId: albSg.id,
        ipProtocol: "tcp",
        fromPort: HTTP_PORT,
        toPort: HTTP_PORT,
        referencedSecurityGroupId: controllerSg.id,
        description: "To the Jenkins controller",
        tags: tagged("alb-out-controller"),
      },
      parent,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-controller-in-alb`,
      {
        securityGroupId: controllerSg.id,
        ipProtocol: "tcp",
        fromPort: HTTP_PORT,
        toPort: HTTP_PORT,
        referencedSecurityGroupId: albSg.id,
        description: "Jenkins UI from its load balancer",
        tags: tagged("controller-in-alb"),
      },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-controller-out-https`,
      {
        securityGroupId: controllerSg.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
        description: "HTTPS out: image registry, update center and plugins, AWS and Kubernetes APIs",
        tags: tagged("controller-out-https"),
      },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-controller-out-efs`,
      {
        securityGroupId: controllerSg.id,
        ipProtocol: "tcp",
        fromPort: 2049,
        toPort: 2049,
        referencedSecurityGroupId: efsSg.id,
        description: "NFS to JENKINS_HOME",
        tags: tagged("controller-out-efs"),
      },
      parent,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-efs-in-controller`,
      {
        securityGroupId: efsSg.id,
        ipProtocol: "tcp",
        fromPort: 2049,
        toPort: 2049,
        referencedSecurityGroupId: controllerSg.id,
        description: "NFS from the Jenkins controller only",
        tags: tagged("efs-in-controller"),
      },
      parent,
    );

    for (const { port } of args.gateway?.targetGroups ?? []) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-controller-in-gateway-${port}`,
        {
          securityGroupId: controllerSg.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          referencedSecurityGroupId: args.gateway!.securityGroupId,
          description: `Agents through the PrivateLink gateway on ${port}`,
          tags: tagged(`controller-in-gateway-${port}`),
        },
        parent,
      );
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-gateway-out-${port}`,
        {
          securityGroupId: args.gateway!.securityGroupId,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          referencedSecurityGroupId: controllerSg.id,
          description: `Gateway to the Jenkins controller on ${port}`,
          tags: tagged(`gateway-out-${port}`),
        },
        parent,
      );
    }

    // --- JENKINS_HOME on EFS.
    const fileSystem = new aws.efs.FileSystem(
      `${name}-home`,
      {
        encrypted: true,
        kmsKeyId: key.arn,
        performanceMode: "generalPurpose",
        throughputMode: "elastic",
        tags: tagged("home"),
      },
      { parent: this, protect: protectHome },
    );
    const accessPoint = new aws.efs.AccessPoint(
      `${name}-home`,
      {
        fileSystemId: fileSystem.id,
        posixUser: { uid: JENKINS_UID, gid: JENKINS_UID },
        rootDirectory: {
          path: "/jenkins_home",
          creationInfo: { ownerUid: JENKINS_UID, ownerGid: JENKINS_UID, permissions: "750" },
        },
        tags: tagged("home"),
      },
      parent,
    );
    const mountTargets = args.network.privateSubnetIds.map(
      (subnetId, i) =>
        new aws.efs.MountTarget(
          `${name}-home-${i}`,
          { fileSystemId: fileSystem.id, subnetId, securityGroups: [efsSg.id] },
          parent,
        ),
    );

    // --- Roles: the execution role starts the task, the task role is Jenkins itself.
    const trust = scope.apply((s) => JSON.stringify(ecsTasksTrustPolicy(s)));
    const executionRole = new aws.iam.Role(
      `${name}-execution`,
      {
        description: `Starts the Jenkins task of ${name}`,
        assumeRolePolicy: trust,
        tags: tagged("execution"),
      },
      parent,
    );
    const taskRole = new aws.iam.Role(
      `${name}-task`,
      { description: `The Jenkins controller of ${name}`, assumeRolePolicy: trust, tags: tagged("task") },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-task`,
      {
        role: taskRole.id,
        policy: pulumi
          .all([fileSystem.arn, accessPoint.arn])
          .apply(([fileSystemArn, accessPointArn]) =>
            JSON.stringify(taskRolePolicy({ fileSystemArn, accessPointArn })),
          ),
      },
      parent,
    );
    new aws.efs.FileSystemPolicy(
      `${name}-home`,
      {
        fileSystemId: fileSystem.id,
        policy: pulumi
          .all([fileSystem.arn, accessPoint.arn, taskRole.arn])
          .apply(([fileSystemArn, accessPointArn, taskRoleArn]) =>
            JSON.stringify(fileSystemPolicy({ fileSystemArn, accessPointArn, taskRoleArn })),
          ),
      },
      parent,
    );

    // --- The admin password: generated, stored encrypted, read only by the execution role.
    const password = new random.RandomPassword(
      `${name}-admin`,
      { length: ADMIN_PASSWORD_LENGTH, special: false, minUpper: 2, minLower: 2, minNumeric: 2 },
      parent,
    );
    // Secrets the controller receives, each encrypted with its key and read only by the execution role.
    const storedSecret = (suffix: string, description: string, value: pulumi.Input<string>) => {
      const stored = new aws.secretsmanager.Secret(
        `${name}-${suffix}`,
        {
          namePrefix: `${name}-${args.stack}-jenkins-${suffix}-`,
          description,
          kmsKeyId: key.arn,
          recoveryWindowInDays: args.throwaway ? 0 : 30,
          tags: tagged(suffix),
        },
        parent,
      );
      const version = new aws.secretsmanager.SecretVersion(
        `${name}-${suffix}`,
        { secretId: stored.id, secretString: value },
        parent,
      );
      return Object.assign(stored, { versionId: version.versionId });
    };
    const secret = storedSecret(
      "admin",
      `Password of the Jenkins admin user "${args.adminUser}" of ${name}`,
      password.result,
    );
    const cloud = args.agentCloud;
    const tokenSecret = cloud
      ? storedSecret(
          "cluster-token",
          `Token of the controller's service account in the agent cluster (${name})`,
          cloud.token,
        )
      : undefined;
    const secretArns = pulumi.all([secret.arn, ...(tokenSecret ? [tokenSecret.arn] : [])]);

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        namePrefix: `/ecs/${name}-`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: key.arn,
        tags: tagged("logs"),
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-execution`,
      {
        role: executionRole.id,
        policy: pulumi
          .all([scope, secretArns, key.arn, logGroup.arn])
          .apply(([s, arns, kmsKeyArn, logGroupArn]) =>
            JSON.stringify(
              executionRolePolicy({ region: s.region, secretArns: arns, kmsKeyArn, logGroupArn }),
            ),
          ),
      },
      parent,
    );

    // --- UI load balancer.
    const alb = new aws.lb.LoadBalancer(
      `${name}-ui`,
      {
        loadBalancerType: "application",
        internal: !args.ui.internetFacing,
        subnets: args.ui.internetFacing ? args.network.publicSubnetIds : args.network.privateSubnetIds,
        securityGroups: [albSg.id],
        dropInvalidHeaderFields: true,
        idleTimeout: args.ui.idleTimeoutSec,
        enableDeletionProtection: args.ui.deletionProtection && !args.throwaway,
        accessLogs: args.ui.accessLogsBucket
          ? { bucket: args.ui.accessLogsBucket, prefix: `${name}-${args.stack}`, enabled: true }
          : undefined,
        tags: tagged("ui"),
      },
      parent,
    );
    const targetGroup = new aws.lb.TargetGroup(
      `${name}-ui`,
      {
        vpcId: args.network.vpcId,
        targetType: "ip",
        protocol: "HTTP",
        port: HTTP_PORT,
        deregistrationDelay: 30,
        healthCheck: {
          path: "/login",
          protocol: "HTTP",
          matcher: "200",
          interval: 30,
          timeout: 10,
          healthyThreshold: 2,
          unhealthyThreshold: 5,
        },
        tags: tagged("ui"),
      },
      parent,
    );
    // The client secret is read from Secrets Manager at deploy time and kept secret in state.
    const clientSecret = oidc
      ? pulumi.secret(
          aws.secretsmanager.getSecretVersionOutput({ secretId: oidc.clientSecretArn }, { parent: this })
            .secretString,
        )
      : undefined;
    const forward = { type: "forward", targetGroupArn: targetGroup.arn };
    const listeners = ui.listeners.map(
      (listener) =>
        new aws.lb.Listener(
          `${name}-ui-${listener.port}`,
          {
            loadBalancerArn: alb.arn,
            port: listener.port,
            protocol: listener.protocol,
            sslPolicy: listener.protocol === "HTTPS" ? UI_TLS_POLICY : undefined,
            certificateArn: listener.protocol === "HTTPS" ? args.ui.certificateArn : undefined,
            defaultActions:
              listener.action === "redirect-to-https"
                ? [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]
                : listener.action === "authenticate-then-forward" && oidc
                  ? [
                      {
                        type: "authenticate-oidc",
                        order: 1,
                        authenticateOidc: {
                          issuer: oidc.issuer,
                          authorizationEndpoint: oidc.authorizationEndpoint,
                          tokenEndpoint: oidc.tokenEndpoint,
                          userInfoEndpoint: oidc.userInfoEndpoint,
                          clientId: oidc.clientId,
                          clientSecret: clientSecret!,
                          onUnauthenticatedRequest: "authenticate",
                          scope: "openid",
                        },
                      },
                      { ...forward, order: 2 },
                    ]
                  : [forward],
            tags: tagged(`ui-${listener.port}`),
          },
          parent,
        ),
    );
    const url = pulumi.interpolate`${ui.scheme}://${args.ui.domainName ?? alb.dnsName}/`;

    // --- ECS: cluster, task, single-writer service.
    const cluster = new aws.ecs.Cluster(
      `${name}-cluster`,
      { settings: [{ name: "containerInsights", value: "enabled" }], tags: tagged("cluster") },
      parent,
    );
    // Fargate Spot needs the cluster to offer it; on-demand services keep their launch type, so
    // an existing service is not replaced.
    const spot =
      args.capacityType === "SPOT"
        ? new aws.ecs.ClusterCapacityProviders(
            `${name}-capacity-providers`,
            { clusterName: cluster.name, capacityProviders: ["FARGATE_SPOT"] },
            parent,
          )
        : undefined;
    const jcasc = pulumi
      .all([url, cloud?.serverUrl ?? "", cloud?.serverCertificate ?? ""])
      .apply(([u, serverUrl, serverCertificate]) =>
        renderJcasc({
          transport: args.transport,
          adminUser: args.adminUser,
          url: u,
          systemMessage: `Managed by Pulumi (stack ${args.stack}). Changes made in the UI are replaced at the next restart.`,
          cloud: cloud && { ...withoutToken(cloud), serverUrl, serverCertificate },
        }),
      );
    const taskDefinition = new aws.ecs.TaskDefinition(
      `${name}-task`,
      {
        family: `${name}-${args.stack}-jenkins`,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(args.cpu),
        memory: String(args.memoryMiB),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn: executionRole.arn,
        taskRoleArn: taskRole.arn,
        volumes: [
          {
            name: HOME_VOLUME,
            efsVolumeConfiguration: {
              fileSystemId: fileSystem.id,
              transitEncryption: "ENABLED",
              authorizationConfig: { accessPointId: accessPoint.id, iam: "ENABLED" },
            },
          },
        ],
        containerDefinitions: pulumi
          // The token's version is pinned: a rotated token makes a new task definition, so the
          // controller restarts with it before the old token is deleted.
          .all([
            jcasc,
            secret.arn,
            tokenSecret && pinnedVersion(tokenSecret.arn, tokenSecret.versionId),
            logGroup.name,
            scope,
          ])
          .apply(([text, adminSecretArn, clusterTokenSecretArn, logGroupName, s]) =>
            JSON.stringify(
              containerDefinitions({
                image: args.image,
                transport: args.transport,
                jcasc: text,
                plugins: args.plugins,
                adminSecretArn,
                clusterTokenSecretArn,
                logGroupName,
                region: s.region,
              }),
            ),
          ),
        tags: tagged("task"),
      },
      parent,
    );
    const service = new aws.ecs.Service(
      `${name}-service`,
      {
        cluster: cluster.arn,
        taskDefinition: taskDefinition.arn,
        ...(spot
          ? { capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] }
          : { launchType: "FARGATE" }),
        platformVersion: "LATEST",
        desiredCount: 1,
        // Never two controllers on one JENKINS_HOME: stop the old task before starting the new.
        deploymentMinimumHealthyPercent: 0,
        deploymentMaximumPercent: 100,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        healthCheckGracePeriodSeconds: args.healthCheckGracePeriodSec,
        networkConfiguration: {
          subnets: args.network.privateSubnetIds,
          securityGroups: [controllerSg.id],
          assignPublicIp: false,
        },
        loadBalancers: [
          { targetGroupArn: targetGroup.arn, containerName: CONTROLLER_CONTAINER, containerPort: HTTP_PORT },
          ...(args.gateway?.targetGroups ?? []).map((t) => ({
            targetGroupArn: t.targetGroupArn,
            containerName: CONTROLLER_CONTAINER,
            containerPort: t.port,
          })),
        ],
        propagateTags: "SERVICE",
        enableExecuteCommand: false,
        waitForSteadyState: false,
        tags: tagged("service"),
      },
      { parent: this, dependsOn: [...listeners, ...mountTargets, ...(spot ? [spot] : [])] },
    );

    if (args.backups) {
      this.backups(name, args, { fileSystem, key, scope, tagged });
    }

    this.url = url;
    this.adminSecretArn = secret.arn;
    this.clusterName = cluster.name;
    this.serviceName = service.name;
    this.fileSystemId = fileSystem.id;
    this.securityGroupId = controllerSg.id;
    this.jcasc = jcasc;
    this.uiLoadBalancerArnSuffix = alb.arnSuffix;
    this.uiTargetGroupArnSuffix = targetGroup.arnSuffix;
    this.registerOutputs({
      url: this.url,
      adminSecretArn: this.adminSecretArn,
      clusterName: this.clusterName,
      serviceName: this.serviceName,
      fileSystemId: this.fileSystemId,
      securityGroupId: this.securityGroupId,
    });
  }

  /** Daily AWS Backup of JENKINS_HOME into a vault encrypted with the controller's key. */
  private backups(
    name: string,
    args: JenkinsControllerArgs,
    on: {
      fileSystem: aws.efs.FileSystem;
      key: aws.kms.Key;
      scope: pulumi.Output<AccountScope>;
      tagged: (suffix: string) => Record<string, string>;
    },
  ): void {
    const { fileSystem, key, scope, tagged } = on;
    const partition = scope.partition;
    const parent = { parent: this };
    const vault = new aws.backup.Vault(
      `${name}-backup`,
      { kmsKeyArn: key.arn, forceDestroy: args.throwaway, tags: tagged("backup") },
      parent,
    );
    const plan = new aws.backup.Plan(
      `${name}-backup`,
      {
        rules: [
          {
            ruleName: "daily",
            targetVaultName: vault.name,
            schedule: BACKUP_SCHEDULE,
            startWindow: 60,
            completionWindow: 360,
            lifecycle: { deleteAfter: args.backupRetentionDays },
          },
        ],
        tags: tagged("backup"),
      },
      parent,
    );
    const role = new aws.iam.Role(
      `${name}-backup`,
      {
        description: `AWS Backup of JENKINS_HOME of ${name}`,
        assumeRolePolicy: scope.apply((s) => JSON.stringify(serviceTrustPolicy("backup.amazonaws.com", s))),
        tags: tagged("backup"),
      },
      parent,
    );
    const attachments = ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"].map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-backup-${policy.endsWith("Restores") ? "restore" : "backup"}`,
          {
            role: role.name,
            policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/${policy}`,
          },
          parent,
        ),
    );
    new aws.backup.Selection(
      `${name}-backup`,
      { name: `${name}-jenkins-home`, planId: plan.id, iamRoleArn: role.arn, resources: [fileSystem.arn] },
      { parent: this, dependsOn: attachments },
    );
  }
}
