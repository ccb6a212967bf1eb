/**
 * KMS key policies, written out rather than left to AWS's default (which gives the account root
 * every KMS action, so any IAM policy in the account can use the key for anything). Pure.
 *
 * - The account root administers the key (the actions of the console's "key administrators"
 *   statement), so IAM policies in the account decide who manages it and the key is never
 *   locked out.
 * - Principals of the account may use it for data only through the services that store the
 *   component's data (`kms:ViaService`, `kms:CallerAccount`), never directly.
 * - CloudWatch Logs may use it for the named log groups only (`kms:EncryptionContext:aws:logs:arn`;
 *   source: Amazon CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS Key
 *   Management Service", step 2, the key policy for logs.<region>.amazonaws.com).
 */
import { AccountScope, accountRoot, PolicyDocument } from "./iam";

/** Key administration, as the console's default key-administrator statement lists it. */
export const KEY_ADMIN_ACTIONS = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
] as const;

/** Data use of a key by a service on a principal's behalf (including the grants it creates). */
export const KEY_USE_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
  "kms:CreateGrant",
] as const;

/** What CloudWatch Logs needs to encrypt and read a log group's data (the user guide's list). */
export const LOGS_ACTIONS = [
  "kms:Encrypt*",
  "kms:Decrypt*",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:Describe*",
] as const;

/** A regional service endpoint name as KMS sees it (`secretsmanager.eu-west-1.amazonaws.com`). */
export function regionalService(service: string, scope: AccountScope): string {
  return `${service}.${scope.region}.amazonaws.com${scope.partition === "aws-cn" ? ".cn" : ""}`;
}

/** The statement by which the account administers a key (never uses it) through its IAM policies. */
export function keyAdministration(
  scope: Pick<AccountScope, "partition" | "accountId">,
): Record<string, unknown> {
  return {
    Sid: "AccountAdministersTheKey",
    Effect: "Allow",
    Principal: { AWS: accountRoot(scope) },
    Action: [...KEY_ADMIN_ACTIONS],
    Resource: "*",
  };
}

/**
 * The statement that lets CloudWatch Logs of the scope's region use a key for the log groups
 * `logGroupArns` (ARNs or ARN patterns) only, by the encryption context it sends.
 */
export function logsKeyUse(
  sid: string,
  scope: AccountScope,
  logGroupArns: readonly string[],
): Record<string, unknown> {
  return {
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: regionalService("logs", scope) },
    Action: [...LOGS_ACTIONS],
    Resource: "*",
    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": [...logGroupArns] } },
  };
}

/** Inputs of {@link keyPolicy}. */
export interface KeyPolicyInputs {
  /** Services (endpoint prefixes: `secretsmanager`, `elasticfilesystem`, `backup`, `eks`) that store data with the key. */
  readonly services: readonly string[];
  /** Log groups (names, `*` allowed as in `/ecs/jenkins-*`) whose data the key encrypts. */
  readonly logGroups: readonly string[];
  /** Roles that use the key themselves (the EKS control plane's role encrypts secrets with it). */
  readonly directUsers?: readonly string[];
}

/** What a role that uses the key itself may do: encrypt, decrypt and see its grants. */
export const DIRECT_USE_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:DescribeKey",
  "kms:ListGrants",
] as const;

/** The key policy of a component's key. */
export function keyPolicy(scope: AccountScope, inputs: KeyPolicyInputs): PolicyDocument {
  const directUsers = inputs.directUsers ?? [];
  return {
    Version: "2012-10-17",
    Statement: [
      keyAdministration(scope),
      ...onlyIf(inputs.services.length > 0, () => ({
        Sid: "UseOnlyThroughTheServicesThatStoreTheData",
        Effect: "Allow",
        Principal: { AWS: accountRoot(scope) },
        Action: [...KEY_USE_ACTIONS],
        Resource: "*",
        Condition: {
          StringEquals: {
            "kms:CallerAccount": scope.accountId,
            "kms:ViaService": inputs.services.map((s) => regionalService(s, scope)),
          },
        },
      })),
      ...onlyIf(directUsers.length > 0, () => ({
        Sid: "NamedRolesUseTheKey",
        Effect: "Allow",
        Principal: { AWS: [...directUsers] },
        Action: [...DIRECT_USE_ACTIONS],
        Resource: "*",
      })),
      ...onlyIf(inputs.logGroups.length > 0, () =>
        logsKeyUse(
          "CloudWatchLogsForTheseLogGroupsOnly",
          scope,
          inputs.logGroups.map(
            (g) => `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${g}`,
          ),
        ),
      ),
    ],
  };
}

/** The statement `make` builds, in a list, when `wanted`; an empty list otherwise. */
function onlyIf(wanted: boolean, make: () => Record<string, unknown>): Record<string, unknown>[] {
  return wanted ? [make()] : [];
}
