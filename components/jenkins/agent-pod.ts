/**
 * The Kubernetes cloud's agent pod template, rendered for JCasC from typed settings. Pure.
 *
 * Field names are the Kubernetes plugin's `@DataBoundSetter`s (kubernetes plugin
 * 4423.vb_59f230b_ce53: PodTemplate.java, ContainerTemplate.java, KubernetesCloud.java,
 * GarbageCollection.java); JCasC refuses unknown and deprecated ones, so resources sit on the
 * container templates (the pod template's `resourceRequestCpu`... setters are `@Deprecated`).
 *
 * Every agent pod gets:
 * - a `jnlp` container (the inbound agent) and a `build` container where steps run inside
 *   `container('build')`, each with CPU, memory and ephemeral-storage requests and limits (the
 *   workspace is an emptyDir: the kubelet counts it against the pod's ephemeral-storage limits);
 * - `activeDeadlineSeconds`, so no agent pod outlives its bound;
 * - the agent node selector (a template field) and the agent toleration (in the template's YAML:
 *   the plugin has no toleration field), so agent pods land on agent nodes only, as the agent
 *   namespace's admission policy requires;
 * - the agent service account with `automountServiceAccountToken: false` (no field either).
 */
import { stringify } from "yaml";
import { AGENT_NODE_SELECTOR, AGENT_TOLERATION, DO_NOT_DISRUPT_ANNOTATION } from "../shared/capacity";

/** Name of the cloud's pod template; also the defaults of every pod template a Jenkinsfile declares. */
export const POD_TEMPLATE_NAME = "inbound";
/** Label of the cloud's pod template: `node('kubernetes')` or `agent { label 'kubernetes' }`. */
export const AGENT_LABEL = "kubernetes";
/** Name of the container that runs the inbound agent (the plugin's default agent container name). */
export const AGENT_CONTAINER = "jnlp";
/** Name of the container where build steps run (`container('build') { ... }`). */
export const BUILD_CONTAINER = "build";

/** uid and gid of the `jenkins` user in the inbound-agent image; every container runs as them. */
export const AGENT_UID = 1000;

/**
 * What the inbound agent container gets: enough for remoting and step logs. Its ephemeral storage
 * covers the agent's logs and caches; the workspace is charged to the build container's share.
 */
export const AGENT_CONTAINER_RESOURCES = {
  cpuRequestMillicores: 500,
  cpuLimitMillicores: 1000,
  memoryRequestMiB: 512,
  memoryLimitMiB: 1024,
  ephemeralStorageRequestMiB: 256,
  ephemeralStorageLimitMiB: 1024,
} as const;

/**
 * Below this the plugin raises the orphan timeout anyway (GarbageCollection.MINIMUM_GC_TIMEOUT,
 * kubernetes plugin GarbageCollection.java).
 */
export const MIN_ORPHAN_TIMEOUT_SECONDS = 120;

/** Requests and limits of one container, in millicores and MiB. */
export interface ContainerResources {
  readonly cpuRequestMillicores: number;
  readonly cpuLimitMillicores: number;
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number;
  readonly ephemeralStorageRequestMiB: number;
  readonly ephemeralStorageLimitMiB: number;
}

/** What a stack sets about its agent pods (the `agentPod` config object). */
export interface AgentPodSettings {
  /** Image of the `build` container. */
  readonly buildImage: string;
  /** Requests and limits of the `build` container. */
  readonly build: ContainerResources;
  /** Seconds an agent pod may run before Kubernetes stops it (`spec.activeDeadlineSeconds`). */
  readonly activeDeadlineSeconds: number;
  /** Seconds after which the cloud deletes an agent pod that no live agent refreshes (orphan GC). */
  readonly orphanTimeoutSeconds: number;
}

/** Where the pod template runs and as whom. */
export interface PodTemplateInputs {
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Inbound agent image (the `jnlp` container). */
  readonly agentImage: string;
  readonly settings: AgentPodSettings;
}

