import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { accountScope, attachManagedPolicies } from "../shared/account";
import { AccountScope, principalKey, serviceTrustPolicy, TrustedService } from "../shared/iam";
import { keyPolicy } from "../shared/kms";
import { stepContext, StepContext } from "../shared/step-context";
import { Tags } from "../shared/tags";
import { TOKENS } from "../shared/tokens";
import { AgentAutoscaler } from "./karpenter";
import {
  AgentNodesConfig,
  clusterNameFor,
  systemNodeGroupShape,
  systemNodeLaunchTemplate,
  SystemNodesConfig,
} from "./karpenter-plan";
import { kubernetesObjects } from "./kubernetes-objects";
import { deletedWithCluster } from "./teardown";
import { AgentEgress, controllerTokenRotatesAt } from "./isolation";
import {
  ADMIN_POLICY,
  CLUSTER_POLICIES,
  CONTROL_PLANE_LOGS,
  controlPlaneLogGroup,
  kubeconfig,
  NODE_POLICIES,
  publicAccessCidrs,
  SERVICE_CIDR,
} from "./plan";

/** Arguments of {@link AgentCluster}. */
export interface AgentClusterArgs {
  readonly kubernetesVersion: string;
  /** The small managed node group of system workloads (CoreDNS, the agent proxy, Karpenter). */
  readonly systemNodes: SystemNodesConfig;
  /** The agent capacity Karpenter provides on demand. */
  readonly agentNodes: AgentNodesConfig;
  /** Principals granted cluster admin besides the deploying one. */
  readonly adminPrincipalArns: readonly string[];
  /**
   * Blocks allowed on the public API endpoint besides the master network's NAT addresses: where
   * Pulumi runs from (`agentCluster.apiAccess`).
   */
  readonly apiAllowedCidrs: readonly string[];
  /**
   * A short-lived stack, whose destroy never waits on the Kubernetes API: its Kubernetes objects go
   * with the cluster (`deletedWith`, through {@link AgentCluster.kubernetesTransformations}) and the
   * Kubernetes provider drops objects of an unreachable cluster from the state (`deleteUnreachable`).
   */
  readonly throwaway: boolean;
  /** Namespace of agent pods. */
  readonly namespace: string;
  readonly quotaCpuCores: number;
  readonly quotaMemoryGiB: number;
  readonly quotaPods: number;
  /** Days the controller's token is kept before `pulumi up` replaces it. */
  readonly controllerTokenRotationDays: number;
  /** The clock (ms since the epoch) that picks the token's rotation period; now by default. */
  readonly now?: number;
  /** Days the control-plane logs are kept. */
  readonly logRetentionDays: number;
  /** Name of the stack, part of the cluster's name. */
  readonly stack: string;
  readonly network: {
    readonly vpcId: pulumi.Input<string>;
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  };
  /**
   * How agent pods reach the controller; every other way out of the VPC is closed to them. In tcp
   * mode the endpoint's addresses come from the gateway, which is created after the cluster (it
   * admits the cluster's agent nodes), so they are an input resolved later.
   */
  readonly agentEgress: AgentEgress<pulumi.Input<string[]>>;
  /**
   * How `aws eks get-token` authenticates: the same profile and role as the AWS provider
   * (`aws:profile`, `aws:assumeRoles`), so Kubernetes sees the principal the access entry is for.
   */
  readonly awsCli: { readonly profile?: string; readonly roleArn?: string };
  /** Public addresses of the master network's NAT gateways: the controller reaches the API from these. */
  readonly controllerEgressIps: pulumi.Input<pulumi.Input<string>[]>;
  readonly tags: Tags;
}

/** What every step of {@link AgentCluster}'s constructor builds on. */
interface Context extends StepContext<AgentClusterArgs> {
  /** The EKS cluster's name. */
  readonly clusterName: string;
  readonly scope: pulumi.Output<AccountScope>;
}

/**
 * AgentCluster is a component that runs the build agents: an EKS cluster in the agent VPC's private
 * subnets (access entries, KMS-encrypted secrets, control-plane logs, private endpoint, public
 * endpoint only for the controller's NAT addresses), a small managed node group of system nodes
 * with IMDSv2 required and a security group of their own, agent nodes on demand from Karpenter
 * ({@link AgentAutoscaler}), the VPC CNI with network policies enforced, a Kubernetes provider
 * built from the cluster, and the agent namespace (Pod Security `restricted`, limits, quota, an
 * egress policy over every pod, an admission policy on every pod) with the agents' service
 * account, and the controller's service account and rotating token in a namespace of their own,
 * bound into the agent namespace.
 */
