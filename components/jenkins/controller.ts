import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { accountScope } from "../shared/account";
import { stepContext } from "../shared/step-context";
import { TOKENS } from "../shared/tokens";
import { JENKINS_HTTP_PORT } from "../shared/jenkins";
import { homeBackups } from "./backups";
import { ControllerParts, JenkinsControllerArgs } from "./controller-args";
import {
  controllerKeyPolicy,
  ecsTasksTrustPolicy,
  executionRolePolicy,
  fileSystemPolicy,
  taskRolePolicy,
} from "./controller-policies";
import { renderJcasc } from "./jcasc";
import { ControllerGroup, controllerRules } from "./security-group-rules";
import { containerDefinitions, CONTROLLER_CONTAINER, homeVolume, JENKINS_UID } from "./task-definition";
import { completeOidc, planUi, UiPlan } from "./ui";
import { uiLoadBalancer } from "./ui-load-balancer";

export type { JenkinsControllerArgs } from "./controller-args";

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

/** A JSON document made of deploy-time values, once they are known. */
function json<T extends object>(
  values: T,
  document: (resolved: pulumi.Unwrap<T>) => unknown,
): pulumi.Output<string> {
  return pulumi.output(values).apply((resolved) => JSON.stringify(document(resolved)));
}

/** JENKINS_HOME on EFS, as the task mounts it. */
interface Home {
  readonly fileSystem: aws.efs.FileSystem;
  readonly accessPoint: aws.efs.AccessPoint;
  readonly mountTargets: aws.efs.MountTarget[];
}

