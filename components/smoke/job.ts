/**
 * The post-deploy smoke check: a Kubernetes Job in the agent namespace that goes where agents go
 * and checks what they depend on, rendered by plain functions from a stack's outputs.
 *
 * - `GET <agent URL>login` answers 200: through the proxy (websocket) or the endpoint (tcp), over
 *   PrivateLink to the controller. It is asked again until the deadline, since `pulumi up` returns
 *   while a replaced controller task is still starting;
 * - the WebSocket handshake of an unknown agent at `<agent URL>wsagents/` comes back as Jenkins'
 *   own refusal, not a proxy or load balancer error (agent-path-check.sh, also run on a schedule);
 * - websocket: the proxy refuses any other path (403); the gateway's TLS port at the controller's
 *   private name answers (the control), and nothing answers on the JNLP port there;
 * - tcp: the JNLP port at the private name answers.
 *
 * The Job's own NetworkPolicy lets its pod (selected by a random run ID as well as the smoke
 * labels, so a build that copies the labels gains nothing) try both ports at the endpoint.
 * Because the control port must answer through the same path, a JNLP port that does not answer
 * is refused beyond the cluster (no listener, and the endpoint's security group), not by a
 * policy in front of the pod.
 * Everything it creates carries the smoke label and is deleted after the run.
 */
import { randomBytes } from "crypto";
import { stringify } from "yaml";
import { restrictedSecurity } from "../cluster/plan";
import { TLS_PORT } from "../gateway/plan";
import { JENKINS_AGENT_PORT, Transport } from "../shared/jenkins";
import { appLabels } from "../shared/labels";
import { AGENT_PATH_CHECK_SCRIPT, agentPathCheckScript, RESULT_PREFIX } from "./agent-path-check";
import { checkConfigMap, checkJobSpec } from "./check-job";

/** Name and label value of the smoke check's objects. */
export const SMOKE_NAME = "jenkins-smoke";
/** Labels of the smoke check's objects and pod. */
export const SMOKE_LABELS = appLabels(SMOKE_NAME);
/** curl on Alpine, runs as an unprivileged user; pinned. */
export const SMOKE_IMAGE = "curlimages/curl:8.17.0";
/** The curl image's user and group. */
export const SMOKE_UID = 100;
export const SMOKE_GID = 101;
/**
 * The Job gives up after this long: the controller may take its health-check grace period (600 s by
 * default) to come back after `pulumi up` replaces its task.
 */
export const SMOKE_DEADLINE_SECONDS = 900;
/** What the check's pod requests; the agent namespace's quota keeps room for it. */
export const SMOKE_REQUEST = { cpuMillicores: 50, memoryMiB: 32 } as const;
/**
 * What the check's pod may use: at most the quota's limits per request (cluster/plan.ts
 * `QUOTA_LIMITS_PER_REQUEST`), so agents at the container cap, whose limits may be twice their
 * requests, leave room in the quota's limits for this pod and the agent path check's together.
 */
export const SMOKE_LIMITS = { cpuMillicores: 100, memoryMiB: 64 } as const;

/** What the smoke check needs to know of a deployed stack. */
export interface SmokeInputs {
  readonly stack: string;
  readonly transport: Transport;
  /** Agent namespace. */
  readonly namespace: string;
  /** The URL agents are given, with a trailing slash. */
  readonly agentUrl: string;
  /** The controller's private name in the agent VPC. */
  readonly privateName: string;
  /** Block of the agent VPC (where the endpoint's addresses are). */
  readonly agentVpcCidr: string;
  /** PEM of the gateway's CA, for an https agent URL. */
  readonly caPem?: string;
  readonly image: string;
  /** The JNLP port probed (50000; a test may point it elsewhere). */
  readonly agentPort?: number;
  /** The control port that must answer in websocket mode (the gateway's TLS port, 443; a test may point it elsewhere). */
  readonly controlPort?: number;
  /** Seconds `/login` is retried before the check fails, and between tries (a test may shorten them). */
  readonly loginWaitSeconds?: number;
  readonly loginRetrySeconds?: number;
  /** Where the script finds its companion files (the ConfigMap's mount; a test may point it elsewhere). */
  readonly scriptDir?: string;
  /**
   * A random value only this run's pod carries (label {@link SMOKE_RUN_LABEL}): the Job's
   * NetworkPolicy selects it too, so a build pod that copies the smoke labels gains nothing. A
   * build cannot learn it: agent pods have no API access.
   */
  readonly runId?: string;
}