export class AgentCluster extends pulumi.ComponentResource {
  /** The Kubernetes provider every Kubernetes resource must use. */
  public readonly provider: k8s.Provider;
  public readonly clusterName: pulumi.Output<string>;
  /** API server URL. */
  public readonly endpoint: pulumi.Output<string>;
  /** The cluster CA, PEM. */
  public readonly certificateAuthorityPem: pulumi.Output<string>;
  /** The system nodes' own security group (the agent proxy's source address is on these nodes). */
  public readonly systemNodeSecurityGroupId: pulumi.Output<string>;
  /** The agent nodes' own security group (build pods' source address is on these nodes). */
  public readonly agentNodeSecurityGroupId: pulumi.Output<string>;
  /** The cluster's EKS Pod Identity agent add-on, for other components' Pod Identity roles to wait on. */
  public readonly podIdentityAgent: pulumi.Resource;
  /** Namespace of agent pods. */
  public readonly namespace: string;
  /** Bearer token of the controller's service account (secret). */
  public readonly controllerToken: pulumi.Output<string>;
  /**
   * Transformations for every component or resource that declares Kubernetes objects on this
   * cluster (pass them as its `transformations` option): in a throwaway stack they make those
   * objects go with the cluster (`deletedWith`), so a destroy never waits on the cluster's API.
   * Empty for a lasting stack.
   */
  public readonly kubernetesTransformations: pulumi.ResourceTransformation[];
  /** When the first `pulumi up` replaces the controller's token (the end of its period), ISO 8601. */
  public readonly controllerTokenRotatesAt: string;

  /**
   * @param name The _unique_ name of this component; every child's name starts with it.
   * @param args The cluster's settings and network.
   * @param opts Options; providers given here reach every AWS child.
   */
  constructor(name: string, args: AgentClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TOKENS.agentCluster, name, {}, opts);
    const ctx: Context = {
      ...stepContext(name, args),
      scope: accountScope(this),
      clusterName: clusterNameFor(name, args.stack),
    };

    const cluster = this.controlPlane(ctx);
    // In a throwaway stack every Kubernetes object goes with the cluster: destroying it never
    // waits on the cluster's API.
    const teardown = args.throwaway ? [deletedWithCluster(cluster)] : [];
    const access = this.adminAccess(ctx, cluster);
    const system = this.systemNodes(ctx, cluster);
    const provider = this.kubernetesProvider(ctx, cluster, access, system.nodeGroup);
    const k8sOpts = { parent: this, provider, transformations: teardown };

    const autoscaler = new AgentAutoscaler(
      `${name}-autoscaler`,
      {
        clusterName: cluster.name,
        clusterSecurityGroupId: cluster.vpcConfig.clusterSecurityGroupId,
        vpcId: args.network.vpcId,
        agentNodes: args.agentNodes,
        systemNodeCount: args.systemNodes.count,
        scope: ctx.scope,
        provider,
        dependsOn: [system.nodeGroup],
        tags: args.tags,
      },
      { parent: this, transformations: teardown },
    );

    const now = args.now ?? Date.now();
    const tokenSecret = kubernetesObjects(name, { ...args, now }, k8sOpts);

