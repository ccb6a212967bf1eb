import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KARPENTER_VERSION } from "../shared/versions";
import { attachManagedPolicies } from "../shared/account";
import { AccountScope, podIdentityTrustPolicy, serviceTrustPolicy } from "../shared/iam";
import { stepContext, StepContext } from "../shared/step-context";
import { mergeTags, Tags } from "../shared/tags";
import { TOKENS } from "../shared/tokens";
import {
  AGENT_NODE_POOL,
  AgentNodesConfig,
  agentNodeClassSpec,
  agentNodePoolSpec,
  DISCOVERY_TAG,
  EXPECTED_HOURS_ANNOTATION,
  INTERRUPTION_MESSAGE_SECONDS,
  INTERRUPTION_RULES,
  KARPENTER_NAMESPACE,
  KARPENTER_SERVICE_ACCOUNT,
  karpenterValues,
} from "./karpenter-plan";
import { interruptionQueuePolicy, karpenterControllerPolicy } from "./karpenter-policies";

/** Where Karpenter's charts are published (public ECR, OCI). */
export const KARPENTER_CHARTS = {
  crd: "oci://public.ecr.aws/karpenter/karpenter-crd",
  controller: "oci://public.ecr.aws/karpenter/karpenter",
} as const;

/** Arguments of {@link AgentAutoscaler}. */
export interface AgentAutoscalerArgs {
  /** The EKS cluster's name (also the discovery tag's value). */
  readonly clusterName: pulumi.Input<string>;
  /** The cluster security group EKS made: agent nodes carry it, so it gets the discovery tag. */
  readonly clusterSecurityGroupId: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  readonly agentNodes: AgentNodesConfig;
  /** System nodes: Karpenter runs on them, one replica per node up to two. */
  readonly systemNodeCount: number;
  /** Account, partition and region of the cluster. */
  readonly scope: pulumi.Output<AccountScope>;
  /** The cluster's Kubernetes provider. */
  readonly provider: k8s.Provider;
  /** What Karpenter's workloads wait for (the system node group). */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
  readonly tags: Tags;
}

/** What every step of {@link AgentAutoscaler}'s constructor builds on. */
interface Context extends StepContext<AgentAutoscalerArgs> {
  readonly clusterName: pulumi.Output<string>;
}

/** The interruption queue and the EventBridge rules feeding it. */
interface InterruptionQueue {
  readonly queue: aws.sqs.Queue;
  readonly rules: aws.cloudwatch.EventRule[];
}

/**
 * AgentAutoscaler is a component that gives the agent cluster capacity on demand: Karpenter
 * (pinned chart, on the system nodes, its role through EKS Pod Identity), one agent NodePool and
 * EC2NodeClass, the agent nodes' role, access entry and security group, and the interruption queue
 * (SQS with SSE, fed by EventBridge rules for Spot interruptions, rebalance recommendations, state
 * changes and scheduled health events) so a reclaimed node is drained before it goes.
 */
export class AgentAutoscaler extends pulumi.ComponentResource {
  /** The agent nodes' own security group (besides the cluster's). */
  public readonly nodeSecurityGroupId: pulumi.Output<string>;
  /**
   * The cluster's one EKS Pod Identity agent add-on (EKS takes each add-on once per cluster): every
   * Pod Identity role of the cluster, Karpenter's and the observability add-on's, waits on it.
   */
  public readonly podIdentityAgent: aws.eks.Addon;

  /**
   * @param name The _unique_ name of this component; every child's name starts with it.
   * @param args The cluster, the capacity and the provider.
   * @param opts Options; providers given here reach every AWS child.
   */
  constructor(name: string, args: AgentAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TOKENS.agentAutoscaler, name, {}, opts);
    const ctx: Context = { ...stepContext(name, args), clusterName: pulumi.output(args.clusterName) };

    const nodes = this.nodes(ctx);
    const interruptions = this.queue(ctx);
    const identity = this.controllerRole(ctx, nodes.role, interruptions.queue);
    const controller = this.charts(ctx, interruptions, identity);
    this.capacity(ctx, nodes.role, controller);

