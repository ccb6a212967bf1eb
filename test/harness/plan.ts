/**
 * Test harness: runs the whole program for a committed stack under the mock engine (the same run
 * `npm run plan` makes) and offers lookups over what it declared. `runPlan` waits for every
 * registration, including those made inside `apply`, before it returns.
 *
 * What these runs do not prove: that AWS accepts the inputs, that names are free in an account,
 * or that the network behaves as planned. They prove the program's logic and its exact inputs.
 */
import * as assert from "assert";
import * as path from "path";
import { decodeConfig, parseStackConfig } from "../../config";
import { Plan, PlannedResource, runPlan } from "../../plan/engine";
import { applyOverrides, readStack, STACKS_DIR } from "../../plan/stack-file";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "../..");

/**
 * Plans already made in this process, by everything a run depends on: the stack's name, its
 * values after the overrides (read afresh each call, so an edited stack file is planned anew) and
 * its region. A run is deterministic (same inputs, same plan, byte for byte), and many test files
 * plan the same committed stacks, so each is run once per process.
 */
const plans = new Map<string, Plan>();

/**
 * Plans a committed stack, with optional `KEY=VALUE` overrides; fails on invalid config. Each
 * caller gets its own copy of the plan, so no test sees another's changes to it.
 */
export async function planStack(stack: string, overrides: string[] = []): Promise<PlanView> {
  const values = applyOverrides(readStack(STACKS_DIR, stack), overrides);
  const parsed = parseStackConfig(decodeConfig(values.values), values.secretKeys);
  if (!parsed.ok) {
    assert.fail(`stack ${stack} is invalid:\n${parsed.problems.join("\n")}`);
  }
  const key = JSON.stringify([stack, values.values, [...values.secretKeys].sort(), parsed.config.region]);
  let plan = plans.get(key);
  if (!plan) {
    plan = await runPlan(stack, values, parsed.config.region);
    plans.set(key, plan);
  }
  return new PlanView(structuredClone(plan));
}

/** Lookups over a plan. */
export class PlanView {
  constructor(readonly plan: Plan) {}

  get resources(): PlannedResource[] {
    return this.plan.resources;
  }

  /** Every resource of a type. */
  byType(type: string): PlannedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The one resource of a type and name; fails if absent. */
  one(type: string, name: string): PlannedResource {
    const found = this.resources.filter((r) => r.type === type && r.name === name);
    assert.strictEqual(found.length, 1, `expected one ${type} named ${name}, found ${found.length}`);
    return found[0];
  }

  /** Direct children of a resource. */
  childrenOf(parent: PlannedResource): PlannedResource[] {
    return this.resources.filter((r) => r.parent === parent.urn);
  }

  /** Name of the resource with this ID or ARN, for readable assertions on references. */
  nameOf(idOrArn: unknown): string | undefined {
    return this.resources.find((r) => r.id === idOrArn || r.state?.arn === idOrArn)?.name;
  }

  /** Names of the resources of a type, sorted. */
  names(type: string): string[] {
    return this.byType(type)
      .map((r) => r.name)
      .sort();
  }
}

/** Resource type tokens used in assertions. */
export const T = {
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
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  flowLog: "aws:ec2/flowLog:FlowLog",
  network: "jenkins-agent-bridge:network:Network",
  controller: "jenkins-agent-bridge:jenkins:Controller",
  gateway: "jenkins-agent-bridge:gateway:AgentGateway",
  agentCluster: "jenkins-agent-bridge:cluster:AgentCluster",
  agentProxy: "jenkins-agent-bridge:proxy:AgentProxy",
  eksCluster: "aws:eks/cluster:Cluster",
  accessEntry: "aws:eks/accessEntry:AccessEntry",
  accessPolicy: "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  addon: "aws:eks/addon:Addon",
  k8sProvider: "pulumi:providers:kubernetes",
  namespace: "kubernetes:core/v1:Namespace",
  limitRange: "kubernetes:core/v1:LimitRange",
  quota: "kubernetes:core/v1:ResourceQuota",
  serviceAccount: "kubernetes:core/v1:ServiceAccount",
  k8sRole: "kubernetes:rbac.authorization.k8s.io/v1:Role",
  roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  k8sSecret: "kubernetes:core/v1:Secret",
  configMap: "kubernetes:core/v1:ConfigMap",
  deployment: "kubernetes:apps/v1:Deployment",
  k8sService: "kubernetes:core/v1:Service",
  pdb: "kubernetes:policy/v1:PodDisruptionBudget",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  admissionPolicy: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicy",
  admissionBinding: "kubernetes:admissionregistration.k8s.io/v1:ValidatingAdmissionPolicyBinding",
  endpointService: "aws:ec2/vpcEndpointService:VpcEndpointService",
  allowedPrincipal: "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  accepter: "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter",
  zone: "aws:route53/zone:Zone",
  record: "aws:route53/record:Record",
  certificate: "aws:acm/certificate:Certificate",
  privateKey: "tls:index/privateKey:PrivateKey",
  selfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
  certRequest: "tls:index/certRequest:CertRequest",
  locallySignedCert: "tls:index/locallySignedCert:LocallySignedCert",
  awsProvider: "pulumi:providers:aws",
  kmsKey: "aws:kms/key:Key",
  kmsAlias: "aws:kms/alias:Alias",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  fileSystem: "aws:efs/fileSystem:FileSystem",
  accessPoint: "aws:efs/accessPoint:AccessPoint",
  mountTarget: "aws:efs/mountTarget:MountTarget",
  fileSystemPolicy: "aws:efs/fileSystemPolicy:FileSystemPolicy",
  password: "random:index/randomPassword:RandomPassword",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  ecsCluster: "aws:ecs/cluster:Cluster",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  backupVault: "aws:backup/vault:Vault",
  backupPlan: "aws:backup/plan:Plan",
  backupSelection: "aws:backup/selection:Selection",
  rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  monitoring: "jenkins-agent-bridge:monitoring:Monitoring",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  logMetricFilter: "aws:cloudwatch/logMetricFilter:LogMetricFilter",
  cronJob: "kubernetes:batch/v1:CronJob",
  agentAutoscaler: "jenkins-agent-bridge:cluster:AgentAutoscaler",
  ec2Tag: "aws:ec2/tag:Tag",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  podIdentity: "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  helmRelease: "kubernetes:helm.sh/v3:Release",
  nodePool: "kubernetes:karpenter.sh/v1:NodePool",
  nodeClass: "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
} as const;
