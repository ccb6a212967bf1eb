/** IAM policy documents, as plain data built by pure functions. */
import { createHash } from "crypto";

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Record<string, unknown>[];
}

/** Where a component's resources live: account, partition and region. */
export interface AccountScope {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
}

/** An AWS managed policy's ARN in the scope's partition; `path` as after `policy/` (`service-role/...`). */
export function awsManagedPolicyArn(scope: Pick<AccountScope, "partition">, path: string): string {
  return `arn:${scope.partition}:iam::aws:policy/${path}`;
}

/** The account's root principal: whoever the account's IAM policies allow acts through it. */
export function accountRoot(scope: Pick<AccountScope, "partition" | "accountId">): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:root`;
}

/** Who a resource policy's statement applies to: everyone (`"*"`, or the same as `{ AWS: "*" }`). */
export type Everyone = "*" | { readonly AWS: "*" };

/**
 * The resource policy statement that refuses `action` on `resource` to every request made without
 * TLS (`aws:SecureTransport` false), whoever makes it.
 */
export function denyWithoutTls(
  sid: string,
  action: string,
  resource: string,
  principal: Everyone = "*",
): Record<string, unknown> {
  return {
    Sid: sid,
    Effect: "Deny",
    Principal: principal,
    Action: action,
    Resource: resource,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * A short key for a principal's ARN in child resource names: the first eight hex digits of its
 * SHA-256, the same for the same ARN in every run.
 */
export function principalKey(arn: string): string {
  return createHash("sha256").update(arn).digest("hex").slice(0, 8);
}

/**
 * The services the blueprint lets assume its roles, and the source each one states when it
 * assumes a role for a resource of this account: the `aws:SourceArn` pattern to require, or
 * `undefined` where the service's documentation gives no such condition for its role (adding one
 * it does not send would make every AssumeRole fail).
 * - ECS tasks: Amazon ECS Developer Guide, "Amazon ECS task execution IAM role" and "Task IAM
 *   role" (confused-deputy conditions `aws:SourceArn` arn:...:ecs:region:account:* and
 *   `aws:SourceAccount`).
 * - VPC flow logs: Amazon VPC User Guide, "IAM role for publishing flow logs to CloudWatch Logs"
 *   (`aws:SourceArn` arn:...:ec2:region:account:vpc-flow-log/*, `aws:SourceAccount`).
 * - EKS control plane: Amazon EKS User Guide, "Amazon EKS cluster IAM role": the trust policy
 *   has no condition.
 * - EC2 (node instance profiles): no source context when an instance assumes its role.
 * - AWS Backup: AWS Backup Developer Guide, "Default service role": the trust policy has no
 *   condition.
 */
export const TRUSTED_SERVICES = {
  "ecs-tasks.amazonaws.com": (s: AccountScope) => `arn:${s.partition}:ecs:${s.region}:${s.accountId}:*`,
  "vpc-flow-logs.amazonaws.com": (s: AccountScope) =>
    `arn:${s.partition}:ec2:${s.region}:${s.accountId}:vpc-flow-log/*`,
  "eks.amazonaws.com": undefined,
  "ec2.amazonaws.com": undefined,
  "backup.amazonaws.com": undefined,
} as const;
export type TrustedService = keyof typeof TRUSTED_SERVICES;

/**
 * The one trust policy for a role an AWS service assumes: that service only, narrowed where the
 * service supports it to this account and to its own resources of this account and region (the
 * `aws:SourceAccount` / `aws:SourceArn` conditions AWS recommends against the confused-deputy
 * problem).
 */
export function serviceTrustPolicy(service: TrustedService, scope: AccountScope): PolicyDocument {
  const source = TRUSTED_SERVICES[service];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        ...(source
          ? {
              Condition: {
                StringEquals: { "aws:SourceAccount": scope.accountId },
                ArnLike: { "aws:SourceArn": source(scope) },
              },
            }
          : {}),
      },
    ],
  };
}

/** A Kubernetes service account of one EKS cluster. */
export interface ClusterServiceAccount {
  readonly clusterName: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * The one trust policy for a role pods assume through EKS Pod Identity: the
 * `pods.eks.amazonaws.com` principal assumes the role and tags the session, for this account
 * only; with `serviceAccount`, only for that service account of that cluster, which Pod Identity
 * states in the session tags it sets. Source: EKS user guide, "Create IAM role with trust policy
 * required by EKS Pod Identity" (pod-id-role.html) and "Enable or disable session tags"
 * (pod-id-abac.html).
 */
export function podIdentityTrustPolicy(
  scope: AccountScope,
  serviceAccount?: ClusterServiceAccount,
): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:SourceAccount": scope.accountId,
            ...(serviceAccount
              ? {
                  "aws:RequestTag/eks-cluster-name": serviceAccount.clusterName,
                  "aws:RequestTag/kubernetes-namespace": serviceAccount.namespace,
                  "aws:RequestTag/kubernetes-service-account": serviceAccount.name,
                }
              : {}),
          },
        },
      },
    ],
  };
}
