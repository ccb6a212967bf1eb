/**
 * The cluster's capacity in whole-program mock runs: the system node group's security group, and
 * Karpenter (its charts, NodePool, EC2NodeClass, IAM, interruption queue and discovery tags) per
 * committed stack. What this does not prove: that Karpenter launches nodes, that EC2 has Spot
 * capacity, or that the chart installs; those need a real cluster.
 */
import * as assert from "assert";
import { KARPENTER_VERSION } from "../../components/shared/versions";
import { validateKubernetesObject } from "../harness/kubernetes-schema";
import { planStack, PlanView, T } from "../harness/plan";

type Inputs = Record<string, unknown>;

const STACKS = {
  // dev removes empty agent nodes after a minute (its hourly path check launches one each run).
  dev: {
    limits: { cpu: "8", memory: "32Gi" },
    expected: "60",
    replicas: 1,
    spot: true,
    consolidateAfter: "1m",
  },
  prod: {
    limits: { cpu: "64", memory: "256Gi" },
    expected: "1500",
    replicas: 2,
    spot: true,
    consolidateAfter: "5m",
  },
  tcp: {
    limits: { cpu: "32", memory: "128Gi" },
    expected: "160",
    replicas: 2,
    spot: true,
    consolidateAfter: "5m",
  },
} as const;

