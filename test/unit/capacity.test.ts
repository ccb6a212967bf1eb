/**
 * The capacity's pure pieces: the container cap arithmetic (generated cases), the agent NodePool
 * and EC2NodeClass for any valid setting (validated against Karpenter's schema), and the value
 * rules the config encodes.
 */
import * as assert from "assert";
import fc from "fast-check";
import {
  AGENT_NODE_OVERHEAD,
  agentNodeClassSpec,
  agentNodePoolSpec,
  AgentNodesConfig,
  AMI_ALIAS,
  autoscalerAgentCapacity,
  containerCap,
  INSTANCE_FAMILY,
  KARPENTER_TAG_KEYS,
  karpenterReplicas,
  nodeClassTags,
  systemNodeGroupShape,
  systemNodeLaunchTemplate,
} from "../../components/cluster/karpenter-plan";
import { agentCapacity, QUOTA_LIMITS_PER_REQUEST } from "../../components/cluster/plan";
import { AGENT_PATH_CHECK_REQUEST } from "../../components/smoke/agent-path-check";
import { SMOKE_LIMITS, SMOKE_REQUEST } from "../../components/smoke/job";
import { agentPodRequest } from "../../components/jenkins/agent-pod";
import { defaultAgentPodSettings } from "../../config/agent-pod";
import { AGENT_NODE_RESERVATION, configuredContainerCap } from "../../config/capacity";
import { namespaceReservation, parseStackConfig } from "../../config";
import { decodeStated } from "../harness/config";
import { MAX_USER_TAGS } from "../../config/checks";
import { validateKubernetesObject } from "../harness/kubernetes-schema";
import { AGENT_NODES } from "../harness/capacity";

const NODES = AGENT_NODES;

const limitsArb = fc.record({
  cpuCores: fc.integer({ min: 1, max: 5000 }),
  memoryGiB: fc.integer({ min: 1, max: 20000 }),
});
/** What one agent pod asks (every container of the template), as the controller's config says. */
const agentArb = fc.record({
  cpuMillicores: fc.integer({ min: 100, max: 16000 }),
  memoryMiB: fc.integer({ min: 128, max: 65536 }),
});
/** The default agent pod: jnlp 500m / 512 MiB and build 500m / 1 GiB. */
const AGENT = agentPodRequest(defaultAgentPodSettings());
const reservedArb = fc.record({
  cpuMillicores: fc.integer({ min: 0, max: 2000 }),
  memoryMiB: fc.integer({ min: 0, max: 4096 }),
});

