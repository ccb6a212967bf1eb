/**
 * The resource types an estimate knows: those it prices, the AWS types that have no charge of their
 * own (and why), and the packages whose resources are never billed themselves.
 */
import { TYPES } from "../../policy/lib/types";

/** Resource types the estimate reads: the one table the policy pack, the plan and the tests share. */
export const T = TYPES;

/** Types that produce cost lines when declared (the ECS cluster only with Container Insights on). */
export const PRICED_TYPES: readonly string[] = [
  T.nat,
  T.eip,
  T.loadBalancer,
  T.endpoint,
  T.eksCluster,
  T.nodeGroup,
  T.nodePool,
  T.ecsCluster,
  T.ecsService,
  T.fileSystem,
  T.backupVault,
  T.kmsKey,
  T.secret,
  T.logGroup,
  T.flowLog,
  T.zone,
  T.metricAlarm,
  T.dashboard,
  T.logMetricFilter,
];

/** AWS types with no charge of their own, and why. Any other AWS type is reported as unpriced. */
export const FREE_TYPES: Readonly<Record<string, string>> = {
  "aws:ec2/vpc:Vpc": "no charge",
  "aws:ec2/subnet:Subnet": "no charge",
  "aws:ec2/internetGateway:InternetGateway": "no charge",
  "aws:ec2/routeTable:RouteTable": "no charge",
  "aws:ec2/route:Route": "no charge",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "no charge",
  "aws:ec2/securityGroup:SecurityGroup": "no charge",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "no charge",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "no charge",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "no charge",
  "aws:iam/role:Role": "no charge",
  "aws:iam/rolePolicy:RolePolicy": "no charge",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "no charge",
  "aws:ec2/vpcEndpointService:VpcEndpointService":
    "no charge to the service owner; its load balancer and the consumers' endpoints are priced",
  "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple": "no charge",
  "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter": "no charge",
  "aws:lb/listener:Listener": "priced with its load balancer",
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders":
    "no charge; the tasks it places are priced with their service",
  "aws:lb/targetGroup:TargetGroup": "priced with its load balancer",
  "aws:eks/accessEntry:AccessEntry": "no charge",
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": "no charge",
  "aws:eks/addon:Addon": "no charge for the add-on; it runs on the priced nodes",
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": "no charge",
  "aws:ec2/tag:Tag": "no charge",
  "aws:sqs/queue:Queue":
    "within the SQS free tier of 1 million requests a month: Karpenter's leader long-polls about 130,000 times a month",
  "aws:sqs/queuePolicy:QueuePolicy": "no charge",
  "aws:cloudwatch/eventRule:EventRule": "events AWS services publish to the default bus are free",
  "aws:cloudwatch/eventTarget:EventTarget": "no charge for delivering AWS service events",
  [T.launchTemplate]: "its root volume is priced with the node group that uses it",
  [T.taskDefinition]: "priced through the ECS service that runs it",
  "aws:efs/accessPoint:AccessPoint": "no charge",
  "aws:efs/mountTarget:MountTarget": "no charge",
  "aws:efs/fileSystemPolicy:FileSystemPolicy": "no charge",
  "aws:kms/alias:Alias": "no charge",
  "aws:secretsmanager/secretVersion:SecretVersion": "included in the secret's price",
  "aws:backup/plan:Plan": "storage is priced with the vault",
  "aws:backup/selection:Selection": "storage is priced with the vault",
  "aws:route53/record:Record": "no charge; alias queries to AWS resources are free",
  [T.certificate]: "imported and non-exportable ACM certificates are free",
  "aws:sns/topic:Topic":
    "no charge for the topic; alarm notifications stay within the free million publishes, 1,000 emails and 100,000 HTTPS deliveries a month",
  "aws:sns/topicPolicy:TopicPolicy": "no charge",
  "aws:sns/topicSubscription:TopicSubscription": "deliveries priced with the topic",
};

/** Packages whose resources are not billed themselves (Kubernetes objects run on the priced nodes). */
export const FREE_PACKAGES = new Set(["kubernetes", "tls", "random"]);
