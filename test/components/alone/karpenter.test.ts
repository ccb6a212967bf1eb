/**
 * AgentAutoscaler (Karpenter), constructed on its own under the mock engine with a stand-in
 * cluster and Kubernetes provider: Spot with categories in a lasting stack, on-demand with named
 * families under a throwaway cluster's teardown. What this does not prove: that the charts install
 * or that Karpenter launches nodes.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { KARPENTER_CHARTS, AgentAutoscaler } from "../../../components/cluster/karpenter";
import { AgentNodesConfig, INTERRUPTION_RULES } from "../../../components/cluster/karpenter-plan";
import { deletedWithCluster } from "../../../components/cluster/teardown";
import { KARPENTER_VERSION } from "../../../components/shared/versions";
import { MOCK_ACCOUNT_ID } from "../../../offline/mocks";
import { AloneView, constructAlone } from "../../harness/alone";
import { AGENT_NODES } from "../../harness/capacity";
import { T } from "../../harness/plan";

const CLUSTER = "agents-alone";
const CLUSTER_SG = "sg-0cluster000000000";
const SCOPE = { accountId: MOCK_ACCOUNT_ID, partition: "aws", region: "us-east-1" };
const AGENT_TAINT = { key: "jenkins-agent-bridge/agents", value: "true", effect: "NoSchedule" };

function build(agentNodes: AgentNodesConfig, throwaway: boolean): Promise<AloneView> {
  return constructAlone(() => {
    const cluster = new aws.eks.Cluster("stand-in", {
      name: CLUSTER,
      roleArn: "arn:aws:iam::123456789012:role/eks",
      vpcConfig: { subnetIds: [] },
    });
    const provider = new k8s.Provider("stand-in", { kubeconfig: "{}" });
    const autoscaler = new AgentAutoscaler(
      "scaler",
      {
        clusterName: CLUSTER,
        clusterSecurityGroupId: CLUSTER_SG,
        vpcId: "vpc-agent",
        agentNodes,
        systemNodeCount: 2,
        scope: pulumi.output(SCOPE),
        provider,
        dependsOn: [],
        tags: {},
      },
      { transformations: throwaway ? [deletedWithCluster(cluster)] : [] },
    );
    return { nodeSecurityGroupId: autoscaler.nodeSecurityGroupId };
  });
}

/** The NodePool's requirement values by key. */
const requirements = (view: AloneView) => {
  const spec = view.one(T.nodePool, "scaler-node-pool").inputs.spec as {
    template: { spec: { requirements: { key: string; operator: string; values: string[] }[] } };
  };
  return Object.fromEntries(spec.template.spec.requirements.map((r) => [r.key, [r.operator, ...r.values]]));
};