/** Label of a smoke run's pod holding its run ID. */
export const SMOKE_RUN_LABEL = "jenkins-agent-bridge/smoke-run";
/** A run ID: 128 random bits, hex (a valid label value). */
export function newRunId(): string {
  return randomBytes(16).toString("hex");
}

const NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const URL = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?\/$/;
const CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

/**
 * Builds the inputs from `pulumi stack output --json` (or a mock run's outputs); one message per
 * missing or malformed output, naming it.
 */
export function smokeInputsFromOutputs(
  stack: string,
  outputs: Record<string, unknown>,
  image = SMOKE_IMAGE,
): { ok: true; inputs: SmokeInputs } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const text = (key: string, pattern: RegExp, expected: string): string => {
    const value = outputs[key];
    if (typeof value !== "string" || !pattern.test(value)) {
      problems.push(`stack output ${key}: got ${JSON.stringify(value)}; expected ${expected}`);
      return "";
    }
    return value;
  };
  const transport = text("transport", /^(websocket|tcp)$/, '"websocket" or "tcp"') as Transport;
  const namespace = text("agentNamespace", NAME, "a Kubernetes namespace name");
  const agentUrl = text("agentUrl", URL, "http(s)://host[:port]/");
  const privateName = text("controllerPrivateName", NAME, "a DNS name");
  const agentVpcCidr = text("agentVpcCidr", CIDR, "an IPv4 CIDR block");
  const needsCa = agentUrl.startsWith("https://");
  const caPem = needsCa
    ? text("gatewayCaCertificatePem", /^-----BEGIN CERTIFICATE-----/, "a PEM certificate")
    : "";
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    inputs: {
      stack,
      transport,
      namespace,
      agentUrl,
      privateName,
      agentVpcCidr,
      image,
      ...(needsCa ? { caPem } : {}),
    },
  };
}

/** The check, a POSIX shell script run by the Job's container (curl and sh only). */
export function smokeScript(inputs: SmokeInputs): string {
  const port = inputs.agentPort ?? JENKINS_AGENT_PORT;
  const tls = inputs.caPem ? " --cacert /smoke/ca.pem" : "";
  const wait = inputs.loginWaitSeconds ?? SMOKE_DEADLINE_SECONDS - 60;
  const retry = inputs.loginRetrySeconds ?? 10;
  const lines = [
    "#!/bin/sh",
    `# Post-deploy smoke check of stack ${inputs.stack} (transport ${inputs.transport}).`,
    "set -u",
    `URL='${inputs.agentUrl}'`,
    `PRIVATE_NAME='${inputs.privateName}'`,
    `AGENT_PORT=${port}`,
    "failures=0",
    'ok() { echo "ok    $*"; }',
    'bad() { echo "FAIL  $*"; failures=$((failures + 1)); }',
    `status() { curl -s -o /dev/null --max-time 15${tls} -w '%{http_code}' "$1"; }`,
    "# answers HOST PORT: yes when a TCP connection opens, no when refused or dropped, dns when the name does not resolve",
    "answers() {",
    `  out=$(curl -s -o /dev/null --connect-timeout 5 --max-time 8 -w '%{time_connect}' "http://$1:$2/")`,
    "  rc=$?",
    '  if [ "$rc" -eq 6 ]; then echo dns; elif [ -z "$out" ] || [ "$out" = "0.000000" ]; then echo no; else echo yes; fi',
    "}",
    "",
    "# The controller may still be starting after pulumi up: ask until it answers or time runs out.",
    `deadline=$(( $(date +%s) + ${wait} ))`,
    'code=$(status "${URL}login")',
    'while [ "$code" != 200 ] && [ "$(date +%s)" -lt "$deadline" ]; do',
    `  echo "wait  GET \${URL}login answered $code; asking again in ${retry} s"`,
    `  sleep ${retry}`,
    '  code=$(status "${URL}login")',
    "done",
    'if [ "$code" = 200 ]; then ok "GET ${URL}login answered 200"; else bad "GET ${URL}login answered $code; expected 200"; fi',
    "# The WebSocket handshake of an unknown agent: Jenkins itself must refuse it.",
    `result=$(AGENT_URL="$URL"${inputs.caPem ? " CA_FILE=/smoke/ca.pem" : ""} sh ${inputs.scriptDir ?? "/smoke"}/${AGENT_PATH_CHECK_SCRIPT})`,
    "case $result in",
    `  "${RESULT_PREFIX} PASS"*) ok "\${result#${RESULT_PREFIX} PASS }" ;;`,
    `  *) bad "\${result#${RESULT_PREFIX} FAIL }" ;;`,
    "esac",
  ];
  if (inputs.transport === "websocket") {
    lines.push(
      `CONTROL_PORT=${inputs.controlPort ?? TLS_PORT}`,
      'code=$(status "${URL}script")',
      'if [ "$code" = 403 ]; then ok "GET ${URL}script refused (403): the proxy passes agent paths only"; else bad "GET ${URL}script answered $code; expected 403 from the proxy"; fi',
      'case $(answers "$PRIVATE_NAME" "$CONTROL_PORT") in',
      "  yes)",
      '    ok "the gateway port $PRIVATE_NAME:$CONTROL_PORT answers (the control)"',
      '    case $(answers "$PRIVATE_NAME" "$AGENT_PORT") in',
      '      no) ok "nothing answers on $PRIVATE_NAME:$AGENT_PORT" ;;',
      '      *) bad "$PRIVATE_NAME:$AGENT_PORT answers; expected nothing in websocket mode" ;;',
      "    esac",
      "    ;;",
      '  no) bad "$PRIVATE_NAME:$CONTROL_PORT does not answer, so a silent $AGENT_PORT proves nothing; check the endpoint and the network policies" ;;',
      '  *) bad "$PRIVATE_NAME does not resolve" ;;',
      "esac",
    );
  } else {
    lines.push(
      'case $(answers "$PRIVATE_NAME" "$AGENT_PORT") in',
      '  yes) ok "the agent port $PRIVATE_NAME:$AGENT_PORT answers" ;;',
      '  no) bad "nothing answers on $PRIVATE_NAME:$AGENT_PORT; expected the agent port in tcp mode" ;;',
      '  *) bad "$PRIVATE_NAME does not resolve" ;;',
      "esac",
    );
  }
  lines.push(
    "",
    'if [ "$failures" -eq 0 ]; then echo "smoke check passed"; exit 0; fi',
    'echo "smoke check failed: $failures problem(s)"',
    "exit 1",
    "",
  );
  return lines.join("\n");
}

