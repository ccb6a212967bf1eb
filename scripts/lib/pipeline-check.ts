/**
 * The pipeline check of `npm run smoke -- --stack NAME --pipeline`: starts the pipeline job the
 * controller's configuration defines (components/jenkins/pipeline-job.ts) through the Jenkins REST
 * API as the admin user, follows the queue item to its build, waits for the result within a bound,
 * prints the log tail, and passes only on SUCCESS.
 *
 * The pure pieces (the target from the stack outputs, the steps, parsing Jenkins' JSON, the exit
 * status) are separate from the HTTP conversation, which takes its `fetch` and clock as arguments.
 *
 * Jenkins facts it relies on (Jenkins core): `POST /job/NAME/build` answers 201 with the queue
 * item's URL in `Location`; the item's `api/json` carries `executable.number` once a build started,
 * or `cancelled: true`; a build's `api/json` has `building` and `result`; `consoleText` is the
 * plain log. A crumb (`/crumbIssuer/api/json`) is bound to the web session that asked for it, so
 * the session cookie goes with the POST; 404 there means CSRF protection is off.
 */
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import {
  PIPELINE_DONE_MARKER,
  PIPELINE_JOB,
  PIPELINE_TIMEOUT_MINUTES,
  transportEvidence,
} from "../../components/jenkins/pipeline-job";
import type { Transport } from "../../components/shared/jenkins";

/** Default bound of the whole check: the pipeline's own timeout plus time to queue and finish. */
export const DEFAULT_TIMEOUT_SECONDS = PIPELINE_TIMEOUT_MINUTES * 60 + 300;
/** Lines of the build log printed at the end. */
export const LOG_TAIL_LINES = 40;
/** Each request's own bound. */
export const REQUEST_TIMEOUT_MS = 30_000;

/** What the check needs to know of a deployed stack. */
export interface PipelineTarget {
  readonly stack: string;
  readonly transport: Transport;
  /** The controller's UI URL, with a trailing slash. */
  readonly jenkinsUrl: string;
  /** ARN of the Secrets Manager secret holding the admin password. */
  readonly adminSecretArn: string;
  /** The admin user (`controller.adminUser`). */
  readonly adminUser: string;
  readonly job: string;
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:[\w/+=.@-]+$/;

/**
 * The target from `pulumi stack output --json` (or a mock run's outputs): one message per missing
 * or malformed output, naming it.
 */
export function pipelineTargetFromOutputs(
  stack: string,
  outputs: Record<string, unknown>,
  adminUser: string,
): { ok: true; target: PipelineTarget } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const { jenkinsUrl, jenkinsAdminSecretArn, transport } = outputs;
  let url = "";
  if (typeof jenkinsUrl !== "string" || !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(jenkinsUrl)) {
    problems.push(
      `stack output jenkinsUrl: got ${JSON.stringify(jenkinsUrl)}; expected the UI's http(s) URL`,
    );
  } else {
    url = jenkinsUrl.endsWith("/") ? jenkinsUrl : `${jenkinsUrl}/`;
  }
  if (typeof jenkinsAdminSecretArn !== "string" || !SECRET_ARN.test(jenkinsAdminSecretArn)) {
    problems.push(
      `stack output jenkinsAdminSecretArn: got ${JSON.stringify(jenkinsAdminSecretArn)}; expected a Secrets Manager secret ARN`,
    );
  }
  if (transport !== "websocket" && transport !== "tcp") {
    problems.push(`stack output transport: got ${JSON.stringify(transport)}; expected websocket or tcp`);
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    target: {
      stack,
      transport: transport as PipelineTarget["transport"],
      jenkinsUrl: url,
      adminSecretArn: jenkinsAdminSecretArn as string,
      adminUser,
      job: PIPELINE_JOB,
    },
  };
}

/** The region of a Secrets Manager ARN. */
export function secretRegion(arn: string): string | undefined {
  return SECRET_ARN.exec(arn)?.[1];
}

/** The URL of the job. */
export const jobUrl = (t: PipelineTarget) => `${t.jenkinsUrl}job/${encodeURIComponent(t.job)}/`;

/** The steps the check takes, each with its request, as printed by the dry run. */
export function pipelineSteps(t: PipelineTarget, timeoutSeconds: number): string[] {
  const job = jobUrl(t);
  return [
    `AWS Secrets Manager GetSecretValue ${t.adminSecretArn}  (the password of admin user ${t.adminUser}; never printed)`,
    `GET ${t.jenkinsUrl}crumbIssuer/api/json  (basic auth as ${t.adminUser}; keeps the session cookie; 404: no crumb needed)`,
    `POST ${job}build  (the crumb header and the session cookie; expects 201 and the queue item in Location)`,
    `GET <Location>api/json  (every 2 s until executable.number is set; cancelled: fail)`,
    `GET ${job}<number>/api/json?tree=building,result  (every 2 s until building is false)`,
    `GET ${job}<number>/consoleText  (prints the last ${LOG_TAIL_LINES} lines)`,
    `exit 0 only when the result is SUCCESS and the log has "${PIPELINE_DONE_MARKER}" and the agent line of a ${t.transport} agent; 1 otherwise; after ${timeoutSeconds} s in all: POST ${job}<number>/stop (or cancel the queue item) and exit 1`,
  ];
}

