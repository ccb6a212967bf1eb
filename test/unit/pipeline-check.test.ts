/**
 * The pipeline check of `npm run smoke -- --pipeline`: its pure pieces directly, and its HTTP
 * conversation against a stand-in Jenkins (a real HTTP server on loopback) that checks the basic
 * credentials, the crumb and its session cookie as Jenkins does, for success, failure, timeout and
 * refused credentials. The clock is simulated, so no test waits.
 */
import * as assert from "assert";
import * as http from "http";
import * as net from "net";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { PIPELINE_DONE_MARKER } from "../../components/jenkins/pipeline-job";
import {
  cookiePairs,
  exitStatus,
  logTail,
  missingFromLog,
  Outcome,
  parseBuild,
  parseCrumb,
  parseQueueItem,
  PipelineTarget,
  pipelineSteps,
  pipelineTargetFromOutputs,
  readAdminPassword,
  runPipelineCheck,
  secretRegion,
  summary,
} from "../../scripts/lib/pipeline-check";

/** The agent step's line on a WebSocket agent and on a TCP one, as the pipeline prints it. */
const WS_LINE =
  "agent container: uid=1000(jenkins) gid=1000(jenkins) groups=1000(jenkins); websocket=true tunnel=";
const TCP_LINE =
  "agent container: uid=1000(jenkins) gid=1000(jenkins) groups=1000(jenkins); websocket= tunnel=jenkins.tcp.ci.internal:50000";
const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:jenkins-prod-jenkins-admin-abc-AbCdEf";