    this.provider = provider;
    this.kubernetesTransformations = teardown;
    this.clusterName = cluster.name;
    this.endpoint = cluster.endpoint;
    this.certificateAuthorityPem = cluster.certificateAuthority.data.apply((d) =>
      Buffer.from(d, "base64").toString("utf8"),
    );
    this.systemNodeSecurityGroupId = system.securityGroup.id;
    this.agentNodeSecurityGroupId = autoscaler.nodeSecurityGroupId;
    this.podIdentityAgent = autoscaler.podIdentityAgent;
    this.namespace = args.namespace;
    this.controllerTokenRotatesAt = controllerTokenRotatesAt(args.controllerTokenRotationDays, now);
    this.controllerToken = pulumi.secret(
      tokenSecret.data.apply((data) => Buffer.from((data ?? {}).token ?? "", "base64").toString("utf8")),
    );
    this.registerOutputs({
      clusterName: this.clusterName,
      endpoint: this.endpoint,
      certificateAuthorityPem: this.certificateAuthorityPem,
      systemNodeSecurityGroupId: this.systemNodeSecurityGroupId,
      agentNodeSecurityGroupId: this.agentNodeSecurityGroupId,
      podIdentityAgent: this.podIdentityAgent,
      namespace: this.namespace,
      controllerToken: this.controllerToken,
      controllerTokenRotatesAt: this.controllerTokenRotatesAt,
    });
  }

  /** An IAM role a service assumes (`cluster`: the control plane, `nodes`: the system nodes), with AWS managed policies. */
  private serviceRole(ctx: Context, suffix: string, service: TrustedService, policies: readonly string[]) {
    const { name, clusterName, scope } = ctx;
    const parent = { parent: this };
    const role = new aws.iam.Role(
      `${name}-${suffix}`,
      {
        description: `${suffix === "cluster" ? "EKS control plane" : "EKS nodes"} of ${clusterName}`,
        assumeRolePolicy: scope.apply((s) => JSON.stringify(serviceTrustPolicy(service, s))),
        tags: ctx.tagged(suffix),
      },
      parent,
    );
    const attachments = attachManagedPolicies(`${name}-${suffix}`, role, scope, policies, parent);
    return { role, attachments };
  }

  /**
   * The EKS control plane: its role, the key of its secrets and logs, the control-plane log group,
   * the cluster (private endpoint, public endpoint for the controller's NAT addresses and
   * `apiAllowedCidrs` only).
   */
  private controlPlane(ctx: Context): aws.eks.Cluster {
    const { name, args, clusterName, scope, tagged } = ctx;
    const parent = { parent: this };
    const control = this.serviceRole(ctx, "cluster", "eks.amazonaws.com", CLUSTER_POLICIES);
    const key = new aws.kms.Key(
      `${name}-secrets`,
      {
        description: `Encrypts Kubernetes secrets and control-plane logs of ${clusterName}`,
        enableKeyRotation: true,
        // Used through EKS (secrets encryption; the control plane's role directly, as the EKS
        // Terraform module grants it) and by CloudWatch Logs for the control-plane logs.
        policy: pulumi.all([scope, control.role.arn]).apply(([s, roleArn]) =>
          JSON.stringify(
            keyPolicy(s, {
              services: ["eks"],
              logGroups: [controlPlaneLogGroup(clusterName)],
              directUsers: [roleArn],
            }),
          ),
        ),
        deletionWindowInDays: 30,
        tags: tagged("secrets"),
      },
      parent,
    );
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane`,
      {
        name: controlPlaneLogGroup(clusterName),
        retentionInDays: args.logRetentionDays,
        kmsKeyId: key.arn,
        tags: tagged("control-plane"),
      },
      parent,
    );
    return new aws.eks.Cluster(
      name,
      {
        name: clusterName,
        version: args.kubernetesVersion,
        roleArn: control.role.arn,
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
        vpcConfig: {
          subnetIds: args.network.privateSubnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: true,
          publicAccessCidrs: pulumi
            .output(args.controllerEgressIps)
            .apply((ips) => publicAccessCidrs(ips, args.apiAllowedCidrs)),
        },
        encryptionConfig: { provider: { keyArn: key.arn }, resources: ["secrets"] },
        enabledClusterLogTypes: [...CONTROL_PLANE_LOGS],
        kubernetesNetworkConfig: { serviceIpv4Cidr: SERVICE_CIDR, ipFamily: "ipv4" },
        tags: tagged("cluster"),
      },
      { parent: this, dependsOn: [logGroup, ...control.attachments] },
    );
  }

  /** Cluster admins: the deploying principal (its role, if it is an assumed-role session) and `adminPrincipalArns`. */
  private adminAccess(ctx: Context, cluster: aws.eks.Cluster): pulumi.CustomResource[] {
    const { name, args, scope, tagged } = ctx;
    const parent = { parent: this };
    const deployer = aws.iam.getSessionContextOutput(
      { arn: aws.getCallerIdentityOutput({}, parent).arn },
      parent,
    ).issuerArn;
    const admins: { key: string; arn: pulumi.Input<string> }[] = [
      { key: "deployer", arn: deployer },
      ...args.adminPrincipalArns.map((arn) => ({ key: principalKey(arn), arn })),
    ];
    return admins.flatMap((admin) => {
      const entry = new aws.eks.AccessEntry(
        `${name}-admin-${admin.key}`,
        {
          clusterName: cluster.name,
          principalArn: admin.arn,
          type: "STANDARD",
          tags: tagged(`admin-${admin.key}`),
        },
        parent,
      );
      const association = new aws.eks.AccessPolicyAssociation(
        `${name}-admin-${admin.key}`,
        {
          clusterName: cluster.name,
          principalArn: entry.principalArn,
          policyArn: pulumi.interpolate`arn:${scope.partition}:eks::aws:cluster-access-policy/${ADMIN_POLICY}`,
          accessScope: { type: "cluster" },
        },
        parent,
      );
      return [entry, association];
    });
  }

  /**
   * System nodes: a small managed node group with a security group of its own (the agent proxy
   * runs here, and only this group reaches the gateway endpoint in websocket mode); IMDSv2 only and
   * out of pods' reach, encrypted root volumes; and the VPC CNI, enforcing network policies. Agent
   * nodes come from Karpenter.
   */
  private systemNodes(
    ctx: Context,
    cluster: aws.eks.Cluster,
  ): { nodeGroup: aws.eks.NodeGroup; securityGroup: aws.ec2.SecurityGroup } {
    const { name, args, clusterName, tagged } = ctx;
    const parent = { parent: this };
    const nodes = this.serviceRole(ctx, "nodes", "ec2.amazonaws.com", NODE_POLICIES);
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-system`,
      {
        vpcId: args.network.vpcId,
        description: `System nodes of ${clusterName} (CoreDNS, the agent proxy, Karpenter)`,
        tags: tagged("system"),
      },
      parent,
    );
    const launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-nodes`,
      systemNodeLaunchTemplate(args.systemNodes, {
        clusterName,
        securityGroupIds: [cluster.vpcConfig.clusterSecurityGroupId, securityGroup.id],
        instanceTags: tagged("node"),
        tags: tagged("nodes"),
      }),
      parent,
    );
    const nodeGroup = new aws.eks.NodeGroup(
      `${name}-nodes`,
      {
        clusterName: cluster.name,
        // Nodes follow the control plane: a version bump upgrades the cluster, then rolls the nodes.
        version: cluster.version,
        nodeRoleArn: nodes.role.arn,
        subnetIds: args.network.privateSubnetIds,
        ...systemNodeGroupShape(args.systemNodes),
        launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
        tags: tagged("nodes"),
      },
      { parent: this, dependsOn: nodes.attachments },
    );
    // The VPC CNI enforces NetworkPolicies only when asked to.
    new aws.eks.Addon(
      `${name}-vpc-cni`,
      {
        clusterName: cluster.name,
        addonName: "vpc-cni",
        configurationValues: JSON.stringify({ enableNetworkPolicy: "true" }),
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
        tags: tagged("vpc-cni"),
      },
      parent,
    );
    return { nodeGroup, securityGroup };
  }

  /** The Kubernetes provider, built from this cluster once admin access and the system nodes are in place. */
  private kubernetesProvider(
    ctx: Context,
    cluster: aws.eks.Cluster,
    access: pulumi.CustomResource[],
    nodeGroup: aws.eks.NodeGroup,
  ): k8s.Provider {
    const { name, args, scope } = ctx;
    const config = pulumi
      .all([
        cluster.name,
        cluster.endpoint,
        cluster.certificateAuthority.data,
        scope.region,
        ...access.map((a) => a.id),
      ])
      .apply(([clusterNameValue, endpoint, certificateAuthorityData, region]) =>
        kubeconfig({
          clusterName: clusterNameValue,
          endpoint,
          certificateAuthorityData,
          region,
          ...args.awsCli,
        }),
      );
    return new k8s.Provider(
      `${name}-k8s`,
      {
        kubeconfig: config,
        enableServerSideApply: true,
        // A throwaway stack whose cluster is gone or out of reach drops its objects from the state
        // instead of failing the destroy; a lasting stack refuses, so nothing is forgotten silently.
        deleteUnreachable: args.throwaway,
      },
      { parent: this, dependsOn: [nodeGroup] },
    );
  }
}