describe("AgentAutoscaler alone", () => {
  describe("Spot with instance categories, lasting", () => {
    let view: AloneView;
    before(async () => {
      view = await build(AGENT_NODES, false);
    });

    it("gives agent nodes a role only EC2 assumes, with the node policies and no shell access", () => {
      const role = view.one(T.role, "scaler-nodes");
      assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy as string).Statement, [
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      assert.deepStrictEqual(
        view.byType(T.rolePolicyAttachment).map((a) => [a.inputs.role, a.inputs.policyArn]),
        ["AmazonEC2ContainerRegistryPullOnly", "AmazonEKS_CNI_Policy", "AmazonEKSWorkerNodePolicy"].map(
          (p) => [role.id, `arn:aws:iam::aws:policy/${p}`],
        ),
      );
      assert.deepStrictEqual(
        view.byType(T.accessEntry).map((e) => [e.inputs.clusterName, e.inputs.type, e.inputs.principalArn]),
        [[CLUSTER, "EC2_LINUX", role.state?.arn]],
      );
    });

    it("makes the agent nodes' group without a rule and tags both node groups for discovery", () => {
      const sg = view.one(T.securityGroup, "scaler-nodes");
      assert.deepStrictEqual(
        [sg.inputs.vpcId, (sg.inputs.tags as Record<string, string>)["karpenter.sh/discovery"]],
        ["vpc-agent", CLUSTER],
      );
      assert.deepStrictEqual([...view.byType(T.ingressRule), ...view.byType(T.egressRule)], []);
      assert.deepStrictEqual(view.one(T.ec2Tag, "scaler-cluster-sg-discovery").inputs, {
        resourceId: CLUSTER_SG,
        key: "karpenter.sh/discovery",
        value: CLUSTER,
      });
      assert.strictEqual(view.outputs.nodeSecurityGroupId, sg.id);
    });

    it("feeds every interruption rule into an encrypted queue only those rules may send to, over TLS only", () => {
      const queue = view.one(T.queue, "scaler-interruptions");
      assert.deepStrictEqual([queue.inputs.name, queue.inputs.sqsManagedSseEnabled], [CLUSTER, true]);
      const rules = view.byType(T.eventRule);
      assert.deepStrictEqual(
        rules
          .map((r) => JSON.parse(r.inputs.eventPattern as string))
          .sort((a, b) => a["detail-type"][0].localeCompare(b["detail-type"][0])),
        INTERRUPTION_RULES.map((r) => r.pattern).sort((a, b) =>
          a["detail-type"][0].localeCompare(b["detail-type"][0]),
        ),
      );
      assert.deepStrictEqual(
        view.byType(T.eventTarget).map((t) => t.inputs.arn),
        rules.map(() => queue.state?.arn),
      );
      const policy = JSON.parse(view.one(T.queuePolicy, "scaler-interruptions").inputs.policy as string);
      const [send, deny] = policy.Statement;
      assert.deepStrictEqual(
        [send.Principal, send.Action, send.Resource, [...send.Condition.ArnEquals["aws:SourceArn"]].sort()],
        [
          { Service: "events.amazonaws.com" },
          "sqs:SendMessage",
          queue.state?.arn,
          rules.map((r) => r.state?.arn).sort(),
        ],
      );
      assert.deepStrictEqual(
        [deny.Effect, deny.Condition],
        ["Deny", { Bool: { "aws:SecureTransport": "false" } }],
      );
    });

    it("lets only Karpenter's service account in kube-system of this cluster assume the controller role", () => {
      const role = view.one(T.role, "scaler-controller");
      assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy as string).Statement[0].Condition, {
        StringEquals: {
          "aws:SourceAccount": MOCK_ACCOUNT_ID,
          "aws:RequestTag/eks-cluster-name": CLUSTER,
          "aws:RequestTag/kubernetes-namespace": "kube-system",
          "aws:RequestTag/kubernetes-service-account": "karpenter",
        },
      });
      const association = view.one(T.podIdentity, "scaler-controller");
      assert.deepStrictEqual(
        [association.inputs.namespace, association.inputs.serviceAccount, association.inputs.roleArn],
        ["kube-system", "karpenter", role.state?.arn],
      );
    });

    it("installs the pinned charts through the cluster's provider, the CRDs apart", () => {
      const provider = view.one(T.k8sProvider, "stand-in");
      assert.deepStrictEqual(
        view
          .byType(T.helmRelease)
          .map((r) => [r.name, r.inputs.chart, r.inputs.version, r.inputs.skipCrds ?? null, r.provider]),
        [
          ["scaler-crd", KARPENTER_CHARTS.crd, KARPENTER_VERSION, null, provider.urn],
          ["scaler-karpenter", KARPENTER_CHARTS.controller, KARPENTER_VERSION, true, provider.urn],
        ],
      );
    });

    it("offers Spot first, current generations of the categories, on tainted agent nodes with IMDSv2", () => {
      assert.deepStrictEqual(requirements(view), {
        "kubernetes.io/os": ["In", "linux"],
        "kubernetes.io/arch": ["In", "amd64"],
        "karpenter.sh/capacity-type": ["In", "spot", "on-demand"],
        "karpenter.k8s.aws/instance-category": ["In", "c", "m", "r"],
        "karpenter.k8s.aws/instance-generation": ["Gt", "4"],
      });
      const pool = view.one(T.nodePool, "scaler-node-pool").inputs.spec as {
        template: { spec: { taints: unknown[] } };
        limits: unknown;
      };
      assert.deepStrictEqual(pool.template.spec.taints, [AGENT_TAINT]);
      assert.deepStrictEqual(pool.limits, { cpu: "32", memory: "128Gi" });
      const nodeClass = view.one(T.nodeClass, "scaler-node-class").inputs.spec as {
        role: string;
        metadataOptions: Record<string, unknown>;
        blockDeviceMappings: { ebs: { encrypted: boolean } }[];
      };
      assert.deepStrictEqual(
        [
          nodeClass.role,
          nodeClass.metadataOptions.httpTokens,
          nodeClass.metadataOptions.httpPutResponseHopLimit,
        ],
        [view.one(T.role, "scaler-nodes").id, "required", 1],
      );
      assert.strictEqual(nodeClass.blockDeviceMappings[0].ebs.encrypted, true);
    });

    it("ties no deletion to a cluster without the teardown", () => {
      assert.deepStrictEqual(
        view.resources.filter((r) => r.deletedWith !== undefined),
        [],
      );
    });
  });

  describe("on-demand with named families, under a throwaway cluster's teardown", () => {
    let view: AloneView;
    before(async () => {
      view = await build(
        { ...AGENT_NODES, spot: false, instanceFamilies: ["m7i", "c7i"], architectures: ["amd64", "arm64"] },
        true,
      );
    });

    it("offers on-demand only, the named families only", () => {
      assert.deepStrictEqual(requirements(view), {
        "kubernetes.io/os": ["In", "linux"],
        "kubernetes.io/arch": ["In", "amd64", "arm64"],
        "karpenter.sh/capacity-type": ["In", "on-demand"],
        "karpenter.k8s.aws/instance-family": ["In", "m7i", "c7i"],
      });
    });

    it("lets the charts go with the cluster but deletes the node pool and class one by one", () => {
      const cluster = view.one(T.eksCluster, "stand-in");
      assert.deepStrictEqual(
        view.resources
          .filter((r) => r.type.startsWith("kubernetes:"))
          .map((r) => [r.name, r.deletedWith ?? null]),
        [
          ["scaler-crd", cluster.urn],
          ["scaler-karpenter", cluster.urn],
          ["scaler-node-class", null],
          ["scaler-node-pool", null],
        ],
      );
      assert.deepStrictEqual(
        view.resources.filter((r) => !r.type.startsWith("kubernetes:") && r.deletedWith !== undefined),
        [],
      );
    });
  });
});
