/**
 * Each check across keys on its own: a parsed valid config changed in the keys the check relates,
 * the check run alone, and its exact lines. The same checks through the whole parser are tested in
 * test/unit/stack-config*.test.ts and beside their subjects.
 */
import * as assert from "assert";
import { CheckContext, checkAcrossKeys, CROSS_CHECKS, CrossCheck, StackConfig } from "../../config";
import { checkAllowListCoverage } from "../../config/address-space";
import { checkAgentPodLimits, checkJobDslPlugin } from "../../config/agent-pod";
import { checkApiAccess } from "../../config/api-access";
import {
  checkAgentEgress,
  checkCertificateRegion,
  checkControllerEgress,
  checkFargateSize,
  checkKubernetesVersion,
  checkPrivateZoneName,
} from "../../config/aws-checks";
import {
  checkAgentNodesHoldAnAgent,
  checkArchitecturesDistinct,
  checkKarpenterTags,
  checkProxyHoldsEveryAgent,
  checkQuotaHoldsAnAgent,
} from "../../config/capacity";
import {
  checkAgentBlockOutsideServiceRange,
  checkNetworksDoNotOverlap,
  checkSubnetLayouts,
} from "../../config/cross-checks";
import { checkMonitoring } from "../../config/monitoring";
import { checkAgentNamespace } from "../../config/namespaces";
import {
  checkOidcCertificate,
  checkOidcComplete,
  checkPublicUiAccessLogs,
  checkPublicUiAllowList,
  checkPublicUiCertificate,
} from "../../config/public-ui";
import { Problems } from "../../config/schema";
import { checkZones } from "../../config/zones";
import { configOf, merged, Patch } from "../harness/config";
import { OIDC } from "../harness/oidc";

const NS = "jenkins-agent-bridge:";
const CONTEXT: CheckContext = { given: {}, today: "2026-12-01" };
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000000";

/** The valid default config (us-east-1, Pulumi running from a stated block). */
const BASE = configOf({ "aws:region": "us-east-1" });

/** The lines `check` records alone on the base config changed by `patch`. */
function linesOf(check: CrossCheck, patch: Patch<StackConfig>, context = CONTEXT, before = new Problems()) {
  check(merged(BASE, patch), before, context);
  return before.lines();
}

/** A quota and agent node limits that admit 4998 agents beside the checks' two pods. */
const ROOM_FOR_4996: Patch<StackConfig> = {
  agentCluster: {
    quotaPods: 5000,
    quotaCpuCores: 5000,
    quotaMemoryGiB: 7500,
    agentNodes: { cpuLimit: 20000, memoryLimitGiB: 40000 },
  },
};

