import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountScope } from "./iam";

/** The account, partition and region of `parent`'s provider, for policies and ARNs. */
export function accountScope(parent: pulumi.Resource): pulumi.Output<AccountScope> {
  const opts = { parent };
  return pulumi
    .all([
      aws.getCallerIdentityOutput({}, opts).accountId,
      aws.getPartitionOutput({}, opts).partition,
      aws.getRegionOutput({}, opts).region,
    ])
    .apply(([accountId, partition, region]) => ({ accountId, partition, region }));
}