/** A stored secret and its current version. */
type StoredSecret = aws.secretsmanager.Secret & { readonly versionId: pulumi.Output<string> };

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
  /** Names of the ECS cluster and service (CloudWatch dimensions). */
  public readonly clusterName: pulumi.Output<string>;
  public readonly serviceName: pulumi.Output<string>;
  /** EFS file system of JENKINS_HOME. */
  public readonly fileSystemId: pulumi.Output<string>;
  /**
   * The controller task's security group: for callers composing further resources that admit the
   * controller (or that it admits); the program itself does not read it.
   */
  public readonly securityGroupId: pulumi.Output<string>;
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
    const parts: ControllerParts = { ...stepContext(name, args), scope: accountScope(this) };
    const oidc = completeOidc(args.ui.oidc);
    const uiPlan = planUi({
      internetFacing: args.ui.internetFacing,
      certificateArn: args.ui.certificateArn,
      authenticate: oidc !== undefined,
      allowedCidrs: args.ui.allowedCidrs,
      vpcCidrBlock: args.network.cidrBlock,
    });

    const key = this.key(parts);
    const groups = this.network(parts, uiPlan);
    const roles = this.roles(parts);
    const home = this.home(parts, key, groups.efs, roles.task);
    const secrets = this.secrets(parts, key);
    const ui = uiLoadBalancer(parts, uiPlan, oidc, groups.alb.id, this);
    const taskDefinition = this.task(parts, { key, roles, home, secrets, url: ui.url });
    const { cluster, service } = this.service(parts, {
      taskDefinition,
      uiTargetGroup: ui.targetGroup,
      securityGroup: groups.controller,
      after: [...ui.listeners, ...home.mountTargets],
    });
    if (args.backups) {
      homeBackups(parts, home.fileSystem, key, this);
    }

    this.url = ui.url;
    this.adminSecretArn = secrets.admin.arn;
    this.clusterName = cluster.name;
    this.serviceName = service.name;
    this.fileSystemId = home.fileSystem.id;
    this.securityGroupId = groups.controller.id;
    this.uiLoadBalancerArnSuffix = ui.alb.arnSuffix;
    this.uiTargetGroupArnSuffix = ui.targetGroup.arnSuffix;
    this.registerOutputs({
      url: this.url,
      adminSecretArn: this.adminSecretArn,
      clusterName: this.clusterName,
      serviceName: this.serviceName,
      fileSystemId: this.fileSystemId,
      securityGroupId: this.securityGroupId,
      uiLoadBalancerArnSuffix: this.uiLoadBalancerArnSuffix,
      uiTargetGroupArnSuffix: this.uiTargetGroupArnSuffix,
    });
  }

  /** One customer-managed key for everything the controller keeps at rest (see {@link controllerKeyPolicy}). */
  private key({ name, args, scope, tagged }: ControllerParts): aws.kms.Key {
    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts JENKINS_HOME, the admin secret, backups and logs of ${name}`,
        enableKeyRotation: true,
        policy: scope.apply((s) => JSON.stringify(controllerKeyPolicy(s, name))),
        deletionWindowInDays: args.throwaway ? 7 : 30,
        tags: tagged("key"),
      },
      { parent: this, protect: args.homeDeletionProtection },
    );
    new aws.kms.Alias(
      `${name}-key`,
      { name: `alias/${name}-${args.stack}-jenkins`, targetKeyId: key.keyId },
      { parent: this },
    );
    return key;
  }

  /**
   * Security groups of the load balancer, the task and the file system, and the rules between
   * them and the agent gateway's group (see {@link controllerRules}).
   */
  private network({ name, args, tagged }: ControllerParts, uiPlan: UiPlan) {
    const parent = { parent: this };
    const sg = (suffix: string, description: string) =>
      new aws.ec2.SecurityGroup(
        `${name}-${suffix}`,
        { vpcId: args.network.vpcId, description, tags: tagged(suffix) },
        parent,
      );
    const groups = {
      alb: sg("alb", `Jenkins UI load balancer of ${name}`),
      controller: sg("controller", `Jenkins controller task of ${name}`),
      efs: sg("efs", `JENKINS_HOME file system of ${name}`),
    };
    const gateway = args.gateway;
    const groupId = (group: ControllerGroup): pulumi.Input<string> =>
      group === "gateway" ? gateway.securityGroupId : groups[group].id;
    const rules = controllerRules({
      uiIngress: uiPlan.ingress,
      gatewayPorts: gateway.targetGroups.map((t) => t.port),
    });
    for (const rule of rules) {
      const ruleArgs = {
        securityGroupId: groupId(rule.group),
        ipProtocol: rule.protocol,
        fromPort: rule.port,
        toPort: rule.port,
        ...("cidr" in rule.peer
          ? { cidrIpv4: rule.peer.cidr }
          : { referencedSecurityGroupId: groupId(rule.peer.group) }),
        description: rule.description,
        tags: tagged(rule.tag),
      };
      if (rule.direction === "ingress") {
        new aws.vpc.SecurityGroupIngressRule(`${name}-${rule.name}`, ruleArgs, parent);
      } else {
        new aws.vpc.SecurityGroupEgressRule(`${name}-${rule.name}`, ruleArgs, parent);
      }
    }
    return groups;
  }

  /** The execution role starts the task (secrets, logs); the task role is Jenkins itself. */
  private roles({ name, scope, tagged }: ControllerParts) {
    const trust = scope.apply((s) => JSON.stringify(ecsTasksTrustPolicy(s)));
    const role = (suffix: string, description: string) =>
      new aws.iam.Role(
        `${name}-${suffix}`,
        { description, assumeRolePolicy: trust, tags: tagged(suffix) },
        { parent: this },
      );
    return {
      execution: role("execution", `Starts the Jenkins task of ${name}`),
      task: role("task", `The Jenkins controller of ${name}`),
    };
  }

  /**
   * JENKINS_HOME: an encrypted EFS file system with a mount target in each private subnet, which
   * only the task role mounts, through the access point (as the Jenkins user) and over TLS.
   */
  private home(
    { name, args, tagged }: ControllerParts,
    key: aws.kms.Key,
    securityGroup: aws.ec2.SecurityGroup,
    taskRole: aws.iam.Role,
  ): Home {
    const parent = { parent: this };
    const fileSystem = new aws.efs.FileSystem(
      `${name}-home`,
      {
        encrypted: true,
        kmsKeyId: key.arn,
        performanceMode: "generalPurpose",
        throughputMode: "elastic",
        tags: tagged("home"),
      },
      { parent: this, protect: args.homeDeletionProtection },
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
          { fileSystemId: fileSystem.id, subnetId, securityGroups: [securityGroup.id] },
          parent,
        ),
    );
    const arns = { fileSystemArn: fileSystem.arn, accessPointArn: accessPoint.arn };
    new aws.iam.RolePolicy(`${name}-task`, { role: taskRole.id, policy: json(arns, taskRolePolicy) }, parent);
    new aws.efs.FileSystemPolicy(
      `${name}-home`,
      { fileSystemId: fileSystem.id, policy: json({ ...arns, taskRoleArn: taskRole.arn }, fileSystemPolicy) },
      parent,
    );
    return { fileSystem, accessPoint, mountTargets };
  }

  /**
   * The generated admin password and the cluster token: each stored encrypted with the
   * controller's key, and read only by the execution role (see {@link task}).
   */
  private secrets({ name, args, tagged }: ControllerParts, key: aws.kms.Key) {
    const parent = { parent: this };
    const stored = (suffix: string, description: string, value: pulumi.Input<string>): StoredSecret => {
      const secret = new aws.secretsmanager.Secret(
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
        { secretId: secret.id, secretString: value },
        parent,
      );
      return Object.assign(secret, { versionId: version.versionId });
    };
    const password = new random.RandomPassword(
      `${name}-admin`,
      { length: ADMIN_PASSWORD_LENGTH, special: false, minUpper: 2, minLower: 2, minNumeric: 2 },
      parent,
    );
    return {
      admin: stored(
        "admin",
        `Password of the Jenkins admin user "${args.adminUser}" of ${name}`,
        password.result,
      ),
      clusterToken: stored(
        "cluster-token",
        `Token of the controller's service account in the agent cluster (${name})`,
        args.agentCloud.token,
      ),
    };
  }

  /**
   * The task: its log group, what the execution role may read and write to start it, the JCasC
   * for the UI's URL, and its two containers on JENKINS_HOME.
   */
  private task(
    { name, args, scope, tagged }: ControllerParts,
    on: {
      key: aws.kms.Key;
      roles: { execution: aws.iam.Role; task: aws.iam.Role };
      home: Home;
      secrets: { admin: StoredSecret; clusterToken: StoredSecret };
      url: pulumi.Output<string>;
    },
  ): aws.ecs.TaskDefinition {
    const parent = { parent: this };
    const { key, roles, home, secrets } = on;
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
    const token = secrets.clusterToken;
    const policy = json(
      {
        scope,
        secretArns: [secrets.admin.arn, token.arn],
        kmsKeyArn: key.arn,
        logGroupArn: logGroup.arn,
      },
      executionRolePolicy,
    );
    new aws.iam.RolePolicy(`${name}-execution`, { role: roles.execution.id, policy }, parent);
    const cloud = args.agentCloud;
    const jcasc = pulumi
      .all([on.url, cloud.serverUrl, cloud.serverCertificate])
      .apply(([url, serverUrl, serverCertificate]) =>
        renderJcasc({
          transport: args.transport,
          adminUser: args.adminUser,
          url,
          systemMessage: `Managed by Pulumi (stack ${args.stack}). Changes made in the UI are replaced at the next restart.`,
          cloud: { ...withoutToken(cloud), serverUrl, serverCertificate },
        }),
      );
    return new aws.ecs.TaskDefinition(
      `${name}-task`,
      {
        family: `${name}-${args.stack}-jenkins`,
        requiresCompatibilities: ["FARGATE"],
        networkMode: "awsvpc",
        cpu: String(args.cpu),
        memory: String(args.memoryMiB),
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
        executionRoleArn: roles.execution.arn,
        taskRoleArn: roles.task.arn,
        volumes: [homeVolume(home.fileSystem.id, home.accessPoint.id)],
        containerDefinitions: json(
          {
            jcasc,
            adminSecretArn: secrets.admin.arn,
            // The token's version is pinned: a rotated token makes a new task definition, so the
            // controller restarts with it before the old token is deleted.
            clusterTokenSecretArn: pinnedVersion(token.arn, token.versionId),
            logGroupName: logGroup.name,
            region: scope.region,
          },
          (resolved) =>
            containerDefinitions({
              image: args.image,
              transport: args.transport,
              plugins: args.plugins,
              ...resolved,
            }),
        ),
        tags: tagged("task"),
      },
      parent,
    );
  }

  /**
   * The cluster and the single-writer service: one task, registered with the UI's target group
   * and each of the gateway's, started only once the listeners and mount targets exist.
   */
  private service(
    { name, args, tagged }: ControllerParts,
    on: {
      taskDefinition: aws.ecs.TaskDefinition;
      uiTargetGroup: aws.lb.TargetGroup;
      securityGroup: aws.ec2.SecurityGroup;
      after: pulumi.Resource[];
    },
  ) {
    const parent = { parent: this };
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
    const service = new aws.ecs.Service(
      `${name}-service`,
      {
        cluster: cluster.arn,
        taskDefinition: on.taskDefinition.arn,
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
          securityGroups: [on.securityGroup.id],
          assignPublicIp: false,
        },
        loadBalancers: [
          {
            targetGroupArn: on.uiTargetGroup.arn,
            containerName: CONTROLLER_CONTAINER,
            containerPort: JENKINS_HTTP_PORT,
          },
          ...args.gateway.targetGroups.map((t) => ({
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
      {
        parent: this,
        dependsOn: [...on.after, ...(spot ? [spot] : [])],
        // A change ECS cannot make in place (switching between the launch type and a capacity
        // provider strategy, for one) replaces the service: the old one, and its task, goes
        // first, so no new controller starts beside it on the same JENKINS_HOME.
        deleteBeforeReplace: true,
      },
    );
    return { cluster, service };
  }
}
