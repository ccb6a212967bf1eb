/**
 * The schema of every project key: its type, default, accepted values and meaning. The parser
 * reads values with it (config/parse.ts) and the configuration reference is generated from it
 * (config/reference.ts). Pure data.
 */
import { DEFAULT_TOKEN_ROTATION_DAYS } from "../components/cluster/isolation";
import { NatStrategy } from "../components/network/nat";
import { ZONE_ID_PATTERN } from "../components/network/zones";
import { PROXY_MEMORY } from "../components/proxy/nginx-conf";
import { DEFAULT_ALLOW_LIST_MAX_PREFIX, LOOSEST_ALLOW_LIST_MAX_PREFIX } from "../policy/lib/address-space";
import { AGENT_POD_SCHEMA } from "./agent-pod";
import { API_ACCESS_FROM } from "./api-access";
import { FARGATE_MEMORY_BY_CPU } from "./aws-facts";
import { agentNodesSchema, systemNodesSchema } from "./capacity";
import {
  acmArnProblem,
  cidrProblem,
  DNS_LABEL,
  iamArnProblem,
  imageProblem,
  MAX_USER_TAGS,
  principalProblem,
  tagKeyProblem,
  tagValueProblem,
  vpcCidrProblem,
  zoneNameProblem,
} from "./checks";
import { monitoringSchema } from "./monitoring";
import { httpsUrlProblem, secretArnProblem } from "./public-ui";
import { bool, checked, Infer, int, list, object, oneOf, optional, str, stringMap } from "./schema";
import {
  INBOUND_AGENT_IMAGE,
  JENKINS_IMAGE,
  JENKINS_PLUGINS,
  KUBERNETES_VERSION,
  NGINX_IMAGE,
} from "../components/shared/versions";
import { Transport } from "../components/shared/jenkins";
import { LOG_RETENTION_DAYS } from "./aws-facts";

/** Defaults of a network; the two VPCs differ only in their CIDR. */
export const NETWORK_DEFAULTS = {
  masterCidrBlock: "10.10.0.0/16",
  agentCidrBlock: "10.20.0.0/16",
  azCount: 2,
  natStrategy: NatStrategy.perAz,
  publicSubnetPrefixLength: 24,
  privateSubnetPrefixLength: 20,
  flowLogRetentionDays: 90,
  flowLogTrafficType: "ALL",
} as const;

const retention = (doc: string, days: number) =>
  int({ doc, default: days, min: 1, max: 3653, oneOf: LOG_RETENTION_DAYS });

function networkSchema(role: string, cidrBlock: string) {
  return object(`The ${role} VPC.`, {
    cidrBlock: checked("CIDR", {
      doc: `IPv4 block of the ${role} VPC (/16 to /28). Must not overlap the other VPC.`,
      default: cidrBlock,
      accepted: "an IPv4 CIDR block from /16 to /28, such as 10.0.0.0/16",
      check: vpcCidrProblem,
    }),
    azCount: int({
      doc: "Number of availability zones, chosen by zone ID (lowest numbers first) among the region's zones where EKS can place a control plane and every node instance type is offered. The agent network takes the master network's first zones. Exclusive with `availabilityZoneIds`.",
      default: NETWORK_DEFAULTS.azCount,
      min: 2,
      max: 6,
    }),
    availabilityZoneIds: optional(
      list(
        str({
          doc: "",
          default: "",
          pattern: ZONE_ID_PATTERN,
          accepted: "an availability zone ID such as use1-az1",
        }),
        {
          doc: "Explicit availability zone IDs (2 to 6; IDs name the same zone in every account, names do not). The agent network's must be among the master network's (the endpoint service's load balancer serves only those). Exclusive with `azCount`.",
          default: [],
          minLength: 2,
          maxLength: 6,
        },
      ),
      "(first `azCount` usable zones)",
    ),
    natStrategy: oneOf(["none", "single", "perAz"], {
      doc: "NAT gateways for private subnets: `none` (no internet egress), `single` (one shared, a zonal single point of failure), `perAz` (one per zone, each private route table uses its own zone's).",
      default: NETWORK_DEFAULTS.natStrategy,
    }),
    publicSubnetPrefixLength: int({
      doc: "Prefix length of each public subnet (load balancers and NAT gateways only).",
      default: NETWORK_DEFAULTS.publicSubnetPrefixLength,
      min: 16,
      max: 28,
    }),
    privateSubnetPrefixLength: int({
      doc: "Prefix length of each private subnet (workloads, endpoints, nodes and pods).",
      default: NETWORK_DEFAULTS.privateSubnetPrefixLength,
      min: 16,
      max: 28,
    }),
    flowLogRetentionDays: retention(
      "Days CloudWatch Logs keeps the VPC flow logs (a value CloudWatch accepts).",
      NETWORK_DEFAULTS.flowLogRetentionDays,
    ),
    flowLogTrafficType: oneOf(["ALL", "ACCEPT", "REJECT"], {
      doc: "Which traffic the flow logs record.",
      default: NETWORK_DEFAULTS.flowLogTrafficType,
    }),
  });
}

