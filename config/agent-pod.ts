/**
 * The `agentPod` keys (the agent pod template's build container, deadline and orphan collection)
 * and the checks that span them. Components take the settings through {@link agentPodSettings}.
 */
import { AgentPodSettings, MIN_ORPHAN_TIMEOUT_SECONDS } from "../components/jenkins/agent-pod";
import { PIPELINE_TIMEOUT_MINUTES } from "../components/jenkins/pipeline-job";
import { QUOTA_LIMITS_PER_REQUEST } from "../components/cluster/plan";
import { imageProblem } from "./checks";
import { configKey } from "./keys";
import { checked, int, object, Problems } from "./schema";
import { BUILD_IMAGE } from "../components/shared/versions";

/** Defaults of the build container: half a core and 1 GiB asked, twice that allowed. */
export const AGENT_POD_DEFAULTS = {
  buildCpuRequestMillicores: 500,
  buildCpuLimitMillicores: 1000,
  buildMemoryRequestMiB: 1024,
  buildMemoryLimitMiB: 2048,
  buildEphemeralStorageRequestMiB: 2048,
  buildEphemeralStorageLimitMiB: 8192,
  activeDeadlineSeconds: 10800,
  orphanTimeoutSeconds: 300,
} as const;

const millicores = (doc: string, value: number) => int({ doc, default: value, min: 10, max: 64000 });
const mebibytes = (doc: string, value: number, max: number) => int({ doc, default: value, min: 16, max });

/** The plugin behind JCasC's `jobs:` element. */
export const JOB_DSL_PLUGIN = "job-dsl";

/** The schema of `agentPod`. */
export const AGENT_POD_SCHEMA = object(
  "Agent pods: the pod template's build container, its resources, and how long pods may live.",
  {
    buildImage: checked("image", {
      doc: "Image of the pod template's `build` container, where steps inside `container('build')` run (a shell is needed).",
      default: BUILD_IMAGE,
      accepted: "an image reference with a pinned tag or digest",
      check: imageProblem,
    }),
    buildCpuRequestMillicores: millicores(
      "CPU the build container requests, millicores (the agent container adds 500).",
      AGENT_POD_DEFAULTS.buildCpuRequestMillicores,
    ),
    buildCpuLimitMillicores: millicores(
      "CPU limit of the build container, millicores: at least the request, at most twice it.",
      AGENT_POD_DEFAULTS.buildCpuLimitMillicores,
    ),
    buildMemoryRequestMiB: mebibytes(
      "Memory the build container requests, MiB (the agent container adds 512).",
      AGENT_POD_DEFAULTS.buildMemoryRequestMiB,
      262144,
    ),
    buildMemoryLimitMiB: mebibytes(
      "Memory limit of the build container, MiB: at least the request, at most twice it.",
      AGENT_POD_DEFAULTS.buildMemoryLimitMiB,
      262144,
    ),
    buildEphemeralStorageRequestMiB: mebibytes(
      "Ephemeral storage the build container requests, MiB; the workspace (an emptyDir) counts against it.",
      AGENT_POD_DEFAULTS.buildEphemeralStorageRequestMiB,
      1048576,
    ),
    buildEphemeralStorageLimitMiB: mebibytes(
      "Ephemeral storage limit of the build container, MiB: a pod whose workspace and logs outgrow its containers' limits is evicted.",
      AGENT_POD_DEFAULTS.buildEphemeralStorageLimitMiB,
      1048576,
    ),
    activeDeadlineSeconds: int({
      doc: "Seconds an agent pod may run before Kubernetes stops it (its build then fails). At least the pipeline check's timeout.",
      default: AGENT_POD_DEFAULTS.activeDeadlineSeconds,
      // Kubernetes: 1 to 2147483647 (pkg/apis/core/validation, "must be between 1 and
      // 2147483647, inclusive"); below the pipeline check's bound it would cut that check short.
      min: PIPELINE_TIMEOUT_MINUTES * 60,
      max: 2147483647,
    }),
    orphanTimeoutSeconds: int({
      doc: "Seconds after which the Kubernetes cloud deletes an agent pod no live agent refreshes (pods left by a controller restart).",
      default: AGENT_POD_DEFAULTS.orphanTimeoutSeconds,
      // The plugin raises anything lower to its minimum (GarbageCollection.MINIMUM_GC_TIMEOUT).
      min: MIN_ORPHAN_TIMEOUT_SECONDS,
      max: 604800,
    }),
  },
);