/** The crumb header from `/crumbIssuer/api/json`. */
export function parseCrumb(json: unknown): { field: string; crumb: string } {
  const body = json as { crumbRequestField?: unknown; crumb?: unknown } | null;
  if (typeof body?.crumbRequestField !== "string" || typeof body.crumb !== "string") {
    throw new CheckError("the crumb issuer answered without crumbRequestField and crumb");
  }
  return { field: body.crumbRequestField, crumb: body.crumb };
}

/** A queue item's state from its `api/json`. */
export type QueueState =
  | { readonly kind: "waiting"; readonly why?: string }
  | { readonly kind: "started"; readonly number: number }
  | { readonly kind: "cancelled" };

export function parseQueueItem(json: unknown): QueueState {
  const item = json as {
    cancelled?: unknown;
    why?: unknown;
    executable?: { number?: unknown } | null;
  } | null;
  if (item?.cancelled === true) return { kind: "cancelled" };
  const number = item?.executable?.number;
  if (typeof number === "number" && Number.isInteger(number) && number > 0)
    return { kind: "started", number };
  return { kind: "waiting", ...(typeof item?.why === "string" ? { why: item.why } : {}) };
}

/** A build's state from its `api/json`: running, or done with Jenkins' result (SUCCESS, FAILURE, ...). */
export function parseBuild(
  json: unknown,
): { readonly done: false } | { readonly done: true; readonly result: string } {
  const build = json as { building?: unknown; result?: unknown } | null;
  if (build?.building === false && typeof build.result === "string")
    return { done: true, result: build.result };
  return { done: false };
}

/** How the check ended. */
export type Outcome =
  | { readonly kind: "result"; readonly result: string; readonly number: number; readonly log: string }
  | {
      readonly kind: "timeout";
      readonly stage: "queue" | "build";
      readonly number?: number;
      readonly log?: string;
    }
  | { readonly kind: "cancelled" }
  | { readonly kind: "refused"; readonly message: string };

/**
 * What a finished build's log lacks for the check to pass: the done marker, and the agent
 * step's line showing it connected over `transport`.
 */
export function missingFromLog(log: string, transport: PipelineTarget["transport"]): string[] {
  return [
    ...(log.includes(PIPELINE_DONE_MARKER) ? [] : [`"${PIPELINE_DONE_MARKER}"`]),
    ...(transportEvidence(transport).test(log) ? [] : [`the agent line of a ${transport} agent`]),
  ];
}

/** 0 only when the build succeeded on an agent of the stack's transport and printed its done marker; 1 otherwise. */
export function exitStatus(outcome: Outcome, transport: PipelineTarget["transport"]): 0 | 1 {
  return outcome.kind === "result" &&
    outcome.result === "SUCCESS" &&
    missingFromLog(outcome.log, transport).length === 0
    ? 0
    : 1;
}

/** The last `lines` lines of a log. */
export function logTail(log: string, lines = LOG_TAIL_LINES): string {
  const all = log.replace(/\n$/, "").split("\n");
  return all.slice(-lines).join("\n");
}

/** The one-line summary of an outcome. */
export function summary(t: PipelineTarget, outcome: Outcome): string {
  const job = jobUrl(t);
  switch (outcome.kind) {
    case "result": {
      if (exitStatus(outcome, t.transport) === 0) {
        return `pipeline check of stack ${t.stack} passed: ${job}${outcome.number}/ SUCCESS on a ${t.transport} agent`;
      }
      const missing = outcome.result === "SUCCESS" ? missingFromLog(outcome.log, t.transport) : [];
      return `pipeline check of stack ${t.stack} failed: ${job}${outcome.number}/ ended ${outcome.result}${missing.length ? ` without ${missing.join(" and ")}` : ""}`;
    }
    case "timeout":
      return outcome.stage === "queue"
        ? `pipeline check of stack ${t.stack} failed: the build did not leave the queue within the bound (no agent came up?)`
        : `pipeline check of stack ${t.stack} failed: ${job}${outcome.number}/ did not finish within the bound; it was asked to stop`;
    case "cancelled":
      return `pipeline check of stack ${t.stack} failed: the queue item was cancelled`;
    case "refused":
      return `pipeline check of stack ${t.stack} failed: ${outcome.message}`;
  }
}

/** A failure of the conversation with Jenkins; its message is the line printed. */
export class CheckError extends Error {}

