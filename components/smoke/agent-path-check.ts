/**
 * The agent path's WebSocket handshake check (agent-path-check.sh), shared by the post-deploy
 * smoke Job and by a CronJob that runs it on a schedule from the agent namespace, restricted like
 * any agent pod: the agent service account without a token, the agent node selector and
 * toleration, Pod Security `restricted`, requests within the namespace's reserved share.
 *
 * The CronJob holds no AWS credential: its result line reaches CloudWatch through the cluster's
 * log shipping (the `amazon-cloudwatch-observability` add-on sends container logs to
 * `/aws/containerinsights/<cluster>/application`), where a metric filter counts it and an alarm
 * watches the count (components/monitoring).
 */
import * as fs from "fs";
import * as path from "path";
import { restrictedSecurity } from "../cluster/plan";
import { appLabels } from "../shared/labels";
import { checkConfigMap, checkJobSpec } from "./check-job";
import { SMOKE_GID, SMOKE_IMAGE, SMOKE_UID } from "./job";

/** The fixed first word of the check's result line (components/smoke/agent-path-check.sh prints it). */
export const RESULT_PREFIX = "AGENT-PATH-CHECK";

/** Name of the scheduled check's objects and its container. */
export const AGENT_PATH_CHECK_NAME = "agent-path-check";
/** Labels of the scheduled check's objects and pods. */
export const AGENT_PATH_CHECK_LABELS = appLabels(AGENT_PATH_CHECK_NAME);
/** What one run's pod requests and may use; the agent namespace's quota keeps room for it. */
export const AGENT_PATH_CHECK_REQUEST = { cpuMillicores: 50, memoryMiB: 32 } as const;
/** A run gives up after this long (the script's own request times out after 20 s). */
export const AGENT_PATH_CHECK_DEADLINE_SECONDS = 120;
/** Where the pod mounts the script (and the gateway CA). */
export const AGENT_PATH_CHECK_DIR = "/agent-path-check";
/** File name of the script in ConfigMaps. */
export const AGENT_PATH_CHECK_SCRIPT = "agent-path-check.sh";

/** The check, one POSIX shell script (curl and sh only), as shipped beside this module. */
export function agentPathCheckScript(): string {
  return fs.readFileSync(path.join(__dirname, AGENT_PATH_CHECK_SCRIPT), "utf8");
}

/** What the scheduled check needs to know of the stack. */
export interface AgentPathCheckInputs {
  /** Agent namespace. */
  readonly namespace: string;
  /** The URL agents are given, with a trailing slash. */
  readonly agentUrl: string;
  /** PEM of the gateway's CA, for an https agent URL. */
  readonly caPem?: string;
  /** Minutes between runs; divides 60. */
  readonly scheduleMinutes: number;
  readonly image?: string;
}

/** The cron schedule of a run every `minutes` minutes (a divisor of 60). */
export function everyMinutes(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 1 || 60 % minutes !== 0) {
    throw new Error(`a schedule every ${minutes} minutes: expected a divisor of 60`);
  }
  return minutes === 1 ? "* * * * *" : minutes === 60 ? "0 * * * *" : `*/${minutes} * * * *`;
}

/** The scheduled check's objects, in apply order: ConfigMap, CronJob. */
export function agentPathCheckManifests(inputs: AgentPathCheckInputs): Record<string, unknown>[] {
  // The curl image's user, as the smoke Job runs it (looked up here: job.ts imports this module).
  const security = restrictedSecurity(SMOKE_UID, SMOKE_GID);
  const metadata = {
    name: AGENT_PATH_CHECK_NAME,
    namespace: inputs.namespace,
    labels: { ...AGENT_PATH_CHECK_LABELS },
  };
  const resources = {
    cpu: `${AGENT_PATH_CHECK_REQUEST.cpuMillicores}m`,
    memory: `${AGENT_PATH_CHECK_REQUEST.memoryMiB}Mi`,
  };
  return [
    checkConfigMap(metadata, { [AGENT_PATH_CHECK_SCRIPT]: agentPathCheckScript() }, inputs.caPem),
    {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata,
      spec: {
        schedule: everyMinutes(inputs.scheduleMinutes),
        concurrencyPolicy: "Forbid",
        startingDeadlineSeconds: 60,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 2,
        jobTemplate: {
          metadata: { labels: { ...AGENT_PATH_CHECK_LABELS } },
          spec: checkJobSpec({
            podLabels: { ...AGENT_PATH_CHECK_LABELS },
            deadlineSeconds: AGENT_PATH_CHECK_DEADLINE_SECONDS,
            keepSeconds: 3600,
            security,
            container: {
              name: AGENT_PATH_CHECK_NAME,
              image: inputs.image ?? SMOKE_IMAGE,
              script: AGENT_PATH_CHECK_SCRIPT,
              env: [
                { name: "AGENT_URL", value: inputs.agentUrl },
                ...(inputs.caPem ? [{ name: "CA_FILE", value: `${AGENT_PATH_CHECK_DIR}/ca.pem` }] : []),
              ],
              resources: { requests: resources, limits: resources },
            },
            configMap: { name: AGENT_PATH_CHECK_NAME, volume: "check", mountPath: AGENT_PATH_CHECK_DIR },
          }),
        },
      },
    },
  ];
}
