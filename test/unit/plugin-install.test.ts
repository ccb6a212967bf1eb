/**
 * The init container's script run for real (POSIX sh, as the Jenkins image's /bin/sh) in a scratch
 * JENKINS_HOME, with a stand-in jenkins-plugin-cli on PATH that writes one file per requested
 * plugin and records each call. Also checked by shellcheck.
 */
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { initScript, pluginsFor } from "../../components/jenkins/plugin-install";
import { TCP_PLUGINS } from "../../components/shared/versions";

/** A stand-in for jenkins-plugin-cli: logs its arguments, writes `<name>.jpi` holding `name:version`. */
const FAKE_CLI = `#!/bin/sh
set -eu
echo "$*" >> "$CALLS"
[ -z "\${FAIL:-}" ] || exit 1
dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --plugin-download-directory) dir=$2; shift 2 ;;
    --plugins) shift; for p in "$@"; do mkdir -p "$dir"; printf '%s' "$p" > "$dir/\${p%%:*}.jpi"; done; break ;;
    *) shift ;;
  esac
done
`;

describe("plugin install script", () => {
  let root: string;
  let home: string;
  let calls: string;
  let bin: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "plugins-"));
    home = path.join(root, "home");
    bin = path.join(root, "bin");
    calls = path.join(root, "calls");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "jenkins-plugin-cli"), FAKE_CLI, { mode: 0o755 });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const run = (plugins: string[], extra: Record<string, string> = {}) =>
    spawnSync("sh", ["-c", initScript(home)], {
      encoding: "utf8",
      env: {
        PATH: `${bin}:${process.env.PATH}`,
        CALLS: calls,
        JENKINS_VERSION: "2.555.1",
        CASC_YAML_BASE64: Buffer.from("jenkins: {}\n").toString("base64"),
        PLUGINS: plugins.join(" "),
        ...extra,
      },
    });
  const callCount = () =>
    fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").trim().split("\n").length : 0;
  const installed = () =>
    fs
      .readdirSync(path.join(home, "plugins"))
      .filter((f) => f.endsWith(".jpi"))
      .sort();

  it("installs the list, writes the JCasC file, and on an unchanged restart downloads nothing", () => {
    const first = run(["git:5.10.1", "kubernetes:4423.vb_59f230b_ce53"]);
    assert.strictEqual(first.status, 0, first.stderr);
    assert.strictEqual(first.stdout.trim(), "plugins: installed the pinned list");
    assert.deepStrictEqual(installed(), ["git.jpi", "kubernetes.jpi"]);
    assert.strictEqual(fs.readFileSync(path.join(home, "casc", "jenkins.yaml"), "utf8"), "jenkins: {}\n");
    assert.strictEqual(
      fs.readFileSync(calls, "utf8").trim(),
      `--latest false --plugin-download-directory ${home}/plugins.new --plugins git:5.10.1 kubernetes:4423.vb_59f230b_ce53`,
    );
    // The update center is unreachable now: an unchanged list must not need it.
    const again = run(["git:5.10.1", "kubernetes:4423.vb_59f230b_ce53"], { FAIL: "1" });
    assert.strictEqual(again.status, 0, again.stderr);
    assert.strictEqual(
      again.stdout.trim(),
      "plugins: the installed set is the pinned list; nothing to download",
    );
    assert.strictEqual(callCount(), 1);
  });

  it("removes a plugin dropped from the list", () => {
    run(["git:5.10.1", "kubernetes:4423.vb_59f230b_ce53"]);
    fs.mkdirSync(path.join(home, "plugins", "kubernetes")); // Jenkins' exploded copy
    assert.strictEqual(run(["git:5.10.1"]).status, 0);
    assert.deepStrictEqual(installed(), ["git.jpi"]);
    assert.ok(!fs.existsSync(path.join(home, "plugins", "kubernetes")));
    assert.ok(!fs.existsSync(path.join(home, "plugins.old")));
  });

  it("undoes a plugin upgraded or added behind the list's back", () => {
    run(["git:5.10.1"]);
    fs.writeFileSync(path.join(home, "plugins", "git.jpi"), "git:9.9.9");
    fs.writeFileSync(path.join(home, "plugins", "extra.jpi"), "extra:1");
    const result = run(["git:5.10.1"]);
    assert.strictEqual(result.stdout.trim(), "plugins: installed the pinned list");
    assert.deepStrictEqual(installed(), ["git.jpi"]);
    assert.strictEqual(fs.readFileSync(path.join(home, "plugins", "git.jpi"), "utf8"), "git:5.10.1");
  });

  it("reinstalls for a new Jenkins core", () => {
    run(["git:5.10.1"]);
    assert.strictEqual(
      run(["git:5.10.1"], { JENKINS_VERSION: "2.556.1" }).stdout.trim(),
      "plugins: installed the pinned list",
    );
    assert.strictEqual(callCount(), 2);
  });

  it("keeps the previous plugins when an install fails, and exits non-zero", () => {
    run(["git:5.10.1"]);
    const failed = run(["git:5.10.1", "kubernetes:4423.vb_59f230b_ce53"], { FAIL: "1" });
    assert.notStrictEqual(failed.status, 0);
    assert.deepStrictEqual(installed(), ["git.jpi"]);
  });

  it("passes shellcheck", () => {
    const file = path.join(root, "init.sh");
    fs.writeFileSync(file, `#!/bin/sh\n${initScript("/var/jenkins_home")}\n`);
    execFileSync("shellcheck", ["--shell=sh", file], { encoding: "utf8" });
  });
});

describe("pluginsFor", () => {
  it("adds the TCP plugins in tcp mode unless the list names them", () => {
    assert.deepStrictEqual(pluginsFor("tcp", ["git:5.10.1"]), ["git:5.10.1", ...TCP_PLUGINS]);
    assert.deepStrictEqual(pluginsFor("tcp", ["git:5.10.1", "instance-identity:1.0"]), [
      "git:5.10.1",
      "instance-identity:1.0",
    ]);
    assert.deepStrictEqual(pluginsFor("websocket", ["git:5.10.1"]), ["git:5.10.1"]);
  });
});