describe("container cap", () => {
  it("holds no more agents than the autoscaler's limits leave after node overhead, and one more would not fit", () => {
    fc.assert(
      fc.property(limitsArb, reservedArb, agentArb, (limits, reserved, agent) => {
        const n = autoscalerAgentCapacity(limits, reserved, agent);
        const cpu = limits.cpuCores * 1000 * (1 - AGENT_NODE_OVERHEAD.cpu) - reserved.cpuMillicores;
        const memory = limits.memoryGiB * 1024 * (1 - AGENT_NODE_OVERHEAD.memory) - reserved.memoryMiB;
        assert.ok(n >= 0);
        assert.ok(n * agent.cpuMillicores <= cpu || n === 0);
        assert.ok(n * agent.memoryMiB <= memory || n === 0);
        // Tight: one more agent would exceed the CPU or the memory left.
        assert.ok(
          (n + 1) * agent.cpuMillicores > cpu || (n + 1) * agent.memoryMiB > memory,
          `${n} is not the most`,
        );
      }),
    );
  });

  it("grows with the limits, never shrinks", () => {
    fc.assert(
      fc.property(
        limitsArb,
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (limits, dc, dm) => {
          const more = { cpuCores: limits.cpuCores + dc, memoryGiB: limits.memoryGiB + dm };
          assert.ok(
            autoscalerAgentCapacity(more, AGENT_NODE_RESERVATION, AGENT) >=
              autoscalerAgentCapacity(limits, AGENT_NODE_RESERVATION, AGENT),
          );
        },
      ),
    );
  });

  it("is the smaller of what the quota admits and what the autoscaler holds", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 10000 }),
        fc.integer({ min: -5, max: 10000 }),
        (quota, autoscaler) => {
          const cap = containerCap(quota, autoscaler);
          assert.strictEqual(cap, Math.max(0, Math.min(quota, autoscaler)));
          assert.ok(cap <= Math.max(0, quota) && cap <= Math.max(0, autoscaler));
        },
      ),
    );
  });

  it("comes from the stack's quota and agent node limits, whichever binds", () => {
    const tcp = parseStackConfig(
      decodeStated({ "aws:region": "us-east-1", "jenkins-agent-bridge:transport": "tcp" }),
    );
    assert.ok(tcp.ok);
    const TCP_RESERVATION = namespaceReservation();
    const settings = fc.record({
      quotaCpuCores: fc.integer({ min: 1, max: 500 }),
      quotaMemoryGiB: fc.integer({ min: 1, max: 2000 }),
      quotaPods: fc.integer({ min: 1, max: 1000 }),
      cpuLimit: fc.integer({ min: 1, max: 500 }),
      memoryLimitGiB: fc.integer({ min: 1, max: 2000 }),
    });
    fc.assert(
      fc.property(settings, (s) => {
        const parsed = parseStackConfig(
          decodeStated({
            "aws:region": "us-east-1",
            "jenkins-agent-bridge:transport": "tcp",
            "jenkins-agent-bridge:agentCluster": JSON.stringify({
              quotaCpuCores: s.quotaCpuCores,
              quotaMemoryGiB: s.quotaMemoryGiB,
              quotaPods: s.quotaPods,
              agentNodes: { cpuLimit: s.cpuLimit, memoryLimitGiB: s.memoryLimitGiB },
            }),
          }),
        );
        // What a tcp stack's quota keeps beside the agents (the smoke check and the scheduled
        // agent path check), as the config computes it.
        const reservation = TCP_RESERVATION;
        const quota = agentCapacity(
          { cpuCores: s.quotaCpuCores, memoryGiB: s.quotaMemoryGiB, pods: s.quotaPods },
          reservation,
          AGENT,
        );
        const autoscaler = autoscalerAgentCapacity(
          { cpuCores: s.cpuLimit, memoryGiB: s.memoryLimitGiB },
          AGENT_NODE_RESERVATION,
          AGENT,
        );
        if (!parsed.ok) {
          // Only a quota or agent node limits with no room for one agent are refused.
          assert.strictEqual(quota < 1 || autoscaler < 1, true, parsed.problems.join("\n"));
          return;
        }
        assert.ok(quota >= 1 && autoscaler >= 1, "a stack whose cap is 0 is refused");
        assert.strictEqual(configuredContainerCap(parsed.config), Math.min(quota, autoscaler));
      }),
      { numRuns: 200 },
    );
  });

  it("gives the committed figures for default agent pods (1 core, 1.5 GiB): 8 vCPUs and 32 GiB hold 7; 64 vCPUs and 256 GiB hold 57", () => {
    assert.deepStrictEqual(AGENT, { cpuMillicores: 1000, memoryMiB: 1536 });
    assert.strictEqual(
      autoscalerAgentCapacity({ cpuCores: 8, memoryGiB: 32 }, AGENT_NODE_RESERVATION, AGENT),
      7,
    );
    assert.strictEqual(
      autoscalerAgentCapacity({ cpuCores: 64, memoryGiB: 256 }, AGENT_NODE_RESERVATION, AGENT),
      57,
    );
    // Memory binds when it is scarce: 4 GiB less 20 % and 32 MiB hold 2 agents of 1.5 GiB.
    assert.strictEqual(
      autoscalerAgentCapacity({ cpuCores: 64, memoryGiB: 4 }, AGENT_NODE_RESERVATION, AGENT),
      2,
    );
  });
});

