/**
 * The synthetic agent path check's metric: its namespace and name, and the log filters that count
 * the check's PASS and FAIL lines into it.
 */
import { RESULT_PREFIX } from "../smoke/agent-path-check";

/** The metric of the synthetic check's result (1 on FAIL, 0 on PASS). */
export const AGENT_PATH_CHECK_METRIC = "AgentPathCheckFailed";

/** The custom metric namespace of a stack's synthetic check (letters, digits, `/`, `-`, `_`, `.`). */
export function agentPathCheckNamespace(project: string, stack: string): string {
  return `${project}/${stack}`.replace(/[^A-Za-z0-9/_.#:-]/g, "-").slice(0, 255);
}

/** The fixed first word of the check's result line. */
export { RESULT_PREFIX };

/**
 * Metric filter patterns over the add-on's application log group (JSON events with the container
 * log line in `log` and Kubernetes metadata): the check's container in the agent namespace
 * printing its PASS or FAIL line.
 */
export function agentPathCheckPatterns(namespace: string, container: string): { pass: string; fail: string } {
  const from = `$.kubernetes.namespace_name = "${namespace}" && $.kubernetes.container_name = "${container}"`;
  return {
    pass: `{ ${from} && $.log = "${RESULT_PREFIX} PASS*" }`,
    fail: `{ ${from} && $.log = "${RESULT_PREFIX} FAIL*" }`,
  };
}
