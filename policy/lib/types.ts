/**
 * Type tokens of the resources the blueprint declares and the rules look at, in one place: the
 * rules, the offline plan (its cost estimate) and the tests read them from here. Part of the pack,
 * which imports nothing from the program; the program's component tokens are its own
 * (`components/shared/tokens.ts`), and {@link COMPONENT_TYPES} holds the few the rules name.
 */
export const TYPES = {
  /** The stack resource, whose properties are the stack outputs. */
  stack: "pulumi:pulumi:Stack",
  // Providers
  awsProvider: "pulumi:providers:aws",
  k8sProvider: "pulumi:providers:kubernetes",
  // EC2 and VPC
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  igw: "aws:ec2/internetGateway:InternetGateway",
  eip: "aws:ec2/eip:Eip",
  nat: "aws:ec2/natGateway:NatGateway",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  flowLog: "aws:ec2/flowLog:FlowLog",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  ec2Tag: "aws:ec2/tag:Tag",
  endpointService: "aws:ec2/vpcEndpointService:VpcEndpointService",
  allowedPrincipal: "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  accepter: "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter",
  // Load balancing (`aws:alb` is the older alias of `aws:lb`)
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  albLoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
  albListener: "aws:alb/listener:Listener",
  // DNS and certificates
  zone: "aws:route53/zone:Zone",
  record: "aws:route53/record:Record",
  certificate: "aws:acm/certificate:Certificate",
  privateKey: "tls:index/privateKey:PrivateKey",
  selfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
  certRequest: "tls:index/certRequest:CertRequest",
  locallySignedCert: "tls:index/locallySignedCert:LocallySignedCert",
  // IAM, KMS, secrets
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  kmsKey: "aws:kms/key:Key",
  kmsAlias: "aws:kms/alias:Alias",
  password: "random:index/randomPassword:RandomPassword",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  // The controller: ECS, EFS, backups
  ecsCluster: "aws:ecs/cluster:Cluster",
  clusterCapacityProviders: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  ecsService: "aws:ecs/service:Service",
  fileSystem: "aws:efs/fileSystem:FileSystem",
  accessPoint: "aws:efs/accessPoint:AccessPoint",
  mountTarget: "aws:efs/mountTarget:MountTarget",
  fileSystemPolicy: "aws:efs/fileSystemPolicy:FileSystemPolicy",
  backupVault: "aws:backup/vault:Vault",
  backupPlan: "aws:backup/plan:Plan",
  backupSelection: "aws:backup/selection:Selection",
  // The agent cluster: EKS and Karpenter's interruption queue
  eksCluster: "aws:eks/cluster:Cluster",
  accessEntry: "aws:eks/accessEntry:AccessEntry",
  accessPolicy: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  addon: "aws:eks/addon:Addon",
  podIdentity: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  // Monitoring
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  logMetricFilter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  // Kubernetes
  namespace: "kubernetes:core/v1:Namespace",
  limitRange: "kubernetes:core/v1:LimitRange",
  quota: "kubernetes:core/v1:ResourceQuota",
  serviceAccount: "kubernetes:core/v1:ServiceAccount",
  k8sSecret: "kubernetes:core/v1:Secret",
  configMap: "kubernetes:core/v1:ConfigMap",
  k8sService: "kubernetes:core/v1:Service",
  k8sRole: "kubernetes:rbac.authorization.k8s.io/v1:Role",
  roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  deployment: "kubernetes:apps/v1:Deployment",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  replicaSet: "kubernetes:apps/v1:ReplicaSet",
  cronJob: "kubernetes:batch/v1:CronJob",
  pdb: "kubernetes:policy/v1:PodDisruptionBudget",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  admissionPolicy: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
  admissionBinding: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
  helmRelease: "kubernetes:helm.sh/v3:Release",
  nodePool: "kubernetes:karpenter.sh/v1:NodePool",
  nodeClass: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
} as const;

/** Security groups, with their inline rules. */
export const SECURITY_GROUP_TYPES: readonly string[] = [TYPES.securityGroup, TYPES.defaultSg];
/** Security group rules of their own. */
export const SECURITY_GROUP_RULE_TYPES: readonly string[] = [
  TYPES.securityGroupRule,
  TYPES.ingressRule,
  TYPES.egressRule,
];
/** Load balancers, under either module name. */
export const LOAD_BALANCER_TYPES: readonly string[] = [TYPES.loadBalancer, TYPES.albLoadBalancer];

/** The blueprint's components the rules name (a test holds them equal to the program's tokens). */
export const COMPONENT_TYPES = {
  controller: "jenkins-agent-bridge:jenkins:Controller",
  /** The agent proxy, declared for websocket stacks only. */
  agentProxy: "jenkins-agent-bridge:proxy:AgentProxy",
} as const;
