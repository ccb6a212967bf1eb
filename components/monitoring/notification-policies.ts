/** Policies of the alarm notifications: the notification key's and the topic's. */
import { accountRoot, AccountScope, denyWithoutTls, PolicyDocument } from "../shared/iam";
import { keyAdministration, logsKeyUse } from "../shared/kms";

/** The condition that holds a service to the CloudWatch alarms of the scope's account and region. */
function alarmsOfTheAccount(p: AccountScope): Record<string, unknown> {
  return {
    StringEquals: { "aws:SourceAccount": p.accountId },
    ArnLike: { "aws:SourceArn": `arn:${p.partition}:cloudwatch:${p.region}:${p.accountId}:alarm:*` },
  };
}

/**
 * Key policy of the notification key: the account administers it through IAM (the administration
 * actions only, as every key of the stack); CloudWatch may use
 * it for alarms of this account publishing to the encrypted topic (kms:Decrypt and
 * kms:GenerateDataKey*, https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services);
 * CloudWatch Logs may use it for the agent cluster's log groups only
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
 */
export function notificationKeyPolicy(p: {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** Log groups the key may encrypt, as an ARN pattern. */
  readonly logGroupArnPattern: string;
}): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      keyAdministration(p),
      {
        Sid: "CloudWatchAlarmsPublishToTheTopic",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: alarmsOfTheAccount(p),
      },
      logsKeyUse("CloudWatchLogsEncryptsTheClusterLogs", p, [p.logGroupArnPattern]),
    ],
  };
}

/**
 * Policy of the notification topic: the account manages it; CloudWatch alarms of this account
 * publish to it; nothing reaches it without TLS.
 */
export function topicPolicy(p: {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly topicArn: string;
}): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountManagesTheTopic",
        Effect: "Allow",
        Principal: { AWS: accountRoot(p) },
        Action: [
          "sns:GetTopicAttributes",
          "sns:SetTopicAttributes",
          "sns:AddPermission",
          "sns:RemovePermission",
          "sns:DeleteTopic",
          "sns:Subscribe",
          "sns:ListSubscriptionsByTopic",
          "sns:Publish",
        ],
        Resource: p.topicArn,
      },
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: p.topicArn,
        Condition: alarmsOfTheAccount(p),
      },
      denyWithoutTls("TlsOnly", "sns:Publish", p.topicArn),
    ],
  };
}
