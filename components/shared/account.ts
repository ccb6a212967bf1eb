import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccountScope, awsManagedPolicyArn } from "./iam";

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

/**
 * Attaches AWS managed policies to a role: one attachment named `<prefix>-<key>` for each entry of
 * `policies`, whose value is the policy's path (see {@link awsManagedPolicyArn}); a list of paths
 * is keyed by the paths themselves.
 */
export function attachManagedPolicies(
  prefix: string,
  role: aws.iam.Role,
  scope: pulumi.Output<AccountScope>,
  policies: readonly string[] | Readonly<Record<string, string>>,
  opts: pulumi.CustomResourceOptions,
): aws.iam.RolePolicyAttachment[] {
  const entries = Array.isArray(policies) ? policies.map((p) => [p, p]) : Object.entries(policies);
  return entries.map(
    ([key, path]) =>
      new aws.iam.RolePolicyAttachment(
        `${prefix}-${key}`,
        { role: role.name, policyArn: scope.apply((s) => awsManagedPolicyArn(s, path)) },
        opts,
      ),
  );
}
