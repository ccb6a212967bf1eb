/**
 * The controller's ECS container definitions and IAM documents, as pure functions of plain
 * values. The component resolves ARNs and names, then calls these.
 */
import { ADMIN_PASSWORD_VARIABLE, agentPort, CLUSTER_TOKEN_VARIABLE, TCP_AGENT_PORT } from "./jcasc";
import { cascPath, initScript, pluginsFor, PLUGINS_VARIABLE } from "./plugin-install";
import { AccountScope, PolicyDocument, serviceTrustPolicy } from "../shared/iam";

/** JENKINS_HOME inside both containers (the EFS access point's root). */
export const JENKINS_HOME = "/var/jenkins_home";
/** Where the init container writes the JCasC file, and Jenkins reads it. */
export const CASC_PATH = cascPath(JENKINS_HOME);
/** Name of the Jenkins container (the load balancer's target). */
export const CONTROLLER_CONTAINER = "jenkins";
/** Name of the init container that installs plugins and writes JCasC. */
export const INIT_CONTAINER = "install";
/** Jenkins' HTTP port. */
export const HTTP_PORT = 8080;
/** Task volume holding JENKINS_HOME. */
export const HOME_VOLUME = "jenkins-home";
/**
 * Remoting ping interval of TCP agents, seconds: well under the 350 s idle timeout of NLB and
 * interface-endpoint flows (Jenkins' default, 300 s, leaves too little room).
 */
export const TCP_PING_INTERVAL_SEC = 120;

/** JVM options of the controller for a transport. */
export function javaOpts(transport: "websocket" | "tcp"): string {
  const base = "-Djenkins.install.runSetupWizard=false -XX:MaxRAMPercentage=75";
  return transport === "tcp"
    ? `${base} -Dhudson.slaves.ChannelPinger.pingIntervalSeconds=${TCP_PING_INTERVAL_SEC}`
    : base;
}

/** The Jenkins image's user and group (the access point enforces the same). */
export const JENKINS_UID = 1000;

/** Inputs of {@link containerDefinitions}. */
export interface ContainerInputs {
  readonly image: string;
  readonly transport: "websocket" | "tcp";
  /** The rendered JCasC file. */
  readonly jcasc: string;
  /** Pinned plugins, `name:version`. */
  readonly plugins: readonly string[];
  readonly adminSecretArn: string;
  /** Secret holding the agent cluster's token, if there is a cluster. */
  readonly clusterTokenSecretArn?: string;
  readonly logGroupName: string;
  readonly region: string;
}

/** The init container's script (see {@link initScript}). */
export const INIT_SCRIPT = initScript(JENKINS_HOME);

function logging(inputs: ContainerInputs, prefix: string) {
  return {
    logDriver: "awslogs",
    options: {
      "awslogs-group": inputs.logGroupName,
      "awslogs-region": inputs.region,
      "awslogs-stream-prefix": prefix,
    },
  };
}

const homeMount = [{ sourceVolume: HOME_VOLUME, containerPath: JENKINS_HOME, readOnly: false }];

/**
 * Two containers: `install` (same image, runs to completion first) and `jenkins`. Secrets reach
 * Jenkins only through `secrets` (ECS reads them from Secrets Manager at start); `environment`
 * holds nothing secret. Port 50000 is mapped only in `tcp` mode.
 */
export function containerDefinitions(inputs: ContainerInputs): Record<string, unknown>[] {
  const ports = [HTTP_PORT, ...(inputs.transport === "tcp" ? [TCP_AGENT_PORT] : [])];
  return [
    {
      name: INIT_CONTAINER,
      image: inputs.image,
      essential: false,
      user: `${JENKINS_UID}:${JENKINS_UID}`,
      entryPoint: ["sh", "-c"],
      command: [INIT_SCRIPT],
      environment: [
        { name: "CASC_YAML_BASE64", value: Buffer.from(inputs.jcasc, "utf8").toString("base64") },
        { name: PLUGINS_VARIABLE, value: pluginsFor(inputs.transport, inputs.plugins).join(" ") },
      ],
      mountPoints: homeMount,
      logConfiguration: logging(inputs, INIT_CONTAINER),
    },
    {
      name: CONTROLLER_CONTAINER,
      image: inputs.image,
      essential: true,
      user: `${JENKINS_UID}:${JENKINS_UID}`,
      dependsOn: [{ containerName: INIT_CONTAINER, condition: "SUCCESS" }],
      portMappings: ports.map((port) => ({ containerPort: port, protocol: "tcp" })),
      environment: [
        { name: "CASC_JENKINS_CONFIG", value: CASC_PATH },
        { name: "JAVA_OPTS", value: javaOpts(inputs.transport) },
        { name: "JENKINS_SLAVE_AGENT_PORT", value: String(agentPort(inputs.transport)) },
      ],
      secrets: [
        { name: ADMIN_PASSWORD_VARIABLE, valueFrom: inputs.adminSecretArn },
        ...(inputs.clusterTokenSecretArn
          ? [{ name: CLUSTER_TOKEN_VARIABLE, valueFrom: inputs.clusterTokenSecretArn }]
          : []),
      ],
      mountPoints: homeMount,
      linuxParameters: { initProcessEnabled: true },
      ulimits: [{ name: "nofile", softLimit: 65536, hardLimit: 65536 }],
      stopTimeout: 120,
      logConfiguration: logging(inputs, CONTROLLER_CONTAINER),
    },
  ];
}

/** Only ECS tasks of this account and region may assume the controller's roles. */
export function ecsTasksTrustPolicy(scope: AccountScope): PolicyDocument {
  return serviceTrustPolicy(
    "ecs-tasks.amazonaws.com",
    scope,
    `arn:${scope.partition}:ecs:${scope.region}:${scope.accountId}:*`,
  );
}

/**
 * The execution role (used by ECS to start the task): read the controller's own secrets, decrypt
 * them with their key only through Secrets Manager, and write to the controller's log group.
 * Nothing else.
 */
export function executionRolePolicy(p: {
  readonly region: string;
  readonly secretArns: readonly string[];
  readonly kmsKeyArn: string;
  readonly logGroupArn: string;
}): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadOwnSecrets",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: [...p.secretArns],
      },
      {
        Sid: "DecryptOwnSecrets",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: p.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${p.region}.amazonaws.com` } },
      },
      {
        Sid: "WriteLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${p.logGroupArn}:*`,
      },
    ],
  };
}

/** The task role (used by Jenkins): mount JENKINS_HOME, through its access point only. */
export function taskRolePolicy(p: {
  readonly fileSystemArn: string;
  readonly accessPointArn: string;
}): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "MountJenkinsHome",
        Effect: "Allow",
        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        Resource: p.fileSystemArn,
        Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": p.accessPointArn } },
      },
    ],
  };
}

/**
 * The file system's own policy: refuse any connection without TLS, and let the task role mount
 * through the access point.
 */
export function fileSystemPolicy(p: {
  readonly fileSystemArn: string;
  readonly accessPointArn: string;
  readonly taskRoleArn: string;
}): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyWithoutTls",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "*",
        Resource: p.fileSystemArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      {
        Sid: "ControllerMountsThroughAccessPoint",
        Effect: "Allow",
        Principal: { AWS: p.taskRoleArn },
        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        Resource: p.fileSystemArn,
        Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": p.accessPointArn } },
      },
    ],
  };
}
