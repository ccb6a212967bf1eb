/**
 * The pipeline job the controller's configuration defines, which proves the whole agent path: a
 * build that gets an agent pod from the Kubernetes cloud, connects it over the stack's transport,
 * and runs a step in the agent and in the build container. `npm run smoke -- --pipeline` starts
 * it through the Jenkins API. Pure.
 *
 * The job is declared with JCasC's `jobs:` root element (Job DSL plugin, docs/JCasC.md), which runs
 * the Job DSL script at every start, so the job is always the one rendered here. JCasC resolves
 * `${...}` in every value, this script included (SeedJobConfigurator resolves each script through
 * the secret source resolver), so the script never contains that sequence.
 */
import { JENKINS_AGENT_PORT, Transport } from "../shared/jenkins";
import { AGENT_LABEL, BUILD_CONTAINER } from "./agent-pod";

/** Name of the pipeline job (`/job/<name>/`). */
export const PIPELINE_JOB = "agent-bridge-smoke";

/** Minutes the pipeline may take, waiting for a node included (the `timeout` step). */
export const PIPELINE_TIMEOUT_MINUTES = 15;

/** The marker line the pipeline prints when every step ran; the smoke command looks for it. */
export const PIPELINE_DONE_MARKER = "agent-bridge-smoke: done";

/**
 * The line the pipeline's agent step prints for a transport, from the environment the plugin gives
 * the agent container (PodTemplateBuilder: JENKINS_WEB_SOCKET=true for WebSocket agents,
 * JENKINS_TUNNEL=<host>:<agent port> for TCP ones): proof of how the agent connected.
 */
export function transportEvidence(transport: Transport): RegExp {
  return transport === "websocket"
    ? /^agent container: .*; websocket=true tunnel=$/m
    : new RegExp(`^agent container: .*; websocket= tunnel=[a-z0-9.-]+:${JENKINS_AGENT_PORT}$`, "m");
}

/** A Groovy single-quoted string literal holding `text` exactly (no interpolation in Groovy). */
export function groovyString(text: string): string {
  const escaped = text
    .replace(/\\/g, "\\\\")
    .replace(/'/g, "\\'")
    .replace(/\r/g, "\\r")
    .replace(/\n/g, "\\n");
  return `'${escaped}'`;
}

/**
 * A Groovy triple-single-quoted string literal holding `text` exactly, across lines (no
 * interpolation in Groovy): backslashes doubled, and a quote escaped where it would close the
 * literal (in a run of three, or at the end).
 */
export function groovyMultilineString(text: string): string {
  // A quote that starts a run of three, or ends the text, is escaped: no three unescaped quotes
  // then meet, and the closing delimiter stays the only one.
  const escaped = text.replace(/\\/g, "\\\\").replace(/'(?=''|$)/g, "\\'");
  return `'''${escaped}'''`;
}

/**
 * The pipeline (scripted, run in the Groovy sandbox): one agent from the cloud's pod template by
 * its label, a step on the agent, a step in the build container, and the done marker.
 */
export function pipelineScript(transport: Transport): string {
  return [
    `timeout(time: ${PIPELINE_TIMEOUT_MINUTES}, unit: 'MINUTES') {`,
    `  node(${groovyString(AGENT_LABEL)}) {`,
    `    echo 'agent-bridge-smoke: agent ' + env.NODE_NAME + ' connected (transport ${transport})'`,
    // The plugin gives the agent container JENKINS_WEB_SOCKET (websocket) or JENKINS_TUNNEL (tcp).
    `    sh 'echo "agent container: $(id); websocket=$JENKINS_WEB_SOCKET tunnel=$JENKINS_TUNNEL"'`,
    `    container(${groovyString(BUILD_CONTAINER)}) {`,
    `      sh 'echo "build container: $(id)"; df -h .'`,
    `    }`,
    `    echo ${groovyString(PIPELINE_DONE_MARKER)}`,
    `  }`,
    `}`,
    ``,
  ].join("\n");
}

/** The Job DSL script that declares the pipeline job. */
export function pipelineJobDsl(transport: Transport): string {
  return [
    `pipelineJob(${groovyString(PIPELINE_JOB)}) {`,
    `  description(${groovyString(`Defined by the controller configuration: runs one step on a Kubernetes agent (transport ${transport}) to prove the agent path. Started by npm run smoke -- --pipeline.`)})`,
    `  logRotator { numToKeep(20) }`,
    `  definition {`,
    `    cps {`,
    `      script(${groovyMultilineString(pipelineScript(transport))})`,
    `      sandbox()`,
    `    }`,
    `  }`,
    `}`,
    ``,
  ].join("\n");
}

/** JCasC's `jobs:` root element with the pipeline job. */
export function jobsDocument(transport: Transport): { script: string }[] {
  return [{ script: pipelineJobDsl(transport) }];
}
