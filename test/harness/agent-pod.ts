/**
 * The Pod the Kubernetes plugin creates from the cloud's rendered pod template, built the way the
 * pinned plugin (4423.vb_59f230b_ce53) builds it, so tests can hold it against the Kubernetes API
 * schema, the Pod Security `restricted` profile and the agent namespace's admission rules:
 *
 * - PodTemplateBuilder.build: metadata labels `jenkins/label`, `jenkins/label-digest` and
 *   `kubernetes.jenkins.io/controller`; `activeDeadlineSeconds`; the workspace emptyDir volume
 *   mounted at `/home/jenkins/agent` in every container; `serviceAccountName`; the `nodeSelector`
 *   parsed from `key=value,...`; the template's `runAsUser`/`runAsGroup` on the pod; then the
 *   template's YAML merged in (PodTemplateUtils.combine: the YAML's spec kept, tolerations added);
 * - createContainer: `imagePullPolicy: IfNotPresent`, working dir, command split on spaces, tty,
 *   requests and limits from the container template (cpu, memory, ephemeral-storage);
 * - agentEnvVars on `jnlp`: JENKINS_URL, JENKINS_SECRET, JENKINS_AGENT_NAME, JENKINS_NAME,
 *   JENKINS_AGENT_WORKDIR, and JENKINS_WEB_SOCKET (websocket) or JENKINS_TUNNEL (tcp);
 * - the decorators: DefaultRestartPolicy (`Never`) and, when the cloud asks for it,
 *   RestrictedPssSecurityContextInjector (per container: no privilege escalation, non-root,
 *   RuntimeDefault seccomp, every capability dropped).
 *
 * What this does not prove: that the plugin (or a later version) builds exactly this; it is a
 * model of its source, not the plugin running.
 */
import { parse } from "yaml";
import { renderJcasc } from "../../components/jenkins/jcasc";
import type { Transport } from "../../components/shared/jenkins";
import { defaultAgentPodSettings } from "../../config/agent-pod";

/** The cloud's settings that reach the pod. */
export interface CloudForPod {
  readonly namespace: string;
  readonly jenkinsUrl: string;
  readonly webSocket: boolean;
  readonly jenkinsTunnel?: string;
  /** The cloud's `restrictedPssSecurityContext`: the decorator that secures every container. */
  readonly restrictedPssSecurityContext?: boolean;
}

type Json = Record<string, unknown>;
const WORKDIR = "/home/jenkins/agent";

/** Kubernetes label value the plugin derives from a URL or label (PodTemplateUtils.sanitizeLabel). */
function sanitizeLabel(value: string): string {
  // The last 57 characters (63 less a hyphen and a 5-character suffix), other characters as `_`,
  // a non-alphanumeric first or last character as `x`.
  return value
    .slice(-57)
    .replace(/[^_a-zA-Z0-9-]/g, "_")
    .replace(/^[^a-zA-Z0-9]/, "x")
    .replace(/[^a-zA-Z0-9]$/, "x");
}

