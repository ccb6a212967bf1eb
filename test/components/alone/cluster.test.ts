/**
 * AgentCluster, constructed on its own under the mock engine, lasting and throwaway. What this
 * does not prove: that EKS accepts the cluster, that the API admits the objects, or that a
 * destroy of a throwaway stack really skips the API (that is Pulumi's `deletedWith`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { createHash } from "crypto";
import { AgentCluster, AgentClusterArgs } from "../../../components/cluster/cluster";
import { agentEgressRules } from "../../../components/cluster/isolation";
import { CONTROLLER_RULES } from "../../../components/cluster/plan";
import { MOCK_ACCOUNT_ID } from "../../../offline/mocks";
import { AloneView, constructAlone } from "../../harness/alone";
import { AGENT_NODES } from "../../harness/capacity";
import { T } from "../../harness/plan";

const EGRESS = {
  vpcCidr: "10.20.0.0/16",
  proxy: { namespace: "jenkins-agent-proxy", port: 8080 },
};
const ADMIN = "arn:aws:iam::123456789012:role/platform-admins";
const NOW = Date.UTC(2026, 0, 10);
const RESTRICTED = Object.fromEntries(
  ["enforce", "audit", "warn"].flatMap((mode) => [
    [`pod-security.kubernetes.io/${mode}`, "restricted"],
    [`pod-security.kubernetes.io/${mode}-version`, "latest"],
  ]),
);
/** Kinds Karpenter must delete itself (it terminates their instances). */
const DELETED_ONE_BY_ONE = [T.nodePool, T.nodeClass];

function build(overrides: Partial<AgentClusterArgs> = {}): Promise<AloneView> {
  return constructAlone(() => {
    const cluster = new AgentCluster("agents", {
      kubernetesVersion: "1.33",
      systemNodes: { instanceTypes: ["t3.medium"], count: 2, capacityType: "ON_DEMAND", diskSizeGiB: 30 },
      agentNodes: AGENT_NODES,
      adminPrincipalArns: [ADMIN],
      apiAllowedCidrs: ["192.0.2.0/24"],
      namespace: "jenkins-agents",
      quotaCpuCores: 16,
      quotaMemoryGiB: 64,
      quotaPods: 20,
      controllerTokenRotationDays: 30,
      now: NOW,
      logRetentionDays: 30,
      stack: "alone",
      network: { vpcId: "vpc-agent", privateSubnetIds: ["subnet-a0", "subnet-a1"] },
      agentEgress: EGRESS,
      awsCli: { profile: "ci" },
      controllerEgressIps: ["203.0.113.10", "203.0.113.11"],
      throwaway: false,
      tags: {},
      ...overrides,
    });
    return { controllerToken: cluster.controllerToken, rotatesAt: cluster.controllerTokenRotatesAt };
  });
}

const kubernetesObjects = (view: AloneView) => view.resources.filter((r) => r.type.startsWith("kubernetes:"));

