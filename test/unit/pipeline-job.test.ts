/**
 * The pipeline job the controller's configuration defines: its Job DSL, its pipeline for each
 * transport, and the JCasC `jobs:` element that carries it.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import fc from "fast-check";
import { parse } from "yaml";
import { renderJcasc } from "../../components/jenkins/jcasc";
import {
  groovyMultilineString,
  groovyString,
  jobsDocument,
  PIPELINE_DONE_MARKER,
  PIPELINE_JOB,
  pipelineJobDsl,
  pipelineScript,
  transportEvidence,
} from "../../components/jenkins/pipeline-job";
import { defaultJcasc } from "../harness/agent-pod";

/** Reads back a Groovy single-quoted or triple-single-quoted literal (the escapes we write). */
function unquote(literal: string): string {
  const body = literal.startsWith("'''") ? literal.slice(3, -3) : literal.slice(1, -1);
  return body.replace(/\\(.)/gs, (_, c: string) => ({ n: "\n", r: "\r" })[c] ?? c);
}

describe("pipeline job", () => {
  it("quotes Groovy strings so that the text comes back exactly and nothing interpolates", () => {
    for (const text of [
      "plain",
      "it's",
      "a\\b",
      "two\nlines",
      "'''",
      "''''",
      "a''",
      "ends with '",
      "$x ${y}",
    ]) {
      assert.strictEqual(unquote(groovyString(text)), text);
      assert.strictEqual(unquote(groovyMultilineString(text)), text);
      assert.ok(!groovyString(text).includes("\n"));
    }
    // Only the delimiters remain unescaped.
    assert.strictEqual(groovyMultilineString("a'''b'"), "'''a\\'''b\\''''");
  });

  it("quotes any text of quotes, backslashes and newlines exactly, with no closing delimiter inside", () => {
    const text = fc.string({ unit: fc.constantFrom("'", "\\", "\n", "a", "$", "{") });
    fc.assert(
      fc.property(text, (t) => {
        assert.strictEqual(unquote(groovyString(t)), t);
        const multiline = groovyMultilineString(t);
        assert.strictEqual(unquote(multiline), t);
        // Inside, a quote is unescaped only after an even run of backslashes: no three such quotes
        // in a row, and none at the end, so nothing closes the literal early.
        const inner = multiline.slice(3, -3);
        assert.ok(!/(^|[^\\])(\\\\)*'''/.test(inner), multiline);
        assert.ok(!/(^|[^\\])(\\\\)*'$/.test(inner), multiline);
      }),
    );
  });

  for (const transport of ["websocket", "tcp"] as const) {
    it(`runs one step on an agent of the cloud's template and one in the build container (${transport})`, () => {
      assert.strictEqual(
        pipelineScript(transport),
        [
          "timeout(time: 15, unit: 'MINUTES') {",
          "  node('kubernetes') {",
          `    echo 'agent-bridge-smoke: agent ' + env.NODE_NAME + ' connected (transport ${transport})'`,
          `    sh 'echo "agent container: $(id); websocket=$JENKINS_WEB_SOCKET tunnel=$JENKINS_TUNNEL"'`,
          "    container('build') {",
          `      sh 'echo "build container: $(id)"; df -h .'`,
          "    }",
          `    echo '${PIPELINE_DONE_MARKER}'`,
          "  }",
          "}",
          "",
        ].join("\n"),
      );
    });

    it(`proves the transport by the agent step's own output, run by a real sh (${transport})`, () => {
      // The step's command, run with the environment the plugin gives each kind of agent.
      const command = /sh '(echo "agent container:[^']*)'/.exec(pipelineScript(transport))?.[1];
      assert.ok(command);
      const envs = {
        websocket: { JENKINS_WEB_SOCKET: "true" },
        tcp: { JENKINS_TUNNEL: "jenkins.tcp.ci.internal:50000" },
      };
      for (const [kind, env] of Object.entries(envs)) {
        const base: NodeJS.ProcessEnv = { ...process.env };
        delete base.JENKINS_WEB_SOCKET;
        delete base.JENKINS_TUNNEL;
        const out: string = spawnSync("sh", ["-c", command], {
          encoding: "utf8",
          env: { ...base, ...env },
        }).stdout;
        assert.match(out, /^agent container: uid=\d+/);
        assert.strictEqual(
          transportEvidence(transport).test(out),
          kind === transport,
          `${kind} agent: ${out}`,
        );
      }
    });

    it(`declares a sandboxed pipeline job through JCasC jobs: (${transport})`, () => {
      const dsl = pipelineJobDsl(transport);
      assert.ok(dsl.startsWith(`pipelineJob('${PIPELINE_JOB}') {\n`));
      assert.ok(
        dsl.includes(`      script(${groovyMultilineString(pipelineScript(transport))})\n      sandbox()\n`),
      );
      assert.ok(dsl.includes("  logRotator { numToKeep(20) }\n"));
      // JCasC would resolve ${...} in the script as a variable: none may appear.
      assert.ok(!dsl.includes("${"));
      const doc = defaultJcasc(transport);
      assert.deepStrictEqual(doc.jobs, jobsDocument(transport));
      assert.deepStrictEqual(doc.jobs, [{ script: dsl }]);
    });
  }

  it("declares no job without a Kubernetes cloud (no agent to run it)", () => {
    const doc = parse(
      renderJcasc({ transport: "websocket", adminUser: "a", url: "http://x/", systemMessage: "m" }),
    );
    assert.strictEqual(doc.jobs, undefined);
  });
});
