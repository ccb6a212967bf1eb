import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { deletedWithCluster } from "../../components/cluster/teardown";

describe("throwaway teardown", () => {
  const cluster = { urn: "urn:cluster" } as unknown as pulumi.Resource;
  const transform = deletedWithCluster(cluster);
  const apply = (type: string) =>
    transform({
      type,
      name: "x",
      props: { a: 1 },
      opts: { protect: false },
      resource: {} as pulumi.Resource,
    });

  it("gives Kubernetes objects deletedWith the cluster, keeping their props and options", () => {
    for (const type of [
      "kubernetes:core/v1:Namespace",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:apps/v1:Deployment",
    ]) {
      assert.deepStrictEqual(
        apply(type),
        { props: { a: 1 }, opts: { protect: false, deletedWith: cluster } },
        type,
      );
    }
  });

  it("leaves alone providers, AWS resources and Karpenter's objects (deleted first, so it terminates its instances)", () => {
    for (const type of [
      "pulumi:providers:kubernetes",
      "aws:eks/cluster:Cluster",
      "kubernetes:karpenter.sh/v1:NodePool",
      "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
    ]) {
      assert.strictEqual(apply(type), undefined, type);
    }
  });
});
