/**
 * IAM policy documents of the flow-log role, as pure functions of account, partition, region and
 * log group. Source: AWS VPC User Guide, "IAM role for publishing flow logs to CloudWatch Logs".
 */

import { AccountScope, PolicyDocument, serviceTrustPolicy } from "../shared/iam";

/**
 * Trust policy: only the flow-logs service may assume the role, and only on behalf of flow logs
 * of this account and region (the `aws:SourceAccount` / `aws:SourceArn` conditions that AWS
 * recommends against the confused-deputy problem).
 */
export function flowLogTrustPolicy(scope: AccountScope): PolicyDocument {
  return serviceTrustPolicy("vpc-flow-logs.amazonaws.com", scope);
}

/**
 * Permissions: write streams and events into this one log group. The group is created by the
 * component, so `logs:CreateLogGroup` is not granted; listing groups cannot be narrowed below the
 * account's groups in the region.
 */
export function flowLogWritePolicy(scope: AccountScope & { readonly logGroupArn: string }): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteFlowLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [scope.logGroupArn, `${scope.logGroupArn}:*`],
      },
      {
        Sid: "FindLogGroup",
        Effect: "Allow",
        Action: "logs:DescribeLogGroups",
        Resource: `arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:*`,
      },
    ],
  };
}
