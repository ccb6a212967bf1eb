/** IAM policy documents, as plain data built by pure functions. */

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

/**
 * Trust policy for an AWS service principal, narrowed to this account and to source ARNs matching
 * `sourceArn` (the `aws:SourceAccount` / `aws:SourceArn` conditions AWS recommends against the
 * confused-deputy problem).
 */
export function serviceTrustPolicy(service: string, scope: AccountScope, sourceArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": scope.accountId },
          ArnLike: { "aws:SourceArn": sourceArn },
        },
      },
    ],
  };
}
