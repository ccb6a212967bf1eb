/**
 * `npm run smoke -- --pipeline` as a user runs it: a real child process, offline (`--dry-run` takes
 * the outputs from the mock plan), for both transports, and its refusals of bad arguments.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { pipelineScript } from "../../components/jenkins/pipeline-job";
import { ROOT } from "../harness/plan";

function smoke(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "scripts/smoke.ts", ...args],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, AWS_ACCESS_KEY_ID: "", AWS_PROFILE: "" } },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run smoke -- --pipeline", () => {
  for (const [stack, transport] of [
    ["dev", "websocket"],
    ["tcp", "tcp"],
  ] as const) {
    it(`prints the target, every step and request, and the job's pipeline offline (${stack}, ${transport})`, () => {
      const { status, stdout, stderr } = smoke("--stack", stack, "--pipeline", "--dry-run");
      assert.strictEqual(stderr, "");
      assert.strictEqual(status, 0);
      const [header, blank, stepsTitle, ...rest] = stdout.split("\n");
      const url = /at (http:\/\/internal-jenkins-ui-[\w-]+\.us-east-1\.elb\.amazonaws\.com\/), dry run/.exec(
        header,
      )?.[1];
      assert.ok(url, header);
      assert.strictEqual(
        header,
        `pipeline check of stack ${stack} (transport ${transport}): job agent-bridge-smoke at ${url}, dry run: outputs from the offline plan`,
      );
      assert.deepStrictEqual([blank, stepsTitle], ["", "steps:"]);
      const steps = rest.slice(0, 7);
      assert.match(
        steps[0],
        new RegExp(
          `^  1\\. AWS Secrets Manager GetSecretValue arn:aws:secretsmanager:us-east-1:\\d{12}:secret:\\S+  \\(the password of admin user admin; never printed\\)$`,
        ),
      );
      assert.deepStrictEqual(steps.slice(1), [
        `  2. GET ${url}crumbIssuer/api/json  (basic auth as admin; keeps the session cookie; 404: no crumb needed)`,
        `  3. POST ${url}job/agent-bridge-smoke/build  (the crumb header and the session cookie; expects 201 and the queue item in Location)`,
        "  4. GET <Location>api/json  (every 2 s until executable.number is set; cancelled: fail)",
        `  5. GET ${url}job/agent-bridge-smoke/<number>/api/json?tree=building,result  (every 2 s until building is false)`,
        `  6. GET ${url}job/agent-bridge-smoke/<number>/consoleText  (prints the last 40 lines)`,
        `  7. exit 0 only when the result is SUCCESS and the log has "agent-bridge-smoke: done" and the agent line of a ${transport} agent; 1 otherwise; after 1200 s in all: POST ${url}job/agent-bridge-smoke/<number>/stop (or cancel the queue item) and exit 1`,
      ]);
      assert.strictEqual(
        rest.slice(7).join("\n"),
        `\nthe job's pipeline (JCasC jobs:, Job DSL):\n${pipelineScript(transport)}`,
      );
      assert.ok(pipelineScript(transport).includes(`(transport ${transport})`));
    });
  }

  it("refuses bad arguments with one line and status 2, before reading any output", () => {
    assert.deepStrictEqual(smoke("--stack", "dev", "--pipeline", "--timeout", "5"), {
      status: 2,
      stdout: "",
      stderr: '--timeout: got "5"; expected whole seconds from 60 to 86400\n',
    });
    const keep = smoke("--stack", "dev", "--pipeline", "--keep");
    assert.strictEqual(keep.status, 2);
    assert.strictEqual(
      keep.stderr.split("\n")[0],
      "--keep and --image apply to the in-cluster Job, not --pipeline",
    );
    const timeout = smoke("--stack", "dev", "--timeout", "600");
    assert.strictEqual(timeout.status, 2);
    assert.strictEqual(timeout.stderr.split("\n")[0], "--timeout applies to --pipeline only");
  });
});
