/** The one-shot check run shared by the smoke Job and the scheduled agent path check. */
import * as assert from "assert";
import { agentPodPlacement, restrictedSecurity } from "../../components/cluster/plan";
import { checkConfigMap, checkJobSpec } from "../../components/smoke/check-job";

const security = restrictedSecurity(100, 101);
const run = {
  podLabels: { app: "check" },
  deadlineSeconds: 120,
  keepSeconds: 600,
  security,
  container: {
    name: "probe",
    image: "curlimages/curl:8.17.0",
    script: "probe.sh",
    resources: { requests: { cpu: "50m", memory: "32Mi" } },
  },
  configMap: { name: "probe-scripts", volume: "scripts", mountPath: "/scripts" },
};

describe("check runs", () => {
  it("run the script once from its ConfigMap, read-only, as an agent pod under Pod Security restricted", () => {
    assert.deepStrictEqual(checkJobSpec(run), {
      backoffLimit: 0,
      activeDeadlineSeconds: 120,
      ttlSecondsAfterFinished: 600,
      template: {
        metadata: { labels: { app: "check" } },
        spec: {
          restartPolicy: "Never",
          ...agentPodPlacement(),
          securityContext: security.pod,
          containers: [
            {
              name: "probe",
              image: "curlimages/curl:8.17.0",
              imagePullPolicy: "IfNotPresent",
              command: ["/bin/sh", "/scripts/probe.sh"],
              securityContext: security.container,
              resources: { requests: { cpu: "50m", memory: "32Mi" } },
              volumeMounts: [{ name: "scripts", mountPath: "/scripts", readOnly: true }],
            },
          ],
          volumes: [{ name: "scripts", configMap: { name: "probe-scripts", defaultMode: 0o444 } }],
        },
      },
    });
  });

  it("pass the environment given, after the command", () => {
    const env = [{ name: "AGENT_URL", value: "https://jenkins.internal/" }];
    const spec = checkJobSpec({ ...run, container: { ...run.container, env } }) as {
      template: { spec: { containers: Record<string, unknown>[] } };
    };
    const [container] = spec.template.spec.containers;
    assert.deepStrictEqual(container.env, env);
    assert.deepStrictEqual(Object.keys(container).slice(3, 6), ["command", "env", "securityContext"]);
  });

  it("hold the scripts, and the CA only when there is one", () => {
    const metadata = { name: "probe-scripts" };
    assert.deepStrictEqual(checkConfigMap(metadata, { "probe.sh": "exit 0\n" }, undefined), {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata,
      data: { "probe.sh": "exit 0\n" },
    });
    assert.deepStrictEqual(checkConfigMap(metadata, { "probe.sh": "exit 0\n" }, "PEM").data, {
      "probe.sh": "exit 0\n",
      "ca.pem": "PEM",
    });
  });
});
