/**
 * The agent pod template's pure pieces and the `agentPod` configuration: quantities, totals, the
 * rendered template, and one-line refusals of settings Kubernetes or the quota would refuse.
 */
import * as assert from "assert";
import { parse } from "yaml";
import {
  AGENT_CONTAINER_RESOURCES,
  agentPodRequest,
  agentPodTotals,
  cloudPodSettings,
  cpuQuantity,
  mebibytesQuantity,
  nodeSelectorText,
  podTemplateDocument,
} from "../../components/jenkins/agent-pod";
import { AGENT_NODE_SELECTOR, AGENT_TOLERATION } from "../../components/shared/capacity";
import { AGENT_POD_DEFAULTS, defaultAgentPodSettings } from "../../config/agent-pod";
import { decodeStated } from "../harness/config";
import { parseStackConfig } from "../../config/stack-config";
import { BUILD_IMAGE, JENKINS_PLUGINS } from "../../components/shared/versions";
import { checkPodSecurity } from "../../policy/policies/pod-security-restricted";
import { agentPodValidations, STANDARD_TOLERATION_KEYS } from "../../components/cluster/admission";
import { agentPodAsBuilt, defaultJcasc } from "../harness/agent-pod";
import { denials } from "../harness/cel";
import { validateKubernetesObject } from "../harness/kubernetes-schema";

const parseWith = (values: Record<string, string>) =>
  parseStackConfig(decodeStated({ "aws:region": "us-east-1", ...values }));
const problemsOf = (values: Record<string, string>) => {
  const result = parseWith(values);
  return result.ok ? [] : result.problems;
};

describe("agent pod template", () => {
  it("writes Kubernetes quantities in their plain forms", () => {
    assert.deepStrictEqual([500, 1000, 1500, 2000, 10].map(cpuQuantity), ["500m", "1", "1500m", "2", "10m"]);
    assert.deepStrictEqual([512, 1024, 1536, 8192, 16].map(mebibytesQuantity), [
      "512Mi",
      "1Gi",
      "1536Mi",
      "8Gi",
      "16Mi",
    ]);
  });

  it("writes the node selector as the plugin parses it (key=value, comma-separated)", () => {
    assert.strictEqual(nodeSelectorText(AGENT_NODE_SELECTOR), "jenkins-agent-bridge/capacity=agents");
    assert.strictEqual(nodeSelectorText({ a: "1", b: "2" }), "a=1,b=2");
  });

  it("counts both containers in what an agent pod asks of the namespace", () => {
    const settings = defaultAgentPodSettings();
    assert.deepStrictEqual(agentPodTotals(settings), {
      cpuRequestMillicores: 1000,
      cpuLimitMillicores: 2000,
      memoryRequestMiB: 1536,
      memoryLimitMiB: 3072,
      ephemeralStorageRequestMiB: 2304,
      ephemeralStorageLimitMiB: 9216,
    });
    assert.deepStrictEqual(agentPodRequest(settings), { cpuMillicores: 1000, memoryMiB: 1536 });
    assert.deepStrictEqual(AGENT_CONTAINER_RESOURCES.cpuRequestMillicores, 500);
  });

  it("turns orphan collection on and makes the template every template's defaults", () => {
    assert.deepStrictEqual(cloudPodSettings(defaultAgentPodSettings()), {
      defaultsProviderTemplate: "inbound",
      garbageCollection: { timeout: 300 },
    });
  });

  it("renders the default template with the pinned build image, the deadline and the placement", () => {
    const template = podTemplateDocument({
      namespace: "ns",
      serviceAccount: "jenkins-agent",
      agentImage: "jenkins/inbound-agent:1",
      settings: defaultAgentPodSettings(),
    }) as Record<string, unknown> & { containers: Record<string, unknown>[]; yaml: string };
    assert.strictEqual(template.activeDeadlineSeconds, 10800);
    assert.strictEqual(template.nodeSelector, "jenkins-agent-bridge/capacity=agents");
    assert.deepStrictEqual(
      template.containers.map((c) => [c.name, c.image]),
      [
        ["jnlp", "jenkins/inbound-agent:1"],
        ["build", BUILD_IMAGE],
      ],
    );
    assert.deepStrictEqual(
      template.containers.map((c) => [c.resourceRequestEphemeralStorage, c.resourceLimitEphemeralStorage]),
      [
        ["256Mi", "1Gi"],
        ["2Gi", "8Gi"],
      ],
    );
    const spec = parse(template.yaml).spec;
    assert.deepStrictEqual(spec, {
      automountServiceAccountToken: false,
      tolerations: [{ ...AGENT_TOLERATION }],
    });
    // Nothing a pod could use to leave its place: no host namespaces, no privilege, no volumes.
    for (const key of ["hostNetwork", "privileged", "volumes", "workspaceVolume", "supplementalGroups"]) {
      assert.strictEqual(template[key], undefined, key);
    }
    for (const container of template.containers) {
      assert.strictEqual(container.privileged, undefined);
      assert.strictEqual(container.runAsUser, undefined, "containers run as the pod's user (1000)");
    }
  });
});