/** Kubernetes CPU quantity: whole cores as `2`, otherwise millicores as `500m`. */
export function cpuQuantity(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

/** Kubernetes byte quantity: whole GiB as `2Gi`, otherwise `512Mi`. */
export function mebibytesQuantity(mebibytes: number): string {
  return mebibytes % 1024 === 0 ? `${mebibytes / 1024}Gi` : `${mebibytes}Mi`;
}

/** A container template's resource fields (ContainerTemplate setters). */
function resourceFields(r: ContainerResources): Record<string, string> {
  return {
    resourceRequestCpu: cpuQuantity(r.cpuRequestMillicores),
    resourceRequestMemory: mebibytesQuantity(r.memoryRequestMiB),
    resourceRequestEphemeralStorage: mebibytesQuantity(r.ephemeralStorageRequestMiB),
    resourceLimitCpu: cpuQuantity(r.cpuLimitMillicores),
    resourceLimitMemory: mebibytesQuantity(r.memoryLimitMiB),
    resourceLimitEphemeralStorage: mebibytesQuantity(r.ephemeralStorageLimitMiB),
  };
}

/** What one agent pod asks of the namespace in total: the `jnlp` and `build` containers together. */
export function agentPodTotals(settings: AgentPodSettings): ContainerResources {
  const a = AGENT_CONTAINER_RESOURCES;
  const b = settings.build;
  return {
    cpuRequestMillicores: a.cpuRequestMillicores + b.cpuRequestMillicores,
    cpuLimitMillicores: a.cpuLimitMillicores + b.cpuLimitMillicores,
    memoryRequestMiB: a.memoryRequestMiB + b.memoryRequestMiB,
    memoryLimitMiB: a.memoryLimitMiB + b.memoryLimitMiB,
    ephemeralStorageRequestMiB: a.ephemeralStorageRequestMiB + b.ephemeralStorageRequestMiB,
    ephemeralStorageLimitMiB: a.ephemeralStorageLimitMiB + b.ephemeralStorageLimitMiB,
  };
}

/** The agent pod's requests, as the namespace quota counts them. */
export function agentPodRequest(settings: AgentPodSettings): { cpuMillicores: number; memoryMiB: number } {
  const t = agentPodTotals(settings);
  return { cpuMillicores: t.cpuRequestMillicores, memoryMiB: t.memoryRequestMiB };
}

/** The plugin's node selector text: `key=value` pairs joined by commas (PodTemplateBuilder). */
export function nodeSelectorText(selector: Readonly<Record<string, string>>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/**
 * The pod spec fragment the template's fields cannot express, merged by the plugin into every pod
 * it builds from this template (PodTemplateUtils.combine keeps the fragment's
 * `automountServiceAccountToken` and adds its tolerations).
 */
export function podYaml(): string {
  return stringify(
    {
      apiVersion: "v1",
      kind: "Pod",
      spec: { automountServiceAccountToken: false, tolerations: [{ ...AGENT_TOLERATION }] },
    },
    { lineWidth: 0 },
  );
}

/** The pod template as JCasC data (one entry of the cloud's `templates`). */
export function podTemplateDocument(inputs: PodTemplateInputs): Record<string, unknown> {
  const { settings } = inputs;
  return {
    name: POD_TEMPLATE_NAME,
    label: AGENT_LABEL,
    namespace: inputs.namespace,
    serviceAccount: inputs.serviceAccount,
    nodeSelector: nodeSelectorText(AGENT_NODE_SELECTOR),
    // Every agent pod (templates of Jenkinsfiles inherit this one): Karpenter never drains a node
    // for drift or consolidation while a build runs on it.
    annotations: Object.entries(DO_NOT_DISRUPT_ANNOTATION).map(([key, value]) => ({ key, value })),
    activeDeadlineSeconds: settings.activeDeadlineSeconds,
    // The inbound-agent image names its user (jenkins); with runAsNonRoot the kubelet needs the
    // number to verify it is not root. The build container runs as the same user.
    runAsUser: String(AGENT_UID),
    runAsGroup: String(AGENT_UID),
    yaml: podYaml(),
    containers: [
      {
        name: AGENT_CONTAINER,
        image: inputs.agentImage,
        ...resourceFields(AGENT_CONTAINER_RESOURCES),
      },
      {
        name: BUILD_CONTAINER,
        image: settings.buildImage,
        // Kept alive by a `cat` on a terminal, the plugin's own pattern, until the agent ends.
        command: "cat",
        ttyEnabled: true,
        ...resourceFields(settings.build),
      },
    ],
  };
}

/**
 * The cloud's settings that concern agent pods: every pod template (also those a Jenkinsfile
 * declares) inherits from this one (`defaultsProviderTemplate`), and the cloud deletes pods that no
 * live agent refreshes within the timeout, such as pods left behind by a controller restart
 * (`garbageCollection`; it looks only at pods labelled with this controller's URL).
 */
export function cloudPodSettings(settings: AgentPodSettings): Record<string, unknown> {
  return {
    defaultsProviderTemplate: POD_TEMPLATE_NAME,
    garbageCollection: { timeout: settings.orphanTimeoutSeconds },
  };
}