describe("agent namespace quota limits", () => {
  it("keep each check pod's limits within the quota's factor of its requests", () => {
    for (const [limits, requests] of [
      [SMOKE_LIMITS, SMOKE_REQUEST],
      [AGENT_PATH_CHECK_REQUEST, AGENT_PATH_CHECK_REQUEST], // the path check's limits are its requests
    ]) {
      assert.ok(limits.cpuMillicores <= QUOTA_LIMITS_PER_REQUEST * requests.cpuMillicores);
      assert.ok(limits.memoryMiB <= QUOTA_LIMITS_PER_REQUEST * requests.memoryMiB);
    }
  });

  it("leave room for both check pods at their limits when agents fill the cap using limits of twice their requests", () => {
    const checks = {
      cpuMillicores: SMOKE_LIMITS.cpuMillicores + AGENT_PATH_CHECK_REQUEST.cpuMillicores,
      memoryMiB: SMOKE_LIMITS.memoryMiB + AGENT_PATH_CHECK_REQUEST.memoryMiB,
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 512 }),
        fc.integer({ min: 1, max: 2048 }),
        fc.integer({ min: 100, max: 8000 }),
        fc.integer({ min: 128, max: 32768 }),
        (cpuCores, memoryGiB, agentCpu, agentMemory) => {
          const agent = { cpuMillicores: agentCpu, memoryMiB: agentMemory };
          const agents = agentCapacity({ cpuCores, memoryGiB, pods: 100000 }, namespaceReservation(), agent);
          const cpuLeft = QUOTA_LIMITS_PER_REQUEST * (cpuCores * 1000 - agents * agentCpu);
          const memoryLeft = QUOTA_LIMITS_PER_REQUEST * (memoryGiB * 1024 - agents * agentMemory);
          return cpuLeft >= checks.cpuMillicores && memoryLeft >= checks.memoryMiB;
        },
      ),
    );
  });
});

describe("agent NodePool and EC2NodeClass", () => {
  const nodesArb: fc.Arbitrary<AgentNodesConfig> = fc.record({
    cpuLimit: fc.integer({ min: 1, max: 100000 }),
    memoryLimitGiB: fc.integer({ min: 1, max: 1000000 }),
    instanceCategories: fc.uniqueArray(fc.constantFrom("c", "m", "r", "t", "i"), { minLength: 1 }),
    instanceFamilies: fc.uniqueArray(fc.constantFrom("m6i", "m7g", "c7gn", "r6id", "t3a", "m7i-flex"), {
      maxLength: 4,
    }),
    architectures: fc.uniqueArray(fc.constantFrom("amd64", "arm64"), { minLength: 1 }),
    spot: fc.boolean(),
    consolidateAfterMinutes: fc.integer({ min: 1, max: 1440 }),
    expireAfterHours: fc.integer({ min: 1, max: 8760 }),
    terminationGracePeriodMinutes: fc.integer({ min: 1, max: 10080 }),
    diskSizeGiB: fc.integer({ min: 20, max: 16384 }),
    amiAlias: fc.constantFrom("al2023@latest", "al2023@v20251120", "bottlerocket@v1.40.0"),
    expectedNodeHoursPerMonth: fc.integer({ min: 0, max: 10000 }),
  });

  it("validates against Karpenter's NodePool schema for every valid setting, with the taint, label and capacity types", () => {
    fc.assert(
      fc.property(nodesArb, (nodes) => {
        const spec = agentNodePoolSpec(nodes);
        validateKubernetesObject({
          apiVersion: "karpenter.sh/v1",
          kind: "NodePool",
          metadata: { name: "agents" },
          spec,
        });
        const requirement = (key: string) =>
          spec.template.spec.requirements.find((r) => r.key === key)?.values;
        assert.deepStrictEqual(
          requirement("karpenter.sh/capacity-type"),
          nodes.spot ? ["spot", "on-demand"] : ["on-demand"],
        );
        assert.deepStrictEqual(requirement("kubernetes.io/arch"), nodes.architectures);
        if (nodes.instanceFamilies.length > 0) {
          assert.deepStrictEqual(requirement("karpenter.k8s.aws/instance-family"), nodes.instanceFamilies);
          assert.strictEqual(requirement("karpenter.k8s.aws/instance-category"), undefined);
        } else {
          assert.deepStrictEqual(
            requirement("karpenter.k8s.aws/instance-category"),
            nodes.instanceCategories,
          );
        }
        assert.deepStrictEqual(spec.template.spec.taints, [
          { key: "jenkins-agent-bridge/agents", value: "true", effect: "NoSchedule" },
        ]);
        assert.deepStrictEqual(spec.limits, {
          cpu: String(nodes.cpuLimit),
          memory: `${nodes.memoryLimitGiB}Gi`,
        });
        assert.strictEqual(spec.disruption.consolidationPolicy, "WhenEmpty");
      }),
      { numRuns: 100 },
    );
  });

  it("validates against Karpenter's EC2NodeClass schema for every valid disk and alias", () => {
    fc.assert(
      fc.property(nodesArb, (nodes) => {
        const spec = agentNodeClassSpec({
          roleName: "agents-autoscaler-nodes-1234567",
          clusterName: "agents-dev",
          diskSizeGiB: nodes.diskSizeGiB,
          amiAlias: nodes.amiAlias,
          tags: { Project: "p", Name: "x", Tier: "y" },
        });
        validateKubernetesObject({
          apiVersion: "karpenter.k8s.aws/v1",
          kind: "EC2NodeClass",
          metadata: { name: "agents" },
          spec,
        });
      }),
      { numRuns: 50 },
    );
  });

  it("is refused by the schema when a duration is malformed (the validation can fail)", () => {
    const spec = agentNodePoolSpec(NODES);
    const broken = { ...spec, disruption: { ...spec.disruption, consolidateAfter: "5 minutes" } };
    assert.throws(
      () =>
        validateKubernetesObject({
          apiVersion: "karpenter.sh/v1",
          kind: "NodePool",
          metadata: { name: "a" },
          spec: broken,
        }),
      /consolidateAfter must match pattern/,
    );
  });

  it("keeps Name and Tier off the node class tags (Karpenter names its nodes)", () => {
    assert.deepStrictEqual(nodeClassTags({ Project: "p", Name: "n", Tier: "t", Stack: "s" }), {
      Project: "p",
      Stack: "s",
    });
  });

  it("runs one Karpenter replica per system node, two at most (required anti-affinity on the hostname)", () => {
    assert.deepStrictEqual([1, 2, 3, 10].map(karpenterReplicas), [1, 2, 2, 2]);
  });
});