describe("AgentAutoscaler (Karpenter)", () => {
  for (const [stack, want] of Object.entries(STACKS)) {
    describe(`stack ${stack}`, () => {
      let view: PlanView;
      let clusterName: string;
      before(async () => {
        view = await planStack(stack);
        clusterName = `agents-${stack}`;
      });

      it("declares an agent NodePool that validates against Karpenter's schema, tainted, labelled, limited, Spot with on-demand fallback", () => {
        const pool = view.one(T.nodePool, "agents-autoscaler-node-pool");
        assert.doesNotThrow(() => validateKubernetesObject(pool.inputs));
        assert.deepStrictEqual(pool.inputs.metadata, {
          name: "agents",
          annotations: { "jenkins-agent-bridge/expected-node-hours-per-month": want.expected },
        });
        assert.deepStrictEqual(pool.inputs.spec, {
          template: {
            metadata: { labels: { "jenkins-agent-bridge/capacity": "agents" } },
            spec: {
              nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "agents" },
              taints: [{ key: "jenkins-agent-bridge/agents", value: "true", effect: "NoSchedule" }],
              requirements: [
                { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
                { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
                {
                  key: "karpenter.sh/capacity-type",
                  operator: "In",
                  values: want.spot ? ["spot", "on-demand"] : ["on-demand"],
                },
                { key: "karpenter.k8s.aws/instance-category", operator: "In", values: ["c", "m", "r"] },
                { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["4"] },
              ],
              expireAfter: "168h",
              terminationGracePeriod: "180m",
            },
          },
          limits: want.limits,
          disruption: {
            consolidationPolicy: "WhenEmpty",
            consolidateAfter: want.consolidateAfter,
            budgets: [
              { nodes: "100%", reasons: ["Empty"] },
              { nodes: "1", reasons: ["Drifted"] },
            ],
          },
        });
      });

      it("declares an EC2NodeClass that validates, discovers this cluster's subnets and groups by tag, IMDSv2 only, encrypted disk", () => {
        const nodeClass = view.one(T.nodeClass, "agents-autoscaler-node-class");
        assert.doesNotThrow(() => validateKubernetesObject(nodeClass.inputs));
        const spec = nodeClass.inputs.spec as Inputs;
        const discovery = [{ tags: { "karpenter.sh/discovery": clusterName } }];
        assert.strictEqual(spec.role, view.one(T.role, "agents-autoscaler-nodes").state?.name);
        assert.deepStrictEqual(spec.amiSelectorTerms, [{ alias: "al2023@latest" }]);
        assert.deepStrictEqual(spec.subnetSelectorTerms, discovery);
        assert.deepStrictEqual(spec.securityGroupSelectorTerms, discovery);
        assert.deepStrictEqual(spec.metadataOptions, {
          httpEndpoint: "enabled",
          httpProtocolIPv6: "disabled",
          httpPutResponseHopLimit: 1,
          httpTokens: "required",
        });
        assert.deepStrictEqual(spec.blockDeviceMappings, [
          {
            deviceName: "/dev/xvda",
            rootVolume: true,
            ebs: { volumeSize: "50Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true },
          },
        ]);
        assert.deepStrictEqual(spec.tags, {
          Environment: stack,
          CostCenter: "platform",
          Project: "jenkins-agent-bridge",
          Stack: stack,
          ManagedBy: "pulumi",
        });
      });

      it("tags exactly the agent private subnets, the agent nodes' group and the cluster group for discovery", () => {
        const discovered = view
          .byType(T.subnet)
          .filter((s) => (s.inputs.tags as Inputs)["karpenter.sh/discovery"] !== undefined)
          .map((s) => [s.name, (s.inputs.tags as Inputs)["karpenter.sh/discovery"]]);
        const zones = view.byType(T.subnet).filter((s) => s.name.startsWith("agent-private-")).length;
        assert.deepStrictEqual(
          discovered.sort(),
          Array.from({ length: zones }, (_, i) => [`agent-private-${i}`, clusterName]),
        );
        const groups = view
          .byType(T.securityGroup)
          .filter((g) => (g.inputs.tags as Inputs)["karpenter.sh/discovery"] !== undefined)
          .map((g) => g.name);
        assert.deepStrictEqual(groups, ["agents-autoscaler-nodes"]);
        const tag = view.one(T.ec2Tag, "agents-autoscaler-cluster-sg-discovery");
        const clusterSg = (view.one(T.eksCluster, "agents").state?.vpcConfig as Inputs)
          .clusterSecurityGroupId;
        assert.deepStrictEqual(tag.inputs, {
          resourceId: clusterSg,
          key: "karpenter.sh/discovery",
          value: clusterName,
        });
      });

      it("gives agent nodes their own role (no SSM), joined by an EC2_LINUX access entry", () => {
        const role = view.one(T.role, "agents-autoscaler-nodes");
        assert.deepStrictEqual(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement, [
          { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        const policies = view
          .byType(T.rolePolicyAttachment)
          .filter((a) => a.inputs.role === role.state?.name)
          .map((a) => String(a.inputs.policyArn).split("/").pop())
          .sort();
        assert.deepStrictEqual(policies, [
          "AmazonEC2ContainerRegistryPullOnly",
          "AmazonEKSWorkerNodePolicy",
          "AmazonEKS_CNI_Policy",
        ]);
        const entry = view.one(T.accessEntry, "agents-autoscaler-nodes");
        assert.deepStrictEqual(
          [entry.inputs.principalArn, entry.inputs.type],
          [role.state?.arn, "EC2_LINUX"],
        );
      });

      it("feeds an encrypted interruption queue from the five EC2 and health event rules, writable only by them, over TLS only", () => {
        const queue = view.one(T.queue, "agents-autoscaler-interruptions");
        assert.deepStrictEqual(
          [queue.inputs.name, queue.inputs.sqsManagedSseEnabled, queue.inputs.messageRetentionSeconds],
          [clusterName, true, 300],
        );
        const rules = view.byType(T.eventRule);
        assert.deepStrictEqual(
          rules
            .map((r) => JSON.parse(String(r.inputs.eventPattern)))
            .sort((a, b) => (a["detail-type"][0] < b["detail-type"][0] ? -1 : 1)),
          [
            { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
            {
              source: ["aws.ec2"],
              "detail-type": ["EC2 Capacity Reservation Instance Interruption Warning"],
            },
            { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
            { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
            { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
          ],
        );
        for (const target of view.byType(T.eventTarget)) {
          assert.strictEqual(target.inputs.arn, queue.state?.arn);
        }
        // In declaration order: health, spot, rebalance, state, reservation.
        const ruleArns = ["health", "spot", "rebalance", "state", "reservation"].map(
          (r) => view.one(T.eventRule, `agents-autoscaler-${r}`).state?.arn,
        );
        const policy = JSON.parse(
          String(view.one(T.queuePolicy, "agents-autoscaler-interruptions").inputs.policy),
        );
        assert.deepStrictEqual(policy.Statement, [
          {
            Sid: "EventBridgeRulesOfThisCluster",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: queue.state?.arn,
            Condition: { ArnEquals: { "aws:SourceArn": ruleArns } },
          },
          {
            Sid: "DenyHTTP",
            Effect: "Deny",
            Principal: "*",
            Action: "sqs:*",
            Resource: queue.state?.arn,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ]);
      });

      it("runs the controller with a Pod Identity role of this cluster only, passing only the agent node role", () => {
        const role = view.one(T.role, "agents-autoscaler-controller");
        assert.deepStrictEqual(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement, [
          {
            Effect: "Allow",
            Principal: { Service: "pods.eks.amazonaws.com" },
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Condition: {
              StringEquals: {
                "aws:SourceAccount": "123456789012",
                "aws:RequestTag/eks-cluster-name": clusterName,
                "aws:RequestTag/kubernetes-namespace": "kube-system",
                "aws:RequestTag/kubernetes-service-account": "karpenter",
              },
            },
          },
        ]);
        const association = view.one(T.podIdentity, "agents-autoscaler-controller");
        assert.deepStrictEqual(
          [association.inputs.namespace, association.inputs.serviceAccount, association.inputs.roleArn],
          ["kube-system", "karpenter", role.state?.arn],
        );
        const statements = JSON.parse(
          String(view.one(T.rolePolicy, "agents-autoscaler-controller").inputs.policy),
        ).Statement as Inputs[];
        const pass = statements.filter((s) => JSON.stringify(s.Action).includes("iam:PassRole"));
        assert.deepStrictEqual(
          pass.map((s) => s.Resource),
          [view.one(T.role, "agents-autoscaler-nodes").state?.arn],
        );
        // Every action that launches, tags or ends instances is bound to this cluster's tags.
        for (const s of statements.filter((s) =>
          /ec2:(CreateTags|TerminateInstances|CreateLaunchTemplate)/.test(JSON.stringify(s.Action)),
        )) {
          assert.ok(
            JSON.stringify(s.Condition).includes(`kubernetes.io/cluster/${clusterName}`),
            String(s.Sid),
          );
        }
        assert.ok(
          !statements.some((s) => s.Action === "*" || (Array.isArray(s.Action) && s.Action.includes("*"))),
        );
      });

      it("installs the pinned Karpenter charts on the system nodes, CRDs from their own chart, with the interruption queue", () => {
        const crds = view.one(T.helmRelease, "agents-autoscaler-crd");
        const karpenter = view.one(T.helmRelease, "agents-autoscaler-karpenter");
        assert.deepStrictEqual(
          [crds.inputs.chart, crds.inputs.version, crds.inputs.namespace],
          ["oci://public.ecr.aws/karpenter/karpenter-crd", KARPENTER_VERSION, "kube-system"],
        );
        assert.deepStrictEqual(
          [
            karpenter.inputs.chart,
            karpenter.inputs.version,
            karpenter.inputs.namespace,
            karpenter.inputs.skipCrds,
          ],
          ["oci://public.ecr.aws/karpenter/karpenter", KARPENTER_VERSION, "kube-system", true],
        );
        assert.deepStrictEqual(karpenter.inputs.values, {
          settings: {
            clusterName,
            interruptionQueue: view.one(T.queue, "agents-autoscaler-interruptions").inputs.name,
          },
          replicas: want.replicas,
          nodeSelector: { "kubernetes.io/os": "linux", "jenkins-agent-bridge/capacity": "system" },
          serviceAccount: { create: true, name: "karpenter" },
          controller: {
            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "512Mi" } },
          },
        });
      });
    });
  }
});