/** The parsed `agentPod` object. */
export type AgentPodConfig = ReturnType<(typeof AGENT_POD_SCHEMA)["parse"]>;

/** The pod template's settings from the parsed config. */
export function agentPodSettings(c: AgentPodConfig): AgentPodSettings {
  return {
    buildImage: c.buildImage,
    build: {
      cpuRequestMillicores: c.buildCpuRequestMillicores,
      cpuLimitMillicores: c.buildCpuLimitMillicores,
      memoryRequestMiB: c.buildMemoryRequestMiB,
      memoryLimitMiB: c.buildMemoryLimitMiB,
      ephemeralStorageRequestMiB: c.buildEphemeralStorageRequestMiB,
      ephemeralStorageLimitMiB: c.buildEphemeralStorageLimitMiB,
    },
    activeDeadlineSeconds: c.activeDeadlineSeconds,
    orphanTimeoutSeconds: c.orphanTimeoutSeconds,
  };
}

/** The plugins include job-dsl: the pipeline check's job is defined with JCasC's `jobs:` element. */
export function checkJobDslPlugin(
  config: { readonly controller: { readonly plugins: readonly string[] } },
  problems: Problems,
): void {
  const key = configKey("controller.plugins");
  if (!problems.has(key) && !config.controller.plugins.some((p) => p.startsWith(`${JOB_DSL_PLUGIN}:`))) {
    problems.add(
      key,
      `got a list without ${JOB_DSL_PLUGIN}; expected ${JOB_DSL_PLUGIN}:<version> in it (the configuration defines the pipeline check's job with its jobs: element, which JCasC refuses without the plugin)`,
    );
  }
}

/**
 * Each request at most its limit (Kubernetes refuses the pod otherwise:
 * pkg/apis/core/validation ValidateResourceRequirements, "must be less than or equal to <name>
 * limit"), and CPU and memory limits at most twice the request: the namespace quota allows
 * limits of twice its requests, so the number of agents its requests admit (the cloud's
 * container cap) also fits its limits.
 */
export function checkAgentPodLimits(config: { readonly agentPod: AgentPodConfig }, problems: Problems): void {
  const c = config.agentPod;
  if (problems.has(configKey("agentPod"))) return;
  const pairs = [
    ["buildCpuRequestMillicores", "buildCpuLimitMillicores", true],
    ["buildMemoryRequestMiB", "buildMemoryLimitMiB", true],
    ["buildEphemeralStorageRequestMiB", "buildEphemeralStorageLimitMiB", false],
  ] as const;
  for (const [requestKey, limitKey, quotaBound] of pairs) {
    const [request, limit] = [c[requestKey], c[limitKey]];
    if (limit < request) {
      problems.add(
        configKey(`agentPod.${limitKey}`),
        `got ${limit} below agentPod.${requestKey} ${request}; expected a limit of at least the request (Kubernetes refuses a request above its limit)`,
      );
    } else if (quotaBound && limit > QUOTA_LIMITS_PER_REQUEST * request) {
      problems.add(
        configKey(`agentPod.${limitKey}`),
        `got ${limit} above twice agentPod.${requestKey} ${request}; expected at most ${QUOTA_LIMITS_PER_REQUEST * request} (the agent namespace's quota allows limits of twice its requests)`,
      );
    }
  }
}

/** The pod template's settings when a stack sets no `agentPod` key. */
export function defaultAgentPodSettings(): AgentPodSettings {
  return agentPodSettings(AGENT_POD_SCHEMA.parse(undefined, "agentPod", new Problems()));
}