const CASES: [CrossCheck, Patch<StackConfig>, string[]][] = [
  [
    checkZones,
    { masterNetwork: { availabilityZoneIds: ["euw1-az1", "euw1-az2"] } },
    [
      `${NS}masterNetwork.availabilityZoneIds: got ["euw1-az1","euw1-az2"]; expected zone IDs of aws:region us-east-1 (use1-az1, use1-az2, ...)`,
    ],
  ],
  [
    checkApiAccess,
    { agentCluster: { apiAccess: { from: undefined, cidrs: [] } } },
    [
      `${NS}agentCluster.apiAccess.from: got nothing; expected where pulumi up runs from: cidrs (with agentCluster.apiAccess.cidrs naming the public blocks of the machines that run it) or masterVpc (a runner inside the master VPC, through its NAT addresses); without it nothing that runs Pulumi can reach the cluster's API`,
    ],
  ],
  [
    checkSubnetLayouts,
    { masterNetwork: { cidrBlock: "10.10.0.0/20", privateSubnetPrefixLength: 21, azCount: 3 } },
    [
      `${NS}masterNetwork.cidrBlock: got "10.10.0.0/20"; expected a block that holds every subnet: 3 public /24 and 3 private /21 subnets need 6912 addresses; 10.10.0.0/20 holds 4096 (enlarge the block, lengthen the subnet prefixes or use fewer zones)`,
    ],
  ],
  [
    checkAgentBlockOutsideServiceRange,
    { agentNetwork: { cidrBlock: "172.20.0.0/16" } },
    [
      `${NS}agentNetwork.cidrBlock: got "172.20.0.0/16"; expected a block outside the cluster's service range 172.20.0.0/16`,
    ],
  ],
  [
    checkNetworksDoNotOverlap,
    { agentNetwork: { cidrBlock: "10.10.128.0/17" } },
    [
      `${NS}agentNetwork.cidrBlock: got "10.10.128.0/17"; expected a block that does not overlap masterNetwork.cidrBlock 10.10.0.0/16`,
    ],
  ],
  [
    checkArchitecturesDistinct,
    { agentCluster: { agentNodes: { architectures: ["arm64", "arm64"] } } },
    [`${NS}agentCluster.agentNodes.architectures: got ["arm64","arm64"]; expected distinct architectures`],
  ],
  [
    checkKarpenterTags,
    { tags: { "karpenter.sh/nodepool": "mine" } },
    [
      `${NS}tags.karpenter.sh/nodepool: got "mine"; expected a tag key Karpenter does not set itself on agent nodes (not eks:eks-cluster-name, kubernetes.io/cluster/*, karpenter.sh/nodepool, karpenter.sh/nodeclaim or karpenter.k8s.aws/ec2nodeclass)`,
    ],
  ],
  [
    checkControllerEgress,
    { masterNetwork: { natStrategy: "none" } },
    [
      `${NS}masterNetwork.natStrategy: got "none"; expected single or perAz: the controller pulls its image and plugins and reaches the agent cluster's API through NAT`,
    ],
  ],
  [
    checkJobDslPlugin,
    { controller: { plugins: ["git:5.10.1"] } },
    [
      `${NS}controller.plugins: got a list without job-dsl; expected job-dsl:<version> in it (the configuration defines the pipeline check's job with its jobs: element, which JCasC refuses without the plugin)`,
    ],
  ],
  [
    checkAgentPodLimits,
    { agentPod: { buildCpuLimitMillicores: 64000, buildMemoryLimitMiB: 100 } },
    [
      `${NS}agentPod.buildCpuLimitMillicores: got 64000 above twice agentPod.buildCpuRequestMillicores 500; expected at most 1000 (the agent namespace's quota allows limits of twice its requests)`,
      `${NS}agentPod.buildMemoryLimitMiB: got 100 below agentPod.buildMemoryRequestMiB 1024; expected a limit of at least the request (Kubernetes refuses a request above its limit)`,
    ],
  ],
  [
    checkQuotaHoldsAnAgent,
    { agentCluster: { quotaPods: 2, quotaCpuCores: 1, quotaMemoryGiB: 1 } },
    [
      `${NS}agentCluster.quotaPods: got a quota (2 pods, 1 cores, 1 GiB) with no room for one agent (1000m, 1536 MiB) beside the smoke and agent path checks; expected a larger quota`,
    ],
  ],
  [
    checkAgentNodesHoldAnAgent,
    { agentCluster: { agentNodes: { cpuLimit: 1, memoryLimitGiB: 1 } } },
    [
      `${NS}agentCluster.agentNodes.cpuLimit: got agent node limits (1 vCPUs, 1 GiB) with no room for one agent (1000m, 1536 MiB) after node overhead and the smoke and agent path checks; expected larger agentCluster.agentNodes limits`,
    ],
  ],
  [
    checkProxyHoldsEveryAgent,
    ROOM_FOR_4996,
    [
      `${NS}proxy.memoryMiB: got 128; a replica needs 249 MiB to hold all 4998 agents the container cap admits (48 KiB each, plus 14 MiB for nginx with 1 worker); expected 249 or more, or a smaller agentCluster.quotaPods`,
    ],
  ],
  [
    checkAllowListCoverage,
    { controller: { ui: { allowedCidrs: ["0.0.0.0/0"] } } },
    [
      `${NS}controller.ui.allowedCidrs: got ["0.0.0.0/0"]; expected a narrower allow-list: these blocks cover 3702258688 public IPv4 addresses (100% of the public internet); expected at most 16777216, the size of one /8 (jenkins-agent-bridge:allowListMaxPrefix)`,
    ],
  ],
  [
    checkOidcComplete,
    { controller: { ui: { oidc: { issuer: OIDC.issuer, clientId: OIDC.clientId } } } },
    ["authorizationEndpoint", "tokenEndpoint", "userInfoEndpoint", "clientSecretArn"].map(
      (k) =>
        `${NS}controller.ui.oidc.${k}: missing while controller.ui.oidc.issuer is set; expected every one of issuer, authorizationEndpoint, tokenEndpoint, userInfoEndpoint, clientId, clientSecretArn`,
    ),
  ],
  [
    checkOidcCertificate,
    { controller: { ui: { oidc: OIDC } } },
    [
      `${NS}controller.ui.certificateArn: got nothing with controller.ui.oidc set; expected a certificate: the load balancer signs users in on HTTPS listeners only`,
    ],
  ],
  [
    checkPublicUiAllowList,
    { controller: { ui: { internetFacing: true } } },
    [
      `${NS}controller.ui.allowedCidrs: got [] with controller.ui.internetFacing true; expected the client networks allowed to reach the UI, or controller.ui.oidc to sign users in at the load balancer`,
    ],
  ],
  [
    checkPublicUiAccessLogs,
    { controller: { ui: { internetFacing: true } } },
    [
      `${NS}controller.ui.accessLogsBucket: got nothing with controller.ui.internetFacing true; expected an S3 bucket for the public load balancer's access logs`,
    ],
  ],
  [
    checkMonitoring,
    { monitoring: { alarms: { certificateExpiry: { threshold: 400 } } } },
    [
      `${NS}monitoring.alarms.certificateExpiry.threshold: got 400; expected fewer days than gateway.certificateValidityDays (397), or the alarm never clears`,
    ],
  ],
  [
    checkAgentNamespace,
    { agentCluster: { namespace: "kube-system" } },
    [
      `${NS}agentCluster.namespace: got "kube-system"; expected a namespace of the agents' own, not one of jenkins-agent-proxy, jenkins-controller, default, kube-system, kube-public, kube-node-lease`,
    ],
  ],
  [
    checkPublicUiCertificate,
    { controller: { ui: { internetFacing: true } } },
    [
      `${NS}controller.ui.certificateArn: got nothing with controller.ui.internetFacing true; expected a certificate for a public UI (or throwaway: true for a short-lived environment)`,
    ],
  ],
  [
    checkFargateSize,
    { controller: { cpu: 1024, memoryMiB: 100000 } },
    [
      `${NS}controller.memoryMiB: got 100000 with controller.cpu 1024; expected a pair Fargate offers: with 1024 CPU units Fargate offers 2048 to 8192 in steps of 1024 MiB`,
    ],
  ],
  [
    checkCertificateRegion,
    { controller: { ui: { certificateArn: CERT } } },
    [
      `${NS}controller.ui.certificateArn: got "${CERT}"; expected a certificate in aws:region us-east-1 (a load balancer uses certificates of its own region only), not eu-west-1`,
    ],
  ],
  [
    checkKubernetesVersion,
    { agentCluster: { kubernetesVersion: "1.31" } },
    [
      `${NS}agentCluster.kubernetesVersion: got "1.31"; expected a version EKS still offers (1.32, 1.33, 1.34, 1.35): 1.31 left extended support on 2026-11-26`,
    ],
  ],
  [
    checkPrivateZoneName,
    { gateway: { privateZoneName: "compute.internal" } },
    [
      `${NS}gateway.privateZoneName: got "compute.internal"; expected a name apart from compute.internal, which AWS answers in the agent VPC (a private zone on, under or above it hides instance and service names from the nodes), such as ci.internal`,
    ],
  ],
  [
    checkAgentEgress,
    { agentNetwork: { natStrategy: "none" } },
    [
      `${NS}agentNetwork.natStrategy: got "none"; expected single or perAz: agent nodes pull their images (ECR, Docker Hub) and call STS and EC2 to join the cluster through NAT, and the agent VPC has no ECR, S3, STS or EC2 endpoints instead`,
    ],
  ],
];