    this.nodeSecurityGroupId = nodes.securityGroup.id;
    this.podIdentityAgent = identity.podIdentityAgent;
    this.registerOutputs({
      nodeSecurityGroupId: this.nodeSecurityGroupId,
      podIdentityAgent: this.podIdentityAgent,
    });
  }

  /**
   * The agent nodes' role (Karpenter makes the instance profile), access entry and security
   * group, and the discovery tag on the cluster security group.
   */
  private nodes({ name, args, clusterName, tagged }: Context) {
    const parent = { parent: this };
    const role = new aws.iam.Role(
      `${name}-nodes`,
      {
        description: pulumi.interpolate`Agent nodes of ${clusterName}, launched by Karpenter`,
        assumeRolePolicy: args.scope.apply((s) => JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com", s))),
        tags: tagged("nodes"),
      },
      parent,
    );
    // The reference node role's policies, without SSM access (no shell on build nodes).
    const policies = [
      "AmazonEKSWorkerNodePolicy",
      "AmazonEC2ContainerRegistryPullOnly",
      "AmazonEKS_CNI_Policy",
    ];
    attachManagedPolicies(`${name}-nodes`, role, args.scope, policies, parent);
    // Nodes join through an access entry of type EC2_LINUX (the cluster uses API authentication).
    new aws.eks.AccessEntry(
      `${name}-nodes`,
      { clusterName: args.clusterName, principalArn: role.arn, type: "EC2_LINUX", tags: tagged("nodes") },
      parent,
    );
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-nodes`,
      {
        vpcId: args.vpcId,
        description: pulumi.interpolate`Agent nodes of ${clusterName} (build pods only)`,
        tags: clusterName.apply((cluster) => ({ ...tagged("nodes"), [DISCOVERY_TAG]: cluster })),
      },
      parent,
    );
    // Agent nodes need the cluster security group too (control plane and node-to-node traffic);
    // the discovery tag on it lets the node class select both groups with one term.
    new aws.ec2.Tag(
      `${name}-cluster-sg-discovery`,
      { resourceId: args.clusterSecurityGroupId, key: DISCOVERY_TAG, value: clusterName },
      parent,
    );
    return { role, securityGroup };
  }

  /** The interruption queue (encrypted, TLS only) and the EventBridge rules feeding it. */
  private queue({ name, clusterName, tagged }: Context): InterruptionQueue {
    const parent = { parent: this };
    const queue = new aws.sqs.Queue(
      `${name}-interruptions`,
      {
        name: clusterName,
        messageRetentionSeconds: INTERRUPTION_MESSAGE_SECONDS,
        sqsManagedSseEnabled: true,
        tags: tagged("interruptions"),
      },
      parent,
    );
    const rules = INTERRUPTION_RULES.map((r) => {
      const rule = new aws.cloudwatch.EventRule(
        `${name}-${r.name}`,
        {
          description: pulumi.interpolate`Karpenter interruption events of ${clusterName}: ${r.pattern["detail-type"][0]}`,
          eventPattern: JSON.stringify(r.pattern),
          tags: tagged(r.name),
        },
        parent,
      );
      new aws.cloudwatch.EventTarget(`${name}-${r.name}`, { rule: rule.name, arn: queue.arn }, parent);
      return rule;
    });
    new aws.sqs.QueuePolicy(
      `${name}-interruptions`,
      {
        queueUrl: queue.url,
        policy: pulumi
          .all([queue.arn, ...rules.map((r) => r.arn)])
          .apply(([queueArn, ...ruleArns]) => JSON.stringify(interruptionQueuePolicy(queueArn, ruleArns))),
      },
      parent,
    );
    return { queue, rules };
  }

  /**
   * The controller's role, through EKS Pod Identity: the role and its policy, the Pod Identity
   * agent and the association the controller's pods take the role by.
   */
  private controllerRole(
    { name, args, clusterName, tagged }: Context,
    nodeRole: aws.iam.Role,
    queue: aws.sqs.Queue,
  ) {
    const parent = { parent: this };
    const role = new aws.iam.Role(
      `${name}-controller`,
      {
        description: pulumi.interpolate`Karpenter controller of ${clusterName}`,
        assumeRolePolicy: pulumi.all([args.scope, clusterName]).apply(([scope, cluster]) =>
          JSON.stringify(
            podIdentityTrustPolicy(scope, {
              clusterName: cluster,
              namespace: KARPENTER_NAMESPACE,
              name: KARPENTER_SERVICE_ACCOUNT,
            }),
          ),
        ),
        tags: tagged("controller"),
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-controller`,
      {
        role: role.name,
        policy: pulumi
          .all([args.scope, clusterName, nodeRole.arn, queue.arn])
          .apply(([scope, cluster, nodeRoleArn, queueArn]) =>
            JSON.stringify(karpenterControllerPolicy({ scope, clusterName: cluster, nodeRoleArn, queueArn })),
          ),
      },
      parent,
    );
    const podIdentityAgent = new aws.eks.Addon(
      `${name}-pod-identity`,
      {
        clusterName: args.clusterName,
        addonName: "eks-pod-identity-agent",
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags: tagged("pod-identity"),
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    const association = new aws.eks.PodIdentityAssociation(
      `${name}-controller`,
      {
        clusterName: args.clusterName,
        namespace: KARPENTER_NAMESPACE,
        serviceAccount: KARPENTER_SERVICE_ACCOUNT,
        roleArn: role.arn,
        tags: tagged("controller"),
      },
      parent,
    );
    return { association, podIdentityAgent };
  }

  /**
   * Karpenter: the CRDs from their own chart (Helm never upgrades a chart's crds/), then the
   * controller, once its identity and the interruption rules exist.
   */
  private charts(
    ctx: Context,
    interruptions: InterruptionQueue,
    identity: { association: pulumi.Resource; podIdentityAgent: pulumi.Resource },
  ): k8s.helm.v3.Release {
    const { clusterName, args } = ctx;
    const crds = this.release(
      ctx,
      "crd",
      { name: "karpenter-crd", chart: KARPENTER_CHARTS.crd },
      args.dependsOn,
    );
    return this.release(
      ctx,
      "karpenter",
      {
        name: "karpenter",
        chart: KARPENTER_CHARTS.controller,
        skipCrds: true,
        atomic: true,
        values: pulumi
          .all([clusterName, interruptions.queue.name])
          .apply(([cluster, queueName]) =>
            karpenterValues({ clusterName: cluster, queueName, systemNodes: args.systemNodeCount }),
          ),
      },
      [crds, identity.association, identity.podIdentityAgent, ...interruptions.rules],
    );
  }

  /** A release of one of Karpenter's charts: the pinned version, in Karpenter's namespace. */
  private release(
    { name, args }: Context,
    suffix: string,
    {
      name: releaseName,
      chart,
      ...rest
    }: { name: string; chart: string } & Omit<
      k8s.helm.v3.ReleaseArgs,
      "name" | "chart" | "version" | "namespace"
    >,
    dependsOn: pulumi.Input<pulumi.Resource>[],
  ): k8s.helm.v3.Release {
    return new k8s.helm.v3.Release(
      `${name}-${suffix}`,
      { name: releaseName, chart, version: KARPENTER_VERSION, namespace: KARPENTER_NAMESPACE, ...rest },
      { parent: this, provider: args.provider, dependsOn },
    );
  }

  /** Agent capacity: one node class and one pool, once the controller runs. */
  private capacity(
    { name, args, clusterName }: Context,
    nodeRole: aws.iam.Role,
    controller: k8s.helm.v3.Release,
  ) {
    const k8sOpts = { parent: this, provider: args.provider };
    const nodeClass = new k8s.apiextensions.CustomResource(
      `${name}-node-class`,
      {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: AGENT_NODE_POOL },
        spec: pulumi.all([nodeRole.name, clusterName]).apply(([roleName, cluster]) =>
          agentNodeClassSpec({
            roleName,
            clusterName: cluster,
            diskSizeGiB: args.agentNodes.diskSizeGiB,
            amiAlias: args.agentNodes.amiAlias,
            tags: mergeTags(args.tags),
          }),
        ),
      },
      { ...k8sOpts, dependsOn: [controller] },
    );
    new k8s.apiextensions.CustomResource(
      `${name}-node-pool`,
      {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: {
          name: AGENT_NODE_POOL,
          annotations: { [EXPECTED_HOURS_ANNOTATION]: String(args.agentNodes.expectedNodeHoursPerMonth) },
        },
        spec: agentNodePoolSpec(args.agentNodes),
      },
      { ...k8sOpts, dependsOn: [nodeClass] },
    );
  }
}