describe("agentPod configuration", () => {
  it("takes the defaults when the stack sets nothing", () => {
    const result = parseWith({});
    assert.ok(result.ok);
    assert.deepStrictEqual(result.config.agentPod, { buildImage: BUILD_IMAGE, ...AGENT_POD_DEFAULTS });
  });

  it("refuses a limit below its request, naming the key, the value and what is accepted", () => {
    assert.deepStrictEqual(
      problemsOf({
        "jenkins-agent-bridge:agentPod":
          '{"buildCpuRequestMillicores":1000,"buildCpuLimitMillicores":800,"buildEphemeralStorageRequestMiB":4096,"buildEphemeralStorageLimitMiB":1024}',
      }),
      [
        "jenkins-agent-bridge:agentPod.buildCpuLimitMillicores: got 800 below agentPod.buildCpuRequestMillicores 1000; expected a limit of at least the request (Kubernetes refuses a request above its limit)",
        "jenkins-agent-bridge:agentPod.buildEphemeralStorageLimitMiB: got 1024 below agentPod.buildEphemeralStorageRequestMiB 4096; expected a limit of at least the request (Kubernetes refuses a request above its limit)",
      ],
    );
  });

  it("refuses CPU and memory limits above twice the request (the quota's limits are twice its requests)", () => {
    assert.deepStrictEqual(
      problemsOf({
        "jenkins-agent-bridge:agentPod": '{"buildMemoryRequestMiB":1024,"buildMemoryLimitMiB":4096}',
      }),
      [
        "jenkins-agent-bridge:agentPod.buildMemoryLimitMiB: got 4096 above twice agentPod.buildMemoryRequestMiB 1024; expected at most 2048 (the agent namespace's quota allows limits of twice its requests)",
      ],
    );
    // Ephemeral storage has no quota here: any limit at or above the request is fine.
    assert.deepStrictEqual(
      problemsOf({
        "jenkins-agent-bridge:agentPod":
          '{"buildEphemeralStorageRequestMiB":1024,"buildEphemeralStorageLimitMiB":65536}',
      }),
      [],
    );
  });

  it("refuses a deadline shorter than the pipeline check, an orphan timeout the plugin would raise, and unpinned images", () => {
    assert.deepStrictEqual(
      problemsOf({
        "jenkins-agent-bridge:agentPod":
          '{"activeDeadlineSeconds":0,"orphanTimeoutSeconds":60,"buildImage":"alpine","buildCpuLimitMilicores":1}',
      }),
      [
        "jenkins-agent-bridge:agentPod.buildCpuLimitMilicores: unknown key (got 1); did you mean jenkins-agent-bridge:agentPod.buildCpuLimitMillicores?",
        'jenkins-agent-bridge:agentPod.buildImage: got "alpine"; expected an image reference with a pinned tag or digest (pin a version tag or a digest, not latest)',
        "jenkins-agent-bridge:agentPod.activeDeadlineSeconds: got 0; expected an integer from 900 to 2147483647",
        "jenkins-agent-bridge:agentPod.orphanTimeoutSeconds: got 60; expected an integer from 120 to 604800",
      ],
    );
  });

  it("sizes the quota check by the whole agent pod", () => {
    assert.deepStrictEqual(
      problemsOf({
        "jenkins-agent-bridge:agentCluster": '{"quotaCpuCores":2,"quotaMemoryGiB":2,"quotaPods":10}',
        "jenkins-agent-bridge:agentPod": '{"buildCpuRequestMillicores":2000,"buildCpuLimitMillicores":2000}',
      }),
      [
        "jenkins-agent-bridge:agentCluster.quotaPods: got a quota (10 pods, 2 cores, 2 GiB) with no room for one agent (2500m, 1536 MiB) beside the smoke and agent path checks; expected a larger quota",
      ],
    );
  });

  it("requires the job-dsl plugin, which the configuration's jobs: element needs", () => {
    assert.ok(JENKINS_PLUGINS.some((p) => p.startsWith("job-dsl:")));
    assert.deepStrictEqual(
      problemsOf({
        "jenkins-agent-bridge:controller": JSON.stringify({
          plugins: JENKINS_PLUGINS.filter((p) => !p.startsWith("job-dsl:")),
        }),
      }),
      [
        "jenkins-agent-bridge:controller.plugins: got a list without job-dsl; expected job-dsl:<version> in it (the configuration defines the pipeline check's job with its jobs: element, which JCasC refuses without the plugin)",
      ],
    );
  });
});

