/**
 * Tearing down a short-lived stack without waiting on the Kubernetes API. When the cluster is
 * destroyed its objects go with it, so asking the API to delete each first is wasted time at best;
 * when the cluster is already gone or out of reach, it hangs the destroy until it times out.
 */
import * as pulumi from "@pulumi/pulumi";

/**
 * Kubernetes kinds that are still deleted one by one: Karpenter's NodePools and NodeClasses, whose
 * deletion makes Karpenter terminate the instances it launched (skipping it would leave them
 * running after the cluster is gone).
 */
export const DELETED_ONE_BY_ONE = [/^kubernetes:karpenter\.sh\//, /^kubernetes:karpenter\.k8s\.aws\//];

/**
 * A transformation (for a component's or resource's `transformations` option, so it reaches every
 * child) that gives each Kubernetes resource the `deletedWith: cluster` option (Pulumi skips the delete of a resource whose `deletedWith` resource
 * is deleted in the same operation), except the kinds in {@link DELETED_ONE_BY_ONE}. Providers
 * (`pulumi:providers:kubernetes`) are not Kubernetes objects and are left alone.
 */
export function deletedWithCluster(cluster: pulumi.Resource): pulumi.ResourceTransformation {
  return (args) => {
    if (!args.type.startsWith("kubernetes:") || DELETED_ONE_BY_ONE.some((p) => p.test(args.type))) {
      return undefined;
    }
    return { props: args.props, opts: pulumi.mergeOptions(args.opts, { deletedWith: cluster }) };
  };
}
