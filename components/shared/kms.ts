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
import { AccountScope, PolicyDocument } from "./iam";

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
  const root = `arn:${scope.partition}:iam::${scope.accountId}:root`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersTheKey",
        Effect: "Allow",
        Principal: { AWS: root },
        Action: [...KEY_ADMIN_ACTIONS],
        Resource: "*",
      },
      ...(inputs.services.length > 0
        ? [
            {
              Sid: "UseOnlyThroughTheServicesThatStoreTheData",
              Effect: "Allow",
              Principal: { AWS: root },
              Action: [...KEY_USE_ACTIONS],
              Resource: "*",
              Condition: {
                StringEquals: {
                  "kms:CallerAccount": scope.accountId,
                  "kms:ViaService": inputs.services.map((s) => regionalService(s, scope)),
                },
              },
            },
          ]
        : []),
      ...((inputs.directUsers ?? []).length > 0
        ? [
            {
              Sid: "NamedRolesUseTheKey",
              Effect: "Allow",
              Principal: { AWS: [...(inputs.directUsers ?? [])] },
              Action: [...DIRECT_USE_ACTIONS],
              Resource: "*",
            },
          ]
        : []),
      ...(inputs.logGroups.length > 0
        ? [
            {
              Sid: "CloudWatchLogsForTheseLogGroupsOnly",
              Effect: "Allow",
              Principal: { Service: regionalService("logs", scope) },
              Action: [...LOGS_ACTIONS],
              Resource: "*",
              Condition: {
                ArnLike: {
                  "kms:EncryptionContext:aws:logs:arn": inputs.logGroups.map(
                    (g) => `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${g}`,
                  ),
                },
              },
            },
          ]
        : []),
    ],
  };
}
