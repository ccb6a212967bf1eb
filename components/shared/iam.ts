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