/** The agent pod for the rendered template `template` (one entry of the cloud's `templates`). */
export function agentPodAsBuilt(template: Json, cloud: CloudForPod, agentName = "inbound-abc12"): Json {
  const containers = (template.containers as Json[]).map((c) => {
    const resources = (kind: "Request" | "Limit") =>
      Object.fromEntries(
        [
          ["cpu", c[`resource${kind}Cpu`]],
          ["memory", c[`resource${kind}Memory`]],
          ["ephemeral-storage", c[`resource${kind}EphemeralStorage`]],
        ].filter(([, v]) => typeof v === "string" && v !== ""),
      );
    const env =
      c.name === "jnlp"
        ? [
            { name: "JENKINS_URL", value: cloud.jenkinsUrl },
            { name: "JENKINS_SECRET", value: "0".repeat(64) },
            { name: "JENKINS_AGENT_NAME", value: agentName },
            { name: "JENKINS_NAME", value: agentName },
            { name: "JENKINS_AGENT_WORKDIR", value: WORKDIR },
            ...(cloud.webSocket ? [{ name: "JENKINS_WEB_SOCKET", value: "true" }] : []),
            ...(cloud.jenkinsTunnel ? [{ name: "JENKINS_TUNNEL", value: cloud.jenkinsTunnel }] : []),
          ]
        : [];
    return {
      name: c.name,
      image: c.image,
      imagePullPolicy: "IfNotPresent",
      workingDir: WORKDIR,
      volumeMounts: [{ name: "workspace-volume", mountPath: WORKDIR, readOnly: false }],
      ...(env.length ? { env } : {}),
      ...(typeof c.command === "string" && c.command ? { command: c.command.split(" ") } : {}),
      tty: c.ttyEnabled === true,
      resources: { requests: resources("Request"), limits: resources("Limit") },
      ...(cloud.restrictedPssSecurityContext
        ? {
            securityContext: {
              allowPrivilegeEscalation: false,
              runAsNonRoot: true,
              seccompProfile: { type: "RuntimeDefault" },
              capabilities: { drop: ["ALL"] },
            },
          }
        : {}),
    };
  });
  const nodeSelector = Object.fromEntries(
    String(template.nodeSelector ?? "")
      .split(",")
      .filter((s) => s.includes("="))
      .map((s) => s.split("=") as [string, string]),
  );
  const built: Json = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: agentName,
      namespace: template.namespace ?? cloud.namespace,
      labels: {
        "jenkins/label": sanitizeLabel(String(template.label)),
        "jenkins/label-digest": "0".repeat(40),
        "kubernetes.jenkins.io/controller": sanitizeLabel(cloud.jenkinsUrl),
      },
      annotations: { "kubernetes.jenkins.io/last-refresh": "1700000000000" },
    },
    spec: {
      ...(Number(template.activeDeadlineSeconds) > 0
        ? { activeDeadlineSeconds: Number(template.activeDeadlineSeconds) }
        : {}),
      volumes: [{ name: "workspace-volume", emptyDir: { medium: "" } }],
      ...(template.serviceAccount ? { serviceAccountName: template.serviceAccount } : {}),
      nodeSelector,
      containers,
      securityContext: {
        ...(template.runAsUser ? { runAsUser: Number(template.runAsUser) } : {}),
        ...(template.runAsGroup ? { runAsGroup: Number(template.runAsGroup) } : {}),
      },
      restartPolicy: "Never",
    },
  };
  const fragment = typeof template.yaml === "string" ? (parse(template.yaml) as Json) : undefined;
  const fragmentSpec = (fragment?.spec ?? {}) as Json;
  const spec = built.spec as Json;
  return {
    ...built,
    spec: {
      ...fragmentSpec,
      ...spec,
      tolerations: [...((fragmentSpec.tolerations as Json[]) ?? []), ...((spec.tolerations as Json[]) ?? [])],
    },
  };
}

/** The controller's JCasC as data, rendered for a transport with the default agent pod settings. */
export function defaultJcasc(transport: Transport) {
  return parse(
    renderJcasc({
      transport,
      adminUser: "admin",
      url: "https://jenkins.example.com/",
      systemMessage: "m",
      cloud: {
        serverUrl: "https://api",
        serverCertificate: "PEM",
        namespace: "jenkins-agents",
        jenkinsUrl:
          transport === "websocket"
            ? "http://agent-proxy.jenkins-agents.svc.cluster.local:8080/"
            : "http://jenkins.tcp.ci.internal:8080/",
        tunnel: "jenkins.tcp.ci.internal:50000",
        agentImage: "jenkins/inbound-agent:3355.v388858a_47b_33-14-jdk21",
        serviceAccount: "jenkins-agent",
        containerCap: 5,
        pod: defaultAgentPodSettings(),
      },
    }),
  );
}
