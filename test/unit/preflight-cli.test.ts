/** `npm run preflight` as a command: its exit status and one-line messages, without AWS. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { NS } from "../harness/preflight";
import { ROOT } from "../harness/plan";

describe("npm run preflight", () => {
  const run = (args: string[], env: Record<string, string | undefined>) =>
    spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/preflight.ts", ...args], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: "/usr/bin:/bin", HOME: "/nonexistent", ...env },
    });

  it("without credentials prints one line and exits 1", function () {
    this.timeout(60_000);
    const { status, stdout, stderr } = run(["--stack", "dev"], {
      AWS_CONFIG_FILE: "/nonexistent",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
      AWS_EC2_METADATA_DISABLED: "true",
    });
    assert.strictEqual(status, 1);
    assert.strictEqual(stdout, "");
    assert.deepStrictEqual(stderr.split("\n"), [
      "credentials: none usable for stack dev in us-east-1 (Could not load credentials from any providers); expected AWS credentials: aws:profile or AWS_PROFILE, AWS_ACCESS_KEY_ID, or aws sso login",
      "",
    ]);
  });

  it("exits 2 with one line on a usage or config mistake", function () {
    this.timeout(60_000);
    const unknown = run(["--stack", "nope"], {});
    assert.strictEqual(unknown.status, 2);
    assert.strictEqual(
      unknown.stderr,
      '--stack: got "nope"; expected one of dev, prod, tcp (files in stacks/)\n',
    );
    const bad = run(["--stack", "dev", "--config", "agentCluster.apiAccess.from=laptop"], {});
    assert.strictEqual(bad.status, 2);
    assert.strictEqual(
      bad.stderr,
      `${NS}agentCluster.apiAccess.from: got "laptop"; expected one of cidrs, masterVpc\n`,
    );
  });
});