describe("pipeline check: pure pieces", () => {
  it("takes the target from the stack outputs, or names each bad output", () => {
    const built = pipelineTargetFromOutputs(
      "dev",
      { jenkinsUrl: "http://ui.example", jenkinsAdminSecretArn: ARN, transport: "tcp" },
      "admin",
    );
    assert.deepStrictEqual(built, {
      ok: true,
      target: {
        stack: "dev",
        transport: "tcp",
        jenkinsUrl: "http://ui.example/",
        adminSecretArn: ARN,
        adminUser: "admin",
        job: "agent-bridge-smoke",
      },
    });
    assert.deepStrictEqual(
      pipelineTargetFromOutputs("dev", { jenkinsUrl: "ftp://x", transport: "udp" }, "a"),
      {
        ok: false,
        problems: [
          'stack output jenkinsUrl: got "ftp://x"; expected the UI\'s http(s) URL',
          "stack output jenkinsAdminSecretArn: got undefined; expected a Secrets Manager secret ARN",
          'stack output transport: got "udp"; expected websocket or tcp',
        ],
      },
    );
    assert.strictEqual(secretRegion(ARN), "eu-west-1");
  });

  it("lists every step and request, with no secret", () => {
    const target = (
      pipelineTargetFromOutputs(
        "dev",
        { jenkinsUrl: "https://ci.example/", jenkinsAdminSecretArn: ARN, transport: "websocket" },
        "admin",
      ) as { target: PipelineTarget }
    ).target;
    assert.deepStrictEqual(pipelineSteps(target, 600), [
      `AWS Secrets Manager GetSecretValue ${ARN}  (the password of admin user admin; never printed)`,
      "GET https://ci.example/crumbIssuer/api/json  (basic auth as admin; keeps the session cookie; 404: no crumb needed)",
      "POST https://ci.example/job/agent-bridge-smoke/build  (the crumb header and the session cookie; expects 201 and the queue item in Location)",
      "GET <Location>api/json  (every 2 s until executable.number is set; cancelled: fail)",
      "GET https://ci.example/job/agent-bridge-smoke/<number>/api/json?tree=building,result  (every 2 s until building is false)",
      "GET https://ci.example/job/agent-bridge-smoke/<number>/consoleText  (prints the last 40 lines)",
      'exit 0 only when the result is SUCCESS and the log has "agent-bridge-smoke: done" and the agent line of a websocket agent; 1 otherwise; after 600 s in all: POST https://ci.example/job/agent-bridge-smoke/<number>/stop (or cancel the queue item) and exit 1',
    ]);
  });

  it("parses Jenkins' crumb, queue item and build JSON", () => {
    assert.deepStrictEqual(parseCrumb({ crumbRequestField: "Jenkins-Crumb", crumb: "c1", _class: "x" }), {
      field: "Jenkins-Crumb",
      crumb: "c1",
    });
    assert.throws(() => parseCrumb({}), /without crumbRequestField and crumb/);
    assert.deepStrictEqual(parseQueueItem({ why: "Waiting for next available executor", executable: null }), {
      kind: "waiting",
      why: "Waiting for next available executor",
    });
    assert.deepStrictEqual(parseQueueItem({ executable: { number: 12, url: "u" } }), {
      kind: "started",
      number: 12,
    });
    assert.deepStrictEqual(parseQueueItem({ cancelled: true, executable: null }), { kind: "cancelled" });
    assert.deepStrictEqual(parseQueueItem({ executable: { number: "12" } }), { kind: "waiting" });
    assert.deepStrictEqual(parseBuild({ building: true, result: null }), { done: false });
    assert.deepStrictEqual(parseBuild({ building: false, result: null }), { done: false });
    assert.deepStrictEqual(parseBuild({ building: false, result: "ABORTED" }), {
      done: true,
      result: "ABORTED",
    });
  });

  it("passes only a SUCCESS on an agent of the stack's transport that printed the done marker", () => {
    const done = `x\n${WS_LINE}\n${PIPELINE_DONE_MARKER}\nFinished: SUCCESS\n`;
    const cases: [Outcome, 0 | 1][] = [
      [{ kind: "result", result: "SUCCESS", number: 1, log: done }, 0],
      [{ kind: "result", result: "SUCCESS", number: 1, log: "Finished: SUCCESS" }, 1],
      [{ kind: "result", result: "SUCCESS", number: 1, log: done.replace(`${WS_LINE}\n`, "") }, 1],
      // The agent connected over TCP although the stack is a websocket one.
      [{ kind: "result", result: "SUCCESS", number: 1, log: done.replace(WS_LINE, TCP_LINE) }, 1],
      [{ kind: "result", result: "FAILURE", number: 1, log: done }, 1],
      [{ kind: "result", result: "UNSTABLE", number: 1, log: done }, 1],
      [{ kind: "timeout", stage: "queue" }, 1],
      [{ kind: "timeout", stage: "build", number: 2, log: done }, 1],
      [{ kind: "cancelled" }, 1],
      [{ kind: "refused", message: "401" }, 1],
    ];
    for (const [outcome, status] of cases)
      assert.strictEqual(exitStatus(outcome, "websocket"), status, JSON.stringify(outcome));
    const tcpDone: Outcome = {
      kind: "result",
      result: "SUCCESS",
      number: 1,
      log: done.replace(WS_LINE, TCP_LINE),
    };
    assert.strictEqual(exitStatus(tcpDone, "tcp"), 0);
    assert.strictEqual(exitStatus(tcpDone, "websocket"), 1);
    assert.deepStrictEqual(missingFromLog("Finished: SUCCESS", "tcp"), [
      `"${PIPELINE_DONE_MARKER}"`,
      "the agent line of a tcp agent",
    ]);
  });

  it("keeps the last lines of a log and the cookie pairs of Set-Cookie headers", () => {
    const log = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    assert.strictEqual(logTail(log, 3), "line 48\nline 49\nline 50");
    assert.strictEqual(logTail("short\n"), "short");
    assert.strictEqual(
      cookiePairs(["JSESSIONID.abc=node01; Path=/; HttpOnly", "other=1; Secure", "junk"]),
      "JSESSIONID.abc=node01; other=1",
    );
  });
});

