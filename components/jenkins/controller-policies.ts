/**
 * The controller's IAM documents, as pure functions of plain values: who may assume its roles,
 * what each role may do, what the file system admits, and who may use the controller's key. The
 * component resolves ARNs, then calls these.
 */
import { AccountScope, denyWithoutTls, PolicyDocument, serviceTrustPolicy } from "../shared/iam";
import { keyPolicy, regionalService } from "../shared/kms";

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

/** Only ECS tasks of this account and region may assume the controller's roles. */
export function ecsTasksTrustPolicy(scope: AccountScope): PolicyDocument {
  return serviceTrustPolicy("ecs-tasks.amazonaws.com", scope);
}

/**
 * The execution role (used by ECS to start the task): read the controller's own secrets, decrypt
 * them with their key only through Secrets Manager, and write to the controller's log group.
 * Nothing else.
 */
export function executionRolePolicy(p: {
  readonly scope: AccountScope;
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
        Condition: { StringEquals: { "kms:ViaService": regionalService("secretsmanager", p.scope) } },
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
      denyWithoutTls("DenyWithoutTls", "*", p.fileSystemArn, { AWS: "*" }),
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