/** Kubernetes quantities of the forms the template writes, in base units (cores or bytes). */
function quantity(q: string): number {
  const m = /^(\d+)(m|Mi|Gi)?$/.exec(q);
  assert.ok(m, `quantity ${q}`);
  const n = Number(m[1]);
  return m[2] === "m" ? n / 1000 : m[2] === "Mi" ? n * 2 ** 20 : m[2] === "Gi" ? n * 2 ** 30 : n;
}

describe("the agent pod the plugin builds from the template", () => {
  for (const transport of ["websocket", "tcp"] as const) {
    // The cloud and its template exactly as the controller's JCasC renders them.
    const cloud = defaultJcasc(transport).jenkins.clouds[0].kubernetes;
    const pod = agentPodAsBuilt(cloud.templates[0], cloud) as {
      spec: Record<string, unknown> & { containers: Record<string, unknown>[] };
    };

    it(`is a valid Pod that the restricted profile admits (${transport})`, () => {
      validateKubernetesObject(pod);
      // The policy pack's check of the restricted profile, which the agent namespace enforces.
      assert.deepStrictEqual(
        checkPodSecurity({ type: "kubernetes:core/v1:Pod", name: "agent", props: pod }).map((v) => v.message),
        [],
      );
    });

    it(`is admitted by the agent namespace's admission policy, as created and after defaulting (${transport})`, () => {
      const validations = agentPodValidations("jenkins-agent");
      assert.deepStrictEqual(denials(validations, pod), []);
      // The API server's DefaultTolerationSeconds adds these before validating admission.
      const defaulted = JSON.parse(JSON.stringify(pod));
      defaulted.spec.tolerations.push(
        ...STANDARD_TOLERATION_KEYS.map((key) => ({
          key,
          operator: "Exists",
          effect: "NoExecute",
          tolerationSeconds: 300,
        })),
      );
      assert.deepStrictEqual(denials(validations, defaulted), []);
    });

    it(`lands on agent nodes only, without a token, within its deadline (${transport})`, () => {
      assert.deepStrictEqual(pod.spec.nodeSelector, { ...AGENT_NODE_SELECTOR });
      assert.deepStrictEqual(pod.spec.tolerations, [{ ...AGENT_TOLERATION }]);
      assert.strictEqual(pod.spec.automountServiceAccountToken, false);
      assert.strictEqual(pod.spec.serviceAccountName, "jenkins-agent");
      assert.strictEqual(pod.spec.activeDeadlineSeconds, 10800);
      assert.deepStrictEqual(pod.spec.securityContext, { runAsUser: 1000, runAsGroup: 1000 });
    });

    it(`sets requests at most the limits for cpu, memory and ephemeral storage in every container (${transport})`, () => {
      for (const c of pod.spec.containers) {
        const { requests, limits } = c.resources as {
          requests: Record<string, string>;
          limits: Record<string, string>;
        };
        assert.deepStrictEqual(
          Object.keys(requests).sort(),
          ["cpu", "ephemeral-storage", "memory"],
          String(c.name),
        );
        assert.deepStrictEqual(
          Object.keys(limits).sort(),
          ["cpu", "ephemeral-storage", "memory"],
          String(c.name),
        );
        for (const name of Object.keys(requests)) {
          assert.ok(quantity(requests[name]) <= quantity(limits[name]), `${String(c.name)} ${name}`);
        }
      }
    });

    it(`connects the agent over the stack's transport (${transport})`, () => {
      const env = Object.fromEntries(
        (pod.spec.containers[0].env as { name: string; value: string }[]).map((e) => [e.name, e.value]),
      );
      assert.strictEqual(env.JENKINS_URL, cloud.jenkinsUrl);
      assert.strictEqual(env.JENKINS_WEB_SOCKET, transport === "websocket" ? "true" : undefined);
      assert.strictEqual(
        env.JENKINS_TUNNEL,
        transport === "tcp" ? "jenkins.tcp.ci.internal:50000" : undefined,
      );
    });
  }
});