describe("AgentCluster alone", () => {
  describe("tcp agents", () => {
    it("let agents out to the endpoint's addresses on its agent ports once they are known, and nowhere else in the VPC", async () => {
      const view = await build({
        agentEgress: {
          vpcCidr: "10.20.0.0/16",
          endpoint: { addresses: pulumi.output(["10.20.0.4", "10.20.16.4"]), ports: [8080, 50000] },
        },
      });
      const egress = (view.one(T.networkPolicy, "agents-agent-egress").inputs.spec as { egress: unknown[] })
        .egress;
      assert.deepStrictEqual(egress.slice(1), [
        { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.20.0.0/16"] } }] },
        {
          to: [{ ipBlock: { cidr: "10.20.0.4/32" } }, { ipBlock: { cidr: "10.20.16.4/32" } }],
          ports: [
            { protocol: "TCP", port: 8080 },
            { protocol: "TCP", port: 50000 },
          ],
        },
      ]);
    });
  });

  describe("lasting", () => {
    let view: AloneView;
    before(async () => {
      view = await build();
    });

    it("keeps the API private but for the controller's NAT addresses and the stated blocks, with API authentication only", () => {
      const eks = view.one(T.eksCluster, "agents");
      const vpc = eks.inputs.vpcConfig as Record<string, unknown>;
      assert.deepStrictEqual(
        [vpc.subnetIds, vpc.endpointPrivateAccess, vpc.endpointPublicAccess, vpc.publicAccessCidrs],
        [["subnet-a0", "subnet-a1"], true, true, ["203.0.113.10/32", "203.0.113.11/32", "192.0.2.0/24"]],
      );
      assert.deepStrictEqual(eks.inputs.accessConfig, {
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: false,
      });
      assert.deepStrictEqual(eks.inputs.encryptionConfig, {
        provider: { keyArn: view.one(T.kmsKey, "agents-secrets").state?.arn },
        resources: ["secrets"],
      });
    });

    it("grants cluster admin to the deploying principal and the named admins only; agent nodes join as EC2_LINUX", () => {
      const deployer = `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/offline-plan`;
      assert.deepStrictEqual(
        view.byType(T.accessEntry).map((e) => [e.name, e.inputs.type, e.inputs.principalArn]),
        [
          [`agents-admin-${createHash("sha256").update(ADMIN).digest("hex").slice(0, 8)}`, "STANDARD", ADMIN],
          ["agents-admin-deployer", "STANDARD", deployer],
          ["agents-autoscaler-nodes", "EC2_LINUX", view.one(T.role, "agents-autoscaler-nodes").state?.arn],
        ],
      );
      assert.deepStrictEqual(
        view
          .byType(T.accessPolicy)
          .map((a) => [a.inputs.principalArn, a.inputs.policyArn, a.inputs.accessScope]),
        [ADMIN, deployer].map((arn) => [
          arn,
          "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
          { type: "cluster" },
        ]),
      );
    });

    it("requires IMDSv2 out of pods' reach and encrypted disks on system nodes, with a group of their own and no rule", () => {
      const template = view.one(T.launchTemplate, "agents-nodes");
      assert.deepStrictEqual(template.inputs.metadataOptions, {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      });
      const ebs = (template.inputs.blockDeviceMappings as { ebs: Record<string, unknown> }[])[0].ebs;
      assert.deepStrictEqual([ebs.encrypted, ebs.volumeSize], ["true", 30]);
      const system = view.one(T.securityGroup, "agents-system");
      const clusterGroup = (view.one(T.eksCluster, "agents").state?.vpcConfig as Record<string, unknown>)
        .clusterSecurityGroupId;
      assert.match(clusterGroup as string, /^sg-/);
      assert.deepStrictEqual(template.inputs.vpcSecurityGroupIds, [clusterGroup, system.id]);
      assert.deepStrictEqual([...view.byType(T.ingressRule), ...view.byType(T.egressRule)], []);
      assert.strictEqual(
        JSON.parse(view.one(T.addon, "agents-vpc-cni").inputs.configurationValues as string)
          .enableNetworkPolicy,
        "true",
      );
    });

    it("builds a provider that authenticates as the AWS provider does and refuses to forget objects", () => {
      const provider = view.one(T.k8sProvider, "agents-k8s");
      assert.strictEqual(provider.inputs.deleteUnreachable, "false");
      const kubeconfig = JSON.parse(provider.inputs.kubeconfig as string);
      const args = kubeconfig.users[0].user.exec.args as string[];
      assert.deepStrictEqual(args.slice(args.indexOf("--region")), [
        "--region",
        "us-east-1",
        "--profile",
        "ci",
        "--output",
        "json",
      ]);
    });

    it("puts agents and the controller's identity in restricted namespaces, no token mounted anywhere", () => {
      assert.deepStrictEqual(
        view.byType(T.namespace).map((n) => (n.inputs.metadata as { name: string; labels: unknown }).labels),
        [RESTRICTED, RESTRICTED],
      );
      assert.deepStrictEqual(
        view
          .byType(T.serviceAccount)
          .map((s) => [
            (s.inputs.metadata as { namespace: string }).namespace,
            s.inputs.automountServiceAccountToken,
          ]),
        [
          ["jenkins-agents", false],
          ["jenkins-controller", false],
        ],
      );
      const token = view.one(T.k8sSecret, "agents-controller-token");
      assert.deepStrictEqual(token.inputs.type, "kubernetes.io/service-account-token");
      assert.deepStrictEqual(token.inputs.metadata, {
        name: "jenkins-controller-token-682",
        namespace: "jenkins-controller",
        annotations: {
          "kubernetes.io/service-account.name": "jenkins-controller",
          "jenkins-agent-bridge/rotates-at": "2026-02-06T00:00:00.000Z",
        },
      });
      assert.strictEqual(view.outputs.controllerToken, "[secret]");
    });

    it("gives the controller only its rules, in the agent namespace, and closes the agents' way out", () => {
      const role = view.one(T.k8sRole, "agents-controller");
      assert.strictEqual((role.inputs.metadata as { namespace: string }).namespace, "jenkins-agents");
      assert.deepStrictEqual(
        role.inputs.rules,
        CONTROLLER_RULES.map((r) => ({
          apiGroups: [...r.apiGroups],
          resources: [...r.resources],
          verbs: [...r.verbs],
        })),
      );
      assert.deepStrictEqual(view.byType(T.k8sRole).length, 1);
      const policy = view.one(T.networkPolicy, "agents-agent-egress");
      assert.deepStrictEqual(policy.inputs.spec, agentEgressRules(EGRESS));
      const binding = view.one(T.admissionBinding, "agents-agent-pods");
      assert.deepStrictEqual((binding.inputs.spec as Record<string, unknown>).validationActions, ["Deny"]);
    });

    it("ties no resource's deletion to the cluster's", () => {
      assert.deepStrictEqual(
        view.resources.filter((r) => r.deletedWith !== undefined).map((r) => r.name),
        [],
      );
    });
  });

  describe("throwaway", () => {
    let view: AloneView;
    before(async () => {
      view = await build({ throwaway: true, adminPrincipalArns: [], awsCli: {} });
    });

    it("lets every Kubernetes object but Karpenter's capacity go with the cluster", () => {
      const cluster = view.one(T.eksCluster, "agents");
      const objects = kubernetesObjects(view);
      assert.ok(objects.length > 10, `only ${objects.length} Kubernetes objects`);
      for (const r of objects) {
        const expected = DELETED_ONE_BY_ONE.includes(r.type as (typeof DELETED_ONE_BY_ONE)[number])
          ? undefined
          : cluster.urn;
        assert.strictEqual(r.deletedWith, expected, `${r.type} ${r.name}`);
      }
      assert.deepStrictEqual(
        objects
          .filter((r) => r.deletedWith === undefined)
          .map((r) => r.type)
          .sort(),
        [...DELETED_ONE_BY_ONE].sort(),
      );
      for (const r of view.resources.filter((r) => !r.type.startsWith("kubernetes:"))) {
        assert.strictEqual(r.deletedWith, undefined, `${r.type} ${r.name}`);
      }
    });

    it("lets the provider drop objects of an unreachable cluster", () => {
      assert.strictEqual(view.one(T.k8sProvider, "agents-k8s").inputs.deleteUnreachable, "true");
    });

    it("grants cluster admin to the deploying principal alone when no admins are named", () => {
      assert.deepStrictEqual(view.names(T.accessPolicy), ["agents-admin-deployer"]);
    });
  });
});