describe("pipeline check: the admin password", () => {
  it("reads it from the stack's secret", async () => {
    const sm = mockClient(SecretsManagerClient);
    sm.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: "s3cret" });
    assert.strictEqual(
      await readAdminPassword(new SecretsManagerClient({ region: "eu-west-1" }), ARN),
      "s3cret",
    );
    sm.on(GetSecretValueCommand).rejects(new Error("AccessDeniedException: not allowed"));
    await assert.rejects(
      readAdminPassword(new SecretsManagerClient({ region: "eu-west-1" }), `${ARN}x`),
      new RegExp(`^Error: Secrets Manager GetSecretValue ${ARN}x: AccessDeniedException: not allowed$`),
    );
    sm.restore();
  });
});

/** How the stand-in Jenkins behaves. */
interface Scenario {
  /** Polls of the queue item before it names its build. */
  queuePolls?: number;
  /** Polls of the build before it ends; Infinity: never. */
  buildPolls?: number;
  result?: string;
  /** CSRF protection off: the crumb issuer answers 404. */
  noCrumb?: boolean;
  /** The job does not exist. */
  noJob?: boolean;
  /** Location header of the build request. */
  location?: (base: string) => string;
  /** Every POST is refused (403), as Jenkins refuses a crumb from another session. */
  refusePosts?: boolean;
  /** The agent step's line in the log (a WebSocket agent's by default). */
  agentLine?: string;
}

const USER = "admin";
const PASSWORD = "right-password";
const CRUMB = "crumb-0123";
const SESSION = "JSESSIONID.node0=abc";