const oidcUrl = (doc: string) =>
  checked("URL", { doc, default: "", accepted: "a full https URL", check: httpsUrlProblem });

const image = (doc: string, value: string) =>
  checked("image", {
    doc,
    default: value,
    accepted: "an image reference with a pinned tag or digest",
    check: imageProblem,
  });

/** The schema of every project key. */
export const STACK_SCHEMA = object("Project configuration.", {
  transport: oneOf(Object.values(Transport), {
    doc: "How agents connect: `websocket` (HTTP(S) upgrade through the in-cluster proxy; port 50000 closed everywhere) or `tcp` (classic inbound agents on port 50000 plus HTTP 8080 through the endpoint).",
    default: Transport.websocket,
  }),
  tags: stringMap({
    doc: "Tags added to every AWS resource, besides the blueprint's own `Project`, `Stack`, `ManagedBy`, `Name` and `Tier` (which they may not set); at most 35, so that EC2 instances keep room for the tags EKS, auto scaling and Karpenter add.",
    default: {},
    defaultText: "{}",
    checkKey: tagKeyProblem,
    checkValue: tagValueProblem,
    maxEntries: MAX_USER_TAGS,
  }),
  allowListMaxPrefix: int({
    doc: "How much of the public internet an allow-list (`controller.ui.allowedCidrs`, `agentCluster.apiAccess.cidrs`) may admit: its blocks together may cover at most as many public IPv4 addresses as one block of this prefix length (8: 16,777,216 addresses, 0.45 % of the public space). Private and reserved ranges do not count. 2 is the loosest: each half of the internet (`0.0.0.0/1`, `128.0.0.0/1`) is refused.",
    default: DEFAULT_ALLOW_LIST_MAX_PREFIX,
    min: LOOSEST_ALLOW_LIST_MAX_PREFIX,
    max: 32,
  }),
  throwaway: bool({
    doc: "Marks a short-lived environment: allows a public UI without a certificate and turns off deletion protections that would block `pulumi destroy`.",
    default: false,
  }),
  masterNetwork: networkSchema("master (controller)", NETWORK_DEFAULTS.masterCidrBlock),
  agentNetwork: networkSchema("agent (EKS)", NETWORK_DEFAULTS.agentCidrBlock),
  controller: object("The Jenkins controller on ECS Fargate.", {
    image: image("Jenkins controller image.", JENKINS_IMAGE),
    cpu: int({
      doc: "Fargate CPU units of the controller task (1024 = 1 vCPU).",
      default: 2048,
      min: 256,
      max: 16384,
      oneOf: Object.keys(FARGATE_MEMORY_BY_CPU).map(Number),
    }),
    memoryMiB: int({
      doc: "Memory of the controller task in MiB; with `cpu`, a pair Fargate offers (config/aws-facts.ts).",
      default: 4096,
      min: 512,
      max: 122880,
    }),
    capacityType: oneOf(["ON_DEMAND", "SPOT"], {
      doc: "`ON_DEMAND` (Fargate), or `SPOT` (Fargate Spot: cheaper, X86_64 only; when AWS reclaims the task, Jenkins gets two minutes to stop, running builds fail, and ECS starts a new task on the same JENKINS_HOME). For dev and test stacks.",
      default: "ON_DEMAND",
    }),
    healthCheckGracePeriodSec: int({
      doc: "Seconds ECS ignores failing health checks after start (Jenkins starts slowly; plugins install first).",
      default: 600,
      min: 300,
      max: 7200,
    }),
    logRetentionDays: retention("Days the controller's logs are kept.", 30),
    adminUser: str({
      doc: "Name of the generated admin user (its password is generated into Secrets Manager).",
      default: "admin",
      pattern: /^[A-Za-z0-9_-]{1,64}$/,
      accepted: "1 to 64 letters, digits, _ or -",
    }),
    backups: bool({ doc: "Daily AWS Backup of JENKINS_HOME (EFS) into a dedicated vault.", default: false }),
    backupRetentionDays: int({ doc: "Days a backup is kept.", default: 35, min: 1, max: 36500 }),
    homeDeletionProtection: bool({
      doc: "Protect the JENKINS_HOME file system from deletion by Pulumi (ignored when `throwaway` is true).",
      default: true,
    }),
    plugins: list(
      str({
        doc: "",
        default: "",
        pattern: /^[a-z0-9][a-z0-9._-]*:[\w.-]+$/,
        accepted: "a plugin pinned as name:version, such as git:5.10.1",
      }),
      {
        doc: "Plugins installed before Jenkins starts, each pinned as `name:version`; the installed set is exactly this list and its dependencies, reinstalled only when it changes (`tcp` stacks add `instance-identity`).",
        default: [...JENKINS_PLUGINS],
        defaultText: "(the pinned list in components/shared/versions.ts)",
        minLength: 1,
        maxLength: 200,
      },
    ),
    ui: object("The load balancer in front of the Jenkins UI.", {
      internetFacing: bool({
        doc: "Place the UI load balancer in public subnets (otherwise internal).",
        default: false,
      }),
      certificateArn: optional(
        checked("ARN", {
          doc: "ACM certificate for HTTPS; HTTP then redirects to HTTPS. Without it the UI serves HTTP to `allowedCidrs` only.",
          default: "",
          accepted: "an ACM certificate ARN",
          check: acmArnProblem,
        }),
      ),
      allowedCidrs: list(
        checked("CIDR", { doc: "", default: "", accepted: "an IPv4 CIDR block", check: cidrProblem }),
        { doc: "Client blocks allowed to reach the UI.", default: [], maxLength: 50 },
      ),
      idleTimeoutSec: int({
        doc: "Idle timeout of the UI load balancer; above 60 s so WebSocket pings (every 30 s) keep connections up.",
        default: 120,
        min: 61,
        max: 4000,
      }),
      deletionProtection: bool({ doc: "Deletion protection on the UI load balancer.", default: true }),
      oidc: object(
        "Sign-in at the load balancer (its `authenticate-oidc` action) before any request reaches Jenkins; with it a public UI may admit the whole internet on 443. All six keys or none.",
        {
          issuer: optional(oidcUrl("OIDC issuer identifier of the identity provider.")),
          authorizationEndpoint: optional(oidcUrl("Authorization endpoint of the identity provider.")),
          tokenEndpoint: optional(oidcUrl("Token endpoint of the identity provider.")),
          userInfoEndpoint: optional(oidcUrl("User info endpoint of the identity provider.")),
          clientId: optional(
            str({
              doc: "OAuth 2.0 client ID of the UI at the identity provider.",
              default: "",
              pattern: /^[\x21-\x7e]{1,255}$/,
              accepted: "an OAuth 2.0 client ID (1 to 255 printable characters, no spaces)",
            }),
          ),
          clientSecretArn: optional(
            checked("ARN", {
              doc: "Secrets Manager secret holding the OAuth 2.0 client secret (read at deploy time; the secret never goes into config).",
              default: "",
              accepted: "a Secrets Manager secret ARN",
              check: secretArnProblem,
            }),
          ),
        },
      ),
      accessLogsBucket: optional(
        str({
          doc: "S3 bucket for the UI load balancer's access logs (required for an internet-facing UI); it must grant the region's Elastic Load Balancing log delivery.",
          default: "",
          pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
          accepted: "an S3 bucket name",
        }),
      ),
    }),
  }),
  gateway: object("The PrivateLink path from the agent VPC to the controller.", {
    privateZoneName: checked("DNS name", {
      doc: "Route 53 private hosted zone in the agent VPC.",
      default: "ci.internal",
      accepted: "a lowercase DNS name such as ci.internal",
      check: zoneNameProblem,
    }),
    hostName: str({
      doc: "Record in the private zone that names the controller for agents (`<hostName>.<privateZoneName>`).",
      default: "jenkins",
      pattern: DNS_LABEL,
      accepted: "a lowercase DNS label",
    }),
    allowedPrincipals: list(
      checked("ARN", { doc: "", default: "", accepted: "an IAM principal ARN", check: principalProblem }),
      {
        doc: "Principals allowed to connect endpoints to the endpoint service; `*` is refused.",
        default: [],
        defaultText: "(the deploying account)",
        maxLength: 20,
      },
    ),
    deletionProtection: bool({
      doc: "Deletion protection on the gateway's network load balancer.",
      default: true,
    }),
    tcpTlsListener: bool({
      doc: "In `tcp` mode, also expose a TLS 443 listener to the controller (off: only 8080 and 50000).",
      default: false,
    }),
    certificateValidityDays: int({
      doc: "Validity of the gateway's server certificate issued by its private CA.",
      default: 397,
      min: 30,
      max: 825,
    }),
  }),
  agentCluster: object("The EKS cluster that runs build agents.", {
    kubernetesVersion: str({
      doc: "EKS Kubernetes version: one in the dated table in components/shared/versions.ts that EKS still offers (not past its end of extended support).",
      default: KUBERNETES_VERSION,
      pattern: /^1\.\d{2}$/,
      accepted: "a Kubernetes minor version such as 1.35",
    }),
    systemNodes: systemNodesSchema(),
    agentNodes: agentNodesSchema(),
    adminPrincipalArns: list(
      checked("ARN", { doc: "", default: "", accepted: "an IAM role or user ARN", check: iamArnProblem }),
      { doc: "Extra principals granted cluster admin through access entries.", default: [], maxLength: 20 },
    ),
    apiAccess: object(
      "Where `pulumi up` runs from, so that it reaches the cluster's API (it creates the Kubernetes objects itself). Required: a stack that nothing running Pulumi can reach is refused.",
      {
        from: optional(
          oneOf(API_ACCESS_FROM, {
            doc: "`cidrs`: Pulumi runs from the networks in `apiAccess.cidrs` (a laptop, an office, a CI runner's egress), allowed on the public endpoint beside the master network's NAT addresses. `masterVpc`: Pulumi runs inside the master VPC (a self-hosted runner) and reaches the public endpoint through the master network's NAT addresses, which are allowed anyway; the VPC must exist first, so a first deploy uses `cidrs`.",
            default: "cidrs",
          }),
          "(none: required)",
        ),
        cidrs: list(
          checked("CIDR", {
            doc: "",
            default: "",
            accepted: "an IPv4 CIDR block narrower than the whole internet",
            check: (v) =>
              cidrProblem(v) ?? (v.endsWith("/0") ? "the API must not be open to the world" : undefined),
          }),
          {
            doc: "With `from: cidrs`: the public blocks Pulumi runs from (the egress addresses of the machines running `pulumi up`; `npm run preflight` checks this machine's). EKS takes at most 40 blocks, the master network's NAT addresses included.",
            default: [],
            maxLength: 40,
          },
        ),
      },
    ),
    logRetentionDays: retention("Days the control-plane logs (api, audit, authenticator, ...) are kept.", 90),
    namespace: str({
      doc: "Namespace where agent pods run.",
      default: "jenkins-agents",
      pattern: DNS_LABEL,
      accepted: "a lowercase DNS label",
    }),
    inboundAgentImage: image("Inbound agent image of the pod template.", INBOUND_AGENT_IMAGE),
    quotaCpuCores: int({
      doc: "ResourceQuota: CPU cores all agent pods may request.",
      default: 16,
      min: 1,
      max: 10000,
    }),
    quotaMemoryGiB: int({
      doc: "ResourceQuota: memory all agent pods may request, GiB.",
      default: 64,
      min: 1,
      max: 100000,
    }),
    quotaPods: int({ doc: "ResourceQuota: pods in the agent namespace.", default: 50, min: 1, max: 10000 }),
    controllerTokenRotationDays: int({
      doc: "Days the controller's service-account token is kept: the first `pulumi up` after a period ends replaces the token and deletes (invalidates) the old one, and restarts the controller. See docs/token-rotation.md.",
      default: DEFAULT_TOKEN_ROTATION_DAYS,
      min: 1,
      max: 365,
    }),
  }),
  agentPod: AGENT_POD_SCHEMA,
  proxy: object("The in-cluster nginx that forwards agent WebSocket upgrades (websocket mode).", {
    image: image("nginx image (unprivileged variant).", NGINX_IMAGE),
    replicas: int({ doc: "Proxy replicas, spread over nodes.", default: 2, min: 2, max: 20 }),
    timeoutMinutes: int({
      doc: "nginx read/send timeout to the controller, in minutes (well above the 30 s WebSocket ping).",
      default: 10,
      min: 2,
      max: 120,
    }),
    cpuMillicores: int({
      doc: "CPU request and limit per proxy pod, millicores.",
      default: 100,
      min: 10,
      max: 8000,
    }),
    memoryMiB: int({
      doc: `Memory request and limit per proxy pod, MiB; must hold every agent the quota admits (${PROXY_MEMORY.sessionKiB} KiB each) plus nginx.`,
      default: 128,
      min: 32,
      max: 16384,
    }),
  }),
  monitoring: monitoringSchema(),
});

/** The parsed configuration of one stack. */
export type StackConfig = Infer<typeof STACK_SCHEMA> & {
  /** AWS region of every resource (`aws:region`). */
  readonly region: string;
  /**
   * How the AWS provider authenticates, as far as the AWS CLI must repeat it (the Kubernetes
   * provider runs `aws eks get-token`): `aws:profile` and the first role of `aws:assumeRoles`.
   */
  readonly awsCli: { readonly profile?: string; readonly roleArn?: string };
};