describe("checks across keys, one at a time", () => {
  it("runs every check, each once, in the order its lines are reported", () => {
    assert.deepStrictEqual(
      CROSS_CHECKS.map((check) => check.name),
      CASES.map(([check]) => check.name),
    );
  });

  it("finds nothing in the default config", () => {
    const problems = new Problems();
    checkAcrossKeys(BASE, problems, CONTEXT);
    assert.deepStrictEqual(problems.lines(), []);
  });

  for (const [check, patch, lines] of CASES) {
    it(`${check.name}: refuses its input with exactly its lines, and passes the default config`, () => {
      assert.deepStrictEqual(linesOf(check, patch), lines);
      assert.deepStrictEqual(linesOf(check, {}), []);
    });
  }
});

describe("checks across keys: what they depend on beside the keys they name", () => {
  it("checkZones refuses both azCount and zone IDs only when the stack gives azCount itself", () => {
    const patch: Patch<StackConfig> = { agentNetwork: { availabilityZoneIds: ["use1-az1", "use1-az2"] } };
    const masterToo: Patch<StackConfig> = {
      ...patch,
      masterNetwork: { availabilityZoneIds: ["use1-az1", "use1-az2"] },
    };
    assert.deepStrictEqual(linesOf(checkZones, masterToo), []);
    assert.deepStrictEqual(
      linesOf(checkZones, masterToo, { ...CONTEXT, given: { agentNetwork: { azCount: 2 } } }),
      [
        `${NS}agentNetwork.availabilityZoneIds: got ["use1-az1","use1-az2"]; expected either agentNetwork.azCount or agentNetwork.availabilityZoneIds, not both`,
      ],
    );
  });

  it("checkKubernetesVersion judges the version on the context's date", () => {
    const patch: Patch<StackConfig> = { agentCluster: { kubernetesVersion: "1.31" } };
    assert.deepStrictEqual(linesOf(checkKubernetesVersion, patch, { ...CONTEXT, today: "2026-11-26" }), []);
    assert.strictEqual(linesOf(checkKubernetesVersion, patch, { ...CONTEXT, today: "2026-11-27" }).length, 1);
  });

  it("checkPublicUiCertificate lets a throwaway stack serve its public UI over HTTP", () => {
    assert.deepStrictEqual(
      linesOf(checkPublicUiCertificate, { throwaway: true, controller: { ui: { internetFacing: true } } }),
      [],
    );
  });

  it("checkProxyHoldsEveryAgent also counts two connections per agent against the workers", () => {
    const patch: Patch<StackConfig> = {
      agentCluster: {
        quotaPods: 10000,
        quotaCpuCores: 10000,
        quotaMemoryGiB: 15000,
        agentNodes: { cpuLimit: 20000, memoryLimitGiB: 40000 },
      },
      proxy: { memoryMiB: 1024 },
    };
    assert.deepStrictEqual(linesOf(checkProxyHoldsEveryAgent, patch), [
      `${NS}proxy.cpuMillicores: got 100 (1 nginx worker of 16384 connections); a replica needs 20060 connections for all 9998 agents the container cap admits; expected 2000 or more, or a smaller agentCluster.quotaPods`,
    ]);
    assert.deepStrictEqual(linesOf(checkProxyHoldsEveryAgent, { ...patch, transport: "tcp" }), []);
  });

  it("stands down on keys that already have a problem, adding nothing", () => {
    const table: [CrossCheck, Patch<StackConfig>, string][] = [
      [
        checkNetworksDoNotOverlap,
        { agentNetwork: { cidrBlock: "10.10.128.0/17" } },
        "masterNetwork.cidrBlock",
      ],
      [checkProxyHoldsEveryAgent, ROOM_FOR_4996, "agentPod.buildCpuLimitMillicores"],
      [checkQuotaHoldsAnAgent, { agentCluster: { quotaPods: 2, quotaCpuCores: 1 } }, "proxy.replicas"],
      [
        checkMonitoring,
        { monitoring: { alarms: { certificateExpiry: { threshold: 400 } } } },
        "monitoring.emails",
      ],
      [checkPrivateZoneName, { gateway: { privateZoneName: "compute.internal" } }, "aws:region"],
    ];
    for (const [check, patch, failed] of table) {
      assert.notDeepStrictEqual(linesOf(check, patch), [], check.name);
      const before = new Problems();
      const key = failed.startsWith("aws:") ? failed : `${NS}${failed}`;
      before.add(key, "already refused");
      assert.deepStrictEqual(linesOf(check, patch, CONTEXT, before), [`${key}: already refused`], check.name);
    }
  });
});