/** What {@link runPipelineCheck} takes besides the target. */
export interface RunOptions {
  readonly password: string;
  readonly timeoutMs: number;
  readonly pollMs?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** The `name=value` pairs of Set-Cookie headers, for a Cookie header. */
export function cookiePairs(setCookies: readonly string[]): string {
  return setCookies
    .map((c) => c.split(";")[0].trim())
    .filter((c) => c.includes("="))
    .join("; ");
}

/**
 * Runs the check against a live controller. Refusals (401, 403, a missing job, an unexpected
 * answer) end as `refused`; only the bound ends as `timeout`.
 */
export async function runPipelineCheck(t: PipelineTarget, o: RunOptions): Promise<Outcome> {
  const doFetch = o.fetch ?? fetch;
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pollMs = o.pollMs ?? 2000;
  const log = o.log ?? (() => undefined);
  const deadline = now() + o.timeoutMs;
  const base = new URL(t.jenkinsUrl);
  const headers: Record<string, string> = {
    Authorization: `Basic ${Buffer.from(`${t.adminUser}:${o.password}`).toString("base64")}`,
  };

  const request = async (url: string, method: "GET" | "POST" = "GET"): Promise<Response> => {
    const target = new URL(url, base);
    // The credentials go only to the controller's own origin, whatever a Location says.
    if (target.origin !== base.origin) {
      throw new CheckError(
        `Jenkins pointed at ${target.origin}, not its own ${base.origin}; refusing to follow`,
      );
    }
    let response: Response;
    try {
      response = await doFetch(target, {
        method,
        headers,
        redirect: "manual",
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (err) {
      throw new CheckError(
        `${method} ${target.href}: ${(err as Error).message} (is the UI reachable from here?)`,
      );
    }
    if (response.status === 401) {
      throw new CheckError(
        `${method} ${target.href} answered 401: Jenkins refused admin user ${t.adminUser} with the password from ${t.adminSecretArn}`,
      );
    }
    if (response.status === 403) {
      throw new CheckError(
        `${method} ${target.href} answered 403: admin user ${t.adminUser} may not do this, or Jenkins refused the crumb`,
      );
    }
    return response;
  };
  const json = async (url: string): Promise<unknown> => {
    const response = await request(url);
    if (response.status !== 200) throw new CheckError(`GET ${url} answered ${response.status}`);
    return response.json();
  };

  try {
    const crumbResponse = await request(`${t.jenkinsUrl}crumbIssuer/api/json`);
    if (crumbResponse.status === 200) {
      const { field, crumb } = parseCrumb(await crumbResponse.json());
      headers[field] = crumb;
      const cookie = cookiePairs(crumbResponse.headers.getSetCookie());
      if (cookie) headers.Cookie = cookie;
    } else if (crumbResponse.status !== 404) {
      throw new CheckError(`GET ${t.jenkinsUrl}crumbIssuer/api/json answered ${crumbResponse.status}`);
    }

    const job = jobUrl(t);
    const started = await request(`${job}build`, "POST");
    if (started.status === 404) {
      throw new CheckError(
        `${job} does not exist: the controller's configuration defines it at start (JCasC jobs:)`,
      );
    }
    const location = started.headers.get("location");
    if (started.status !== 201 || !location) {
      throw new CheckError(
        `POST ${job}build answered ${started.status}${location ? "" : " without a Location"}`,
      );
    }
    const item = new URL(location, base).href.replace(/\/?$/, "/");
    log(`queued: ${item}`);

    let state: QueueState = { kind: "waiting" };
    let lastWhy = "";
    for (;;) {
      state = parseQueueItem(await json(`${item}api/json`));
      if (state.kind !== "waiting") break;
      if (state.why && state.why !== lastWhy) log(`waiting: ${(lastWhy = state.why)}`);
      if (now() >= deadline) {
        const id = /\/queue\/item\/(\d+)\/$/.exec(item)?.[1];
        if (id) await request(`${t.jenkinsUrl}queue/cancelItem?id=${id}`, "POST").catch(() => undefined);
        return { kind: "timeout", stage: "queue" };
      }
      await sleep(pollMs);
    }
    if (state.kind === "cancelled") return { kind: "cancelled" };
    const number = state.number;
    const build = `${job}${number}/`;
    log(`started: ${build}`);

    for (;;) {
      const b = parseBuild(await json(`${build}api/json?tree=building,result`));
      if (b.done) {
        const text = await (await request(`${build}consoleText`)).text();
        return { kind: "result", result: b.result, number, log: text };
      }
      if (now() >= deadline) {
        await request(`${build}stop`, "POST").catch(() => undefined);
        const text = await request(`${build}consoleText`)
          .then((r) => r.text())
          .catch(() => "");
        return { kind: "timeout", stage: "build", number, log: text };
      }
      await sleep(pollMs);
    }
  } catch (err) {
    if (err instanceof CheckError) return { kind: "refused", message: err.message };
    throw err;
  }
}

/** The admin password from Secrets Manager (the secret holds the password itself). */
export async function readAdminPassword(
  client: { send(command: GetSecretValueCommand): Promise<{ SecretString?: string }> },
  arn: string,
): Promise<string> {
  let value: string | undefined;
  try {
    value = (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } catch (err) {
    throw new CheckError(`Secrets Manager GetSecretValue ${arn}: ${(err as Error).message}`);
  }
  if (!value) throw new CheckError(`Secrets Manager secret ${arn} holds no text`);
  return value;
}
