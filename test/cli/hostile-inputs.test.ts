/**
 * Command-line values that reach files, given by someone who means harm or by mistake: each is
 * refused with one line naming the option and exit status 2, before anything is written.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  listenProblem,
  nginxPathProblem,
  outDirProblem,
  resolverProblem,
  serverNameProblem,
} from "../../scripts/lib/cli-inputs";
import { ROOT } from "../harness/plan";

const run = (script: string, ...args: string[]) => {
  const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", script, ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};
const SYNTAX =
  "expected a path without whitespace, quotes, ;, {, }, #, $ or \\ (nginx would read them as syntax)";

describe("hostile command-line inputs", () => {
  describe("render:nginx", () => {
    const cases: [string, string, string][] = [
      ["--server-name", "x; include /etc/passwd", "expected a host name or an IPv4 address"],
      ["--server-name", "a}b", "expected a host name or an IPv4 address"],
      [
        "--resolver",
        "10.0.0.2 valid=1s; return 200",
        "expected an IPv4 address, a bracketed IPv6 address or a host name, with an optional :port",
      ],
      ["--resolver", "10.0.0.2:70000", "expected a port from 1 to 65535"],
      ["--prefix", "/tmp/x;error_log", SYNTAX],
      ["--prefix", "/tmp/$x", SYNTAX],
      ["--prefix", "/tmp/a b", SYNTAX],
      ["--prefix", "relative/dir", "expected an absolute path"],
      ["--ca-file", '/tmp/ca.pem"', SYNTAX],
      ["--ca-file", "/tmp/ca.pem#", SYNTAX],
      ["--listen", "127.0.0.1:8080;", "expected HOST:PORT, such as 127.0.0.1:8080"],
    ];
    for (const [option, value, reason] of cases) {
      it(`refuses ${option} ${JSON.stringify(value)} with one line`, () => {
        const { status, stdout, stderr } = run("scripts/render-nginx.ts", "--stack", "dev", option, value);
        assert.strictEqual(status, 2);
        assert.strictEqual(stdout, "");
        assert.strictEqual(stderr, `${option}: got ${JSON.stringify(value)}; ${reason}\n`);
      });
    }

    it("accepts addresses and names nginx reads as one argument", () => {
      assert.strictEqual(serverNameProblem("jenkins.ci.internal"), undefined);
      assert.strictEqual(serverNameProblem("10.0.0.5"), undefined);
      for (const resolver of [
        "172.20.0.10",
        "172.20.0.10:53",
        "[fd00::10]",
        "[fd00::10]:5353",
        "dns.local",
      ]) {
        assert.strictEqual(resolverProblem(resolver), undefined, resolver);
      }
      assert.strictEqual(listenProblem("[::1]:8080"), undefined);
      assert.strictEqual(nginxPathProblem("/etc/nginx/ca.pem", true), undefined);
      assert.strictEqual(nginxPathProblem("ca.pem", false), undefined);
      for (const c of [";", "{", "}", '"', "'", " ", "\t", "\n", "$", "#", "\\"]) {
        assert.ok(nginxPathProblem(`/tmp/a${c}b`, true), JSON.stringify(c));
      }
    });
  });

  describe("plan", () => {
    let tmp: string;
    before(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-"));
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("refuses --out into a folder that cannot be created, with one line and no plan", () => {
      const { status, stdout, stderr } = run("scripts/plan.ts", "--stack", "dev", "--out", "/proc/x");
      assert.strictEqual(status, 2);
      assert.strictEqual(stdout, "");
      assert.strictEqual(stderr, '--out: got "/proc/x"; cannot create /proc/x (ENOENT)\n');
    });

    it("refuses --out below a file, and creates missing levels one at a time otherwise", () => {
      const file = path.join(tmp, "file");
      fs.writeFileSync(file, "");
      assert.strictEqual(outDirProblem(path.join(file, "sub")), `${file} is not a directory`);
      const deep = path.join(tmp, "a", "b", "c");
      assert.strictEqual(outDirProblem(deep), undefined);
      assert.ok(fs.statSync(deep).isDirectory());
    });

    it("refuses a --stacks-dir that is missing or a file", () => {
      const missing = path.join(tmp, "missing");
      const a = run("scripts/plan.ts", "--stack", "dev", "--stacks-dir", missing);
      assert.strictEqual(a.status, 2);
      assert.strictEqual(
        a.stderr,
        `--stacks-dir: got "${missing}"; expected a directory holding Pulumi.<stack>.yaml files (it does not exist)\n`,
      );
      const b = run("scripts/plan.ts", "--stack", "dev", "--stacks-dir", "package.json");
      assert.strictEqual(b.status, 2);
      assert.strictEqual(
        b.stderr,
        `--stacks-dir: got "${path.join(ROOT, "package.json")}"; expected a directory holding Pulumi.<stack>.yaml files (it is a file)\n`,
      );
    });

    it("refuses a --config index past the end of the list instead of filling a billion holes", () => {
      const { status, stderr } = run("scripts/plan.ts", "--stack", "dev", "--config", "x[999999999]=1");
      assert.strictEqual(status, 2);
      assert.strictEqual(
        stderr,
        '--config: got "x[999999999]=1"; index 999999999 is past the end of the list (0 items); expected an index from 0 to 0\n',
      );
    });

    it("refuses --diff with a stacks folder outside the repository, which has no history at the ref", () => {
      const dir = path.join(tmp, "stacks");
      fs.mkdirSync(dir);
      fs.copyFileSync(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
      const { status, stdout, stderr } = run(
        "scripts/plan.ts",
        "--stack",
        "dev",
        "--diff",
        "HEAD",
        "--stacks-dir",
        dir,
      );
      assert.strictEqual(status, 2);
      assert.strictEqual(stdout, "");
      assert.strictEqual(
        stderr,
        `--stacks-dir: got "${dir}"; with --diff, expected a folder inside the repository (${ROOT})\n`,
      );
    });
  });
});
