/**
 * What the smoke Job and the scheduled agent path check both run: a shell script from a
 * ConfigMap, once, in a pod the agent namespace's admission policy admits (the agent service
 * account without a token, agent nodes only) under Pod Security `restricted`.
 */
import { agentPodPlacement, restrictedSecurity } from "../cluster/plan";

/** One check run: its pod, its container and the ConfigMap it reads its script from. */
export interface CheckRun {
  /** Labels of the pod. */
  readonly podLabels: Record<string, string>;
  /** The run gives up after this long. */
  readonly deadlineSeconds: number;
  /** A finished run's Job is kept this long. */
  readonly keepSeconds: number;
  /** The pod's and the container's security contexts. */
  readonly security: ReturnType<typeof restrictedSecurity>;
  readonly container: {
    readonly name: string;
    readonly image: string;
    /** The script `/bin/sh` runs, under `mountPath`. */
    readonly script: string;
    readonly env?: readonly Record<string, string>[];
    readonly resources: Record<string, unknown>;
  };
  /** The ConfigMap with the script (and the CA), mounted read-only as volume `volume`. */
  readonly configMap: { readonly name: string; readonly volume: string; readonly mountPath: string };
}

/** The spec of a Job (or of a CronJob's job template) that runs the check once, without retries. */
export function checkJobSpec(run: CheckRun): Record<string, unknown> {
  const c = run.container;
  return {
    backoffLimit: 0,
    activeDeadlineSeconds: run.deadlineSeconds,
    ttlSecondsAfterFinished: run.keepSeconds,
    template: {
      metadata: { labels: run.podLabels },
      spec: {
        restartPolicy: "Never",
        ...agentPodPlacement(),
        securityContext: run.security.pod,
        containers: [
          {
            name: c.name,
            image: c.image,
            imagePullPolicy: "IfNotPresent",
            command: ["/bin/sh", `${run.configMap.mountPath}/${c.script}`],
            ...(c.env ? { env: c.env } : {}),
            securityContext: { ...run.security.container },
            resources: c.resources,
            volumeMounts: [
              { name: run.configMap.volume, mountPath: run.configMap.mountPath, readOnly: true },
            ],
          },
        ],
        volumes: [
          { name: run.configMap.volume, configMap: { name: run.configMap.name, defaultMode: 0o444 } },
        ],
      },
    },
  };
}

/** The ConfigMap of a check: its scripts, and the gateway's CA when the agent URL needs it. */
export function checkConfigMap(
  metadata: Record<string, unknown>,
  scripts: Record<string, string>,
  caPem: string | undefined,
): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata,
    data: { ...scripts, ...(caPem ? { "ca.pem": caPem } : {}) },
  };
}