describe("system node group", () => {
  const SYSTEM = {
    instanceTypes: ["t3.medium", "t3a.medium"],
    count: 2,
    capacityType: "ON_DEMAND",
    diskSizeGiB: 30,
  } as const;

  it("launches nodes with IMDSv2 only, out of pods' reach, on an encrypted gp3 root volume, in the groups given", () => {
    assert.deepStrictEqual(
      systemNodeLaunchTemplate(SYSTEM, {
        clusterName: "agents-dev",
        securityGroupIds: ["sg-cluster", "sg-system"],
        instanceTags: { Name: "agents-node" },
        tags: { Name: "agents-nodes" },
      }),
      {
        description: "System nodes of agents-dev",
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        vpcSecurityGroupIds: ["sg-cluster", "sg-system"],
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: { volumeSize: 30, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
          },
        ],
        tagSpecifications: [{ resourceType: "instance", tags: { Name: "agents-node" } }],
        tags: { Name: "agents-nodes" },
      },
    );
  });

  it("keeps the configured count as minimum, desired and maximum, labelled as system nodes", () => {
    assert.deepStrictEqual(systemNodeGroupShape(SYSTEM), {
      instanceTypes: ["t3.medium", "t3a.medium"],
      amiType: "AL2023_x86_64_STANDARD",
      capacityType: "ON_DEMAND",
      labels: { "jenkins-agent-bridge/capacity": "system" },
      scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 2 },
      updateConfig: { maxUnavailable: 1 },
    });
  });
});

describe("capacity value rules", () => {
  it("leaves room on agent nodes for the stack's tags beside Karpenter's and the blueprint's (50 a resource)", () => {
    assert.ok(MAX_USER_TAGS + ["Project", "Stack", "ManagedBy"].length + KARPENTER_TAG_KEYS.length <= 50);
  });

  for (const [value, ok] of [
    ["m6i", true],
    ["c7gn", true],
    ["m7i-flex", true],
    ["t3a", true],
    ["m6i.large", false],
    ["6i", false],
    ["M6I", false],
  ] as const) {
    it(`${ok ? "accepts" : "refuses"} instance family ${value}`, () => {
      assert.strictEqual(INSTANCE_FAMILY.test(value), ok);
    });
  }
  for (const [value, ok] of [
    ["al2023@latest", true],
    ["al2023@v20251120", true],
    ["bottlerocket@v1.40.0", true],
    ["al2@latest", false],
    ["windows2022@latest", false],
    ["al2023", false],
    ["al2023@", false],
  ] as const) {
    it(`${ok ? "accepts" : "refuses"} AMI alias ${value}`, () => {
      assert.strictEqual(AMI_ALIAS.test(value), ok);
    });
  }
});