/** The check's security contexts (Pod Security `restricted`), as the curl image's user. */
const SMOKE_SECURITY = restrictedSecurity(SMOKE_UID, SMOKE_GID);
/** The restricted security context of the check's container. */
export const SMOKE_CONTAINER_SECURITY = SMOKE_SECURITY.container;

/** The objects of one smoke run, in apply order: NetworkPolicy, ConfigMap, Job. */
export function smokeManifests(inputs: SmokeInputs): Record<string, unknown>[] {
  const metadata = { name: SMOKE_NAME, namespace: inputs.namespace, labels: { ...SMOKE_LABELS } };
  const port = inputs.agentPort ?? JENKINS_AGENT_PORT;
  const podLabels = () => ({ ...SMOKE_LABELS, ...(inputs.runId ? { [SMOKE_RUN_LABEL]: inputs.runId } : {}) });
  return [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata,
      spec: {
        podSelector: { matchLabels: podLabels() },
        policyTypes: ["Egress"],
        // Added to the namespace's agent policy (DNS, the proxy or the endpoint's agent ports): the
        // JNLP port and the control port at the endpoint, so that AWS is what answers or refuses.
        egress: [
          {
            to: [{ ipBlock: { cidr: inputs.agentVpcCidr } }],
            ports: [
              { protocol: "TCP", port },
              ...(inputs.transport === "websocket"
                ? [{ protocol: "TCP", port: inputs.controlPort ?? TLS_PORT }]
                : []),
            ],
          },
        ],
      },
    },
    checkConfigMap(
      metadata,
      { "check.sh": smokeScript(inputs), [AGENT_PATH_CHECK_SCRIPT]: agentPathCheckScript() },
      inputs.caPem,
    ),
    {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata,
      spec: checkJobSpec({
        podLabels: podLabels(),
        deadlineSeconds: SMOKE_DEADLINE_SECONDS,
        keepSeconds: 600,
        security: SMOKE_SECURITY,
        container: {
          name: "check",
          image: inputs.image,
          script: "check.sh",
          resources: {
            requests: { cpu: `${SMOKE_REQUEST.cpuMillicores}m`, memory: `${SMOKE_REQUEST.memoryMiB}Mi` },
            limits: { cpu: `${SMOKE_LIMITS.cpuMillicores}m`, memory: `${SMOKE_LIMITS.memoryMiB}Mi` },
          },
        },
        configMap: { name: SMOKE_NAME, volume: "smoke", mountPath: "/smoke" },
      }),
    },
  ];
}

/** The manifests as one multi-document YAML, for `kubectl apply -f -`. */
export function smokeYaml(inputs: SmokeInputs): string {
  return smokeManifests(inputs)
    .map((m) => stringify(m, { lineWidth: 0 }))
    .join("---\n");
}
