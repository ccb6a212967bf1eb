/**
 * Karpenter's policies: its controller role's permissions and its interruption queue's policy (the
 * role's Pod Identity trust is the shared one in shared/iam.ts). The component (karpenter.ts) attaches these.
 *
 * Source (Karpenter v1.14.1, aws/karpenter-provider-aws):
 * website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml
 */
import { AccountScope, denyWithoutTls, PolicyDocument } from "../shared/iam";

/**
 * The interruption queue's policy: only EventBridge rules of this account (each named ARN) may send,
 * and nothing may use the queue without TLS.
 */
export function interruptionQueuePolicy(queueArn: string, ruleArns: readonly string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EventBridgeRulesOfThisCluster",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": [...ruleArns] } },
      },
      denyWithoutTls("DenyHTTP", "sqs:*", queueArn),
    ],
  };
}

/**
 * The Karpenter controller's policy: the reference CloudFormation's NodeLifecycle, IAMIntegration,
 * EKSIntegration, Interruption and ResourceDiscovery policies in one document, every write scoped
 * to this cluster's tags (`kubernetes.io/cluster/<name>: owned`, `eks:eks-cluster-name`) and to
 * Karpenter's own tags, passing only the agent node role.
 */
export function karpenterControllerPolicy(p: {
  readonly scope: AccountScope;
  readonly clusterName: string;
  readonly nodeRoleArn: string;
  readonly queueArn: string;
}): PolicyDocument {
  const { partition, region, accountId } = p.scope;
  const ec2 = (resource: string) => `arn:${partition}:ec2:${region}:*:${resource}`;
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${p.clusterName}`]: "owned" };
  const requestOwned = {
    [`aws:RequestTag/kubernetes.io/cluster/${p.clusterName}`]: "owned",
    "aws:RequestTag/eks:eks-cluster-name": p.clusterName,
  };
  const launched = [
    "fleet/*",
    "instance/*",
    "volume/*",
    "network-interface/*",
    "launch-template/*",
    "spot-instances-request/*",
  ].map(ec2);
  const profile = `arn:${partition}:iam::${accountId}:instance-profile/*`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowScopedEC2InstanceAccessActions",
        Effect: "Allow",
        Resource: [
          `arn:${partition}:ec2:${region}::image/*`,
          `arn:${partition}:ec2:${region}::snapshot/*`,
          ec2("security-group/*"),
          ec2("subnet/*"),
          ec2("capacity-reservation/*"),
          ec2("placement-group/*"),
        ],
        Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      },
      {
        Sid: "AllowScopedEC2LaunchTemplateAccessActions",
        Effect: "Allow",
        Resource: ec2("launch-template/*"),
        Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        Condition: { StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
      },
      {
        Sid: "AllowScopedEC2InstanceActionsWithTags",
        Effect: "Allow",
        Resource: launched,
        Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
        Condition: {
          StringEquals: requestOwned,
          StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
        },
      },
      {
        Sid: "AllowScopedResourceCreationTagging",
        Effect: "Allow",
        Resource: launched,
        Action: "ec2:CreateTags",
        Condition: {
          StringEquals: {
            ...requestOwned,
            "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
          },
          StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
        },
      },
      {
        Sid: "AllowScopedResourceTagging",
        Effect: "Allow",
        Resource: ec2("instance/*"),
        Action: "ec2:CreateTags",
        Condition: {
          StringEquals: owned,
          StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
          StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": p.clusterName },
          "ForAllValues:StringEquals": {
            "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"],
          },
        },
      },
      {
        Sid: "AllowScopedDeletion",
        Effect: "Allow",
        Resource: [ec2("instance/*"), ec2("launch-template/*")],
        Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
        Condition: { StringEquals: owned, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
      },
      {
        Sid: "AllowPassingInstanceRole",
        Effect: "Allow",
        Resource: p.nodeRoleArn,
        Action: "iam:PassRole",
        Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
      },
      {
        Sid: "AllowScopedInstanceProfileCreationActions",
        Effect: "Allow",
        Resource: profile,
        Action: ["iam:CreateInstanceProfile"],
        Condition: {
          StringEquals: { ...requestOwned, "aws:RequestTag/topology.kubernetes.io/region": region },
          StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
        },
      },
      {
        Sid: "AllowScopedInstanceProfileTagActions",
        Effect: "Allow",
        Resource: profile,
        Action: ["iam:TagInstanceProfile"],
        Condition: {
          StringEquals: {
            ...owned,
            "aws:ResourceTag/topology.kubernetes.io/region": region,
            ...requestOwned,
            "aws:RequestTag/topology.kubernetes.io/region": region,
          },
          StringLike: {
            "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
            "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
          },
        },
      },
      {
        Sid: "AllowScopedInstanceProfileActions",
        Effect: "Allow",
        Resource: profile,
        Action: [
          "iam:AddRoleToInstanceProfile",
          "iam:RemoveRoleFromInstanceProfile",
          "iam:DeleteInstanceProfile",
        ],
        Condition: {
          StringEquals: { ...owned, "aws:ResourceTag/topology.kubernetes.io/region": region },
          StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
        },
      },
      {
        Sid: "AllowAPIServerEndpointDiscovery",
        Effect: "Allow",
        Resource: `arn:${partition}:eks:${region}:${accountId}:cluster/${p.clusterName}`,
        Action: "eks:DescribeCluster",
      },
      {
        Sid: "AllowInterruptionQueueActions",
        Effect: "Allow",
        Resource: p.queueArn,
        Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
      },
      {
        Sid: "AllowRegionalReadActions",
        Effect: "Allow",
        Resource: "*",
        Action: [
          "ec2:DescribeCapacityReservations",
          "ec2:DescribeImages",
          "ec2:DescribeInstances",
          "ec2:DescribeInstanceStatus",
          "ec2:DescribeInstanceTypeOfferings",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribePlacementGroups",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSpotPriceHistory",
          "ec2:DescribeSubnets",
        ],
        Condition: { StringEquals: { "aws:RequestedRegion": region } },
      },
      {
        Sid: "AllowSSMReadActions",
        Effect: "Allow",
        Resource: `arn:${partition}:ssm:${region}::parameter/aws/service/*`,
        Action: "ssm:GetParameter",
      },
      { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: "pricing:GetProducts" },
      {
        Sid: "AllowUnscopedInstanceProfileListAction",
        Effect: "Allow",
        Resource: "*",
        Action: "iam:ListInstanceProfiles",
      },
      {
        Sid: "AllowInstanceProfileReadActions",
        Effect: "Allow",
        Resource: profile,
        Action: "iam:GetInstanceProfile",
      },
    ],
  };
}