/** A stand-in Jenkins on loopback; records each request as `METHOD path`. */
async function standIn(scenario: Scenario) {
  const seen: string[] = [];
  let queuePolls = 0;
  let buildPolls = 0;
  const server = http.createServer((req, res) => {
    const path = req.url ?? "";
    seen.push(`${req.method} ${path}`);
    const reply = (status: number, body: unknown = "", headers: Record<string, string | string[]> = {}) => {
      res.writeHead(status, {
        "Content-Type": typeof body === "string" ? "text/plain" : "application/json",
        ...headers,
      });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    if (req.headers.authorization !== `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`) {
      return reply(401, "Unauthorized", { "WWW-Authenticate": 'Basic realm="Jenkins"' });
    }
    if (path === "/crumbIssuer/api/json") {
      if (scenario.noCrumb) return reply(404, "Not Found");
      return reply(
        200,
        {
          _class: "hudson.security.csrf.DefaultCrumbIssuer",
          crumb: CRUMB,
          crumbRequestField: "Jenkins-Crumb",
        },
        { "Set-Cookie": [`${SESSION}; Path=/; HttpOnly`] },
      );
    }
    if (req.method === "POST" && scenario.refusePosts)
      return reply(403, "No valid crumb was included in the request");
    if (req.method === "POST" && !scenario.noCrumb) {
      // Jenkins: the crumb is valid only in the session that asked for it.
      if (req.headers["jenkins-crumb"] !== CRUMB || req.headers.cookie !== SESSION) {
        return reply(403, "No valid crumb was included in the request");
      }
    }
    const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
    if (path === "/job/agent-bridge-smoke/build" && req.method === "POST") {
      if (scenario.noJob) return reply(404, "Not Found");
      return reply(201, "", {
        Location: scenario.location ? scenario.location(base) : `${base}queue/item/7/`,
      });
    }
    if (path === "/queue/item/7/api/json") {
      queuePolls++;
      return reply(
        200,
        queuePolls > (scenario.queuePolls ?? 1)
          ? { executable: { number: 3, url: `${base}job/agent-bridge-smoke/3/` } }
          : { why: "Waiting for next available executor on kubernetes", executable: null },
      );
    }
    if (path === "/job/agent-bridge-smoke/3/api/json?tree=building,result") {
      buildPolls++;
      const done = buildPolls > (scenario.buildPolls ?? 1);
      return reply(200, { building: !done, result: done ? (scenario.result ?? "SUCCESS") : null });
    }
    if (path === "/job/agent-bridge-smoke/3/consoleText") {
      const lines = Array.from({ length: 45 }, (_, i) => `step ${i + 1}`);
      return reply(
        200,
        `${lines.join("\n")}\n${scenario.agentLine ?? WS_LINE}\n${PIPELINE_DONE_MARKER}\nFinished: ${scenario.result ?? "SUCCESS"}\n`,
      );
    }
    if (path === "/job/agent-bridge-smoke/3/stop" || path === "/queue/cancelItem?id=7") return reply(302, "");
    return reply(404, "Not Found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("pipeline check: against a stand-in Jenkins", () => {
  const run = async (scenario: Scenario, password = PASSWORD, timeoutMs = 600_000) => {
    const jenkins = await standIn(scenario);
    try {
      const target: PipelineTarget = {
        stack: "dev",
        transport: "websocket",
        jenkinsUrl: jenkins.url,
        adminSecretArn: ARN,
        adminUser: USER,
        job: "agent-bridge-smoke",
      };
      let clock = 0;
      const progress: string[] = [];
      const outcome = await runPipelineCheck(target, {
        password,
        timeoutMs,
        pollMs: 2000,
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
        },
        log: (line) => progress.push(line),
      });
      return { outcome, seen: jenkins.seen, progress, target, url: jenkins.url, elapsed: clock };
    } finally {
      await jenkins.close();
    }
  };

  it("starts the job with the crumb in its session, follows the queue to the build, and passes on SUCCESS", async () => {
    const { outcome, seen, progress, target, url } = await run({ queuePolls: 2, buildPolls: 2 });
    assert.deepStrictEqual(seen, [
      "GET /crumbIssuer/api/json",
      "POST /job/agent-bridge-smoke/build",
      "GET /queue/item/7/api/json",
      "GET /queue/item/7/api/json",
      "GET /queue/item/7/api/json",
      "GET /job/agent-bridge-smoke/3/api/json?tree=building,result",
      "GET /job/agent-bridge-smoke/3/api/json?tree=building,result",
      "GET /job/agent-bridge-smoke/3/api/json?tree=building,result",
      "GET /job/agent-bridge-smoke/3/consoleText",
    ]);
    assert.deepStrictEqual(progress, [
      `queued: ${url}queue/item/7/`,
      "waiting: Waiting for next available executor on kubernetes",
      `started: ${url}job/agent-bridge-smoke/3/`,
    ]);
    assert.strictEqual(outcome.kind, "result");
    assert.strictEqual(exitStatus(outcome, "websocket"), 0);
    assert.strictEqual(
      logTail((outcome as { log: string }).log),
      [
        ...Array.from({ length: 37 }, (_, i) => `step ${i + 9}`),
        WS_LINE,
        PIPELINE_DONE_MARKER,
        "Finished: SUCCESS",
      ].join("\n"),
    );
    assert.strictEqual(
      summary(target, outcome),
      `pipeline check of stack dev passed: ${url}job/agent-bridge-smoke/3/ SUCCESS on a websocket agent`,
    );
  });

  it("posts without a crumb when CSRF protection is off", async () => {
    const { outcome, seen } = await run({ noCrumb: true });
    assert.strictEqual(exitStatus(outcome, "websocket"), 0);
    assert.deepStrictEqual(seen.slice(0, 2), [
      "GET /crumbIssuer/api/json",
      "POST /job/agent-bridge-smoke/build",
    ]);
  });

  it("fails on a FAILURE build, with its log", async () => {
    const { outcome, target, url } = await run({ result: "FAILURE" });
    assert.deepStrictEqual(
      {
        kind: outcome.kind,
        result: (outcome as { result: string }).result,
        status: exitStatus(outcome, "websocket"),
      },
      { kind: "result", result: "FAILURE", status: 1 },
    );
    assert.ok((outcome as { log: string }).log.endsWith("Finished: FAILURE\n"));
    assert.strictEqual(
      summary(target, outcome),
      `pipeline check of stack dev failed: ${url}job/agent-bridge-smoke/3/ ended FAILURE`,
    );
  });

  it("fails a SUCCESS whose agent did not connect over the stack's transport", async () => {
    const { outcome, target, url } = await run({ agentLine: TCP_LINE });
    assert.strictEqual(exitStatus(outcome, "websocket"), 1);
    assert.strictEqual(
      summary(target, outcome),
      `pipeline check of stack dev failed: ${url}job/agent-bridge-smoke/3/ ended SUCCESS without the agent line of a websocket agent`,
    );
  });

  it("stops a build that outlives the bound, prints what it logged, and fails", async () => {
    const { outcome, seen, elapsed, target, url } = await run({ buildPolls: Infinity }, PASSWORD, 60_000);
    assert.deepStrictEqual(
      {
        kind: outcome.kind,
        status: exitStatus(outcome, "websocket"),
        number: (outcome as { number: number }).number,
      },
      { kind: "timeout", status: 1, number: 3 },
    );
    assert.ok((outcome as { log: string }).log.includes("step 45"));
    assert.deepStrictEqual(seen.slice(-2), [
      "POST /job/agent-bridge-smoke/3/stop",
      "GET /job/agent-bridge-smoke/3/consoleText",
    ]);
    assert.ok(elapsed >= 60_000 && elapsed <= 62_000, `gave up after ${elapsed} ms`);
    assert.strictEqual(
      summary(target, outcome),
      `pipeline check of stack dev failed: ${url}job/agent-bridge-smoke/3/ did not finish within the bound; it was asked to stop`,
    );
  });

  it("cancels a queue item that never gets an agent", async () => {
    const { outcome, seen } = await run({ queuePolls: Infinity }, PASSWORD, 10_000);
    assert.deepStrictEqual(outcome, { kind: "timeout", stage: "queue" });
    assert.strictEqual(seen[seen.length - 1], "POST /queue/cancelItem?id=7");
  });

  it("fails at once, naming the user and the secret, when Jenkins refuses the credentials", async () => {
    const { outcome, seen, url } = await run({}, "wrong-password");
    assert.deepStrictEqual(outcome, {
      kind: "refused",
      message: `GET ${url}crumbIssuer/api/json answered 401: Jenkins refused admin user admin with the password from ${ARN}`,
    });
    assert.strictEqual(exitStatus(outcome, "websocket"), 1);
    assert.deepStrictEqual(seen, ["GET /crumbIssuer/api/json"]);
  });

  it("tells a refused POST (permission or crumb) from refused credentials", async () => {
    const { outcome, url } = await run({ refusePosts: true });
    assert.deepStrictEqual(outcome, {
      kind: "refused",
      message: `POST ${url}job/agent-bridge-smoke/build answered 403: admin user admin may not do this, or Jenkins refused the crumb`,
    });
  });

  it("says when the job does not exist, and never follows a Location to another origin", async () => {
    const missing = await run({ noJob: true });
    assert.deepStrictEqual(missing.outcome, {
      kind: "refused",
      message: `${missing.url}job/agent-bridge-smoke/ does not exist: the controller's configuration defines it at start (JCasC jobs:)`,
    });
    const elsewhere = await run({ location: () => "http://attacker.example/queue/item/7/" });
    assert.deepStrictEqual(elsewhere.outcome, {
      kind: "refused",
      message: `Jenkins pointed at http://attacker.example, not its own ${new URL(elsewhere.url).origin}; refusing to follow`,
    });
    assert.deepStrictEqual(elsewhere.seen, [
      "GET /crumbIssuer/api/json",
      "POST /job/agent-bridge-smoke/build",
    ]);
  });

  it("says the UI is unreachable when nothing answers", async () => {
    const closed = await standIn({});
    await closed.close();
    const outcome = await runPipelineCheck(
      {
        stack: "dev",
        transport: "tcp",
        jenkinsUrl: closed.url,
        adminSecretArn: ARN,
        adminUser: USER,
        job: "agent-bridge-smoke",
      },
      { password: PASSWORD, timeoutMs: 1000 },
    );
    assert.strictEqual(outcome.kind, "refused");
    assert.match(
      (outcome as { message: string }).message,
      /^GET http:\/\/127\.0\.0\.1:\d+\/crumbIssuer\/api\/json: .*\(is the UI reachable from here\?\)$/,
    );
  });
});
