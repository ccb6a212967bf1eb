/**
 * `npm run plan` as a user runs it, for settings AWS would refuse: the config is refused before
 * anything runs (exit status 2, one line per setting on stderr, nothing on stdout), and `--check`
 * reports inputs AWS would refuse (exit status 1, one line each). The stack files are the committed
 * dev stack with one change each, so every other setting a stack needs is present.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { decodeConfigValue } from "../../config/decode";
import { applyOverrides, readStack, STACKS_DIR } from "../../offline/stack-file";
import { ROOT } from "../harness/plan";

function plan(...args: string[]) {
  return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/plan.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
}

/** Writes `DIR/Pulumi.NAME.yaml`: the dev stack with `--config`-style overrides. */
function writeStack(dir: string, name: string, overrides: string[]): void {
  const { values } = applyOverrides(readStack(STACKS_DIR, "dev"), overrides);
  const config = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, decodeConfigValue(v)]));
  fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), stringify({ config }));
}

const NS = "jenkins-agent-bridge";

describe("npm run plan with settings AWS does not offer", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-config-"));
    writeStack(dir, "region", ["aws:region=eu-west-9"]);
    writeStack(dir, "offers", [
      "controller.cpu=512",
      "controller.memoryMiB=8192",
      "controller.ui.certificateArn=arn:aws:acm:us-west-2:123456789012:certificate/0b6f3a2e-1c9d-4e8f-9a7b-2c3d4e5f6a7b",
      "agentCluster.kubernetesVersion=1.27",
      "gateway.privateZoneName=ec2.internal",
      "agentNetwork.natStrategy=none",
    ]);
    writeStack(dir, "team.dev", []);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("exits 2 on a region the SDK does not list", () => {
    const result = plan("--stack", "region", "--stacks-dir", dir);
    assert.strictEqual(result.status, 2);
    assert.strictEqual(result.stdout, "");
    assert.deepStrictEqual(
      result.stderr.split("\n").filter((l) => l.startsWith("aws:region")),
      ['aws:region: got "eu-west-9"; expected an AWS region the AWS SDK lists, such as us-east-1'],
    );
  });

  it("exits 2 with one line each for a Fargate pair, a certificate, a version, a zone name and an agent network without NAT", () => {
    const result = plan("--stack", "offers", "--stacks-dir", dir);
    assert.strictEqual(result.status, 2);
    assert.strictEqual(result.stdout, "");
    const lines = result.stderr.trimEnd().split("\n");
    const line = (key: string) => {
      const found = lines.filter((l) => l.startsWith(`${NS}:${key}: `));
      assert.strictEqual(found.length, 1, `${key} in:\n${result.stderr}`);
      return found[0];
    };
    assert.strictEqual(
      line("controller.memoryMiB"),
      `${NS}:controller.memoryMiB: got 8192 with controller.cpu 512; expected a pair Fargate offers: with 512 CPU units Fargate offers 1024 to 4096 in steps of 1024 MiB`,
    );
    assert.ok(line("controller.ui.certificateArn").endsWith("own region only), not us-west-2"));
    assert.ok(line("agentCluster.kubernetesVersion").includes('got "1.27"; expected a version EKS offers'));
    assert.ok(
      line("gateway.privateZoneName").includes('got "ec2.internal"; expected a name apart from ec2.internal'),
    );
    assert.ok(line("agentNetwork.natStrategy").includes('got "none"; expected single or perAz'));
  });

  it("--check exits 0 with the summary line for a committed stack", () => {
    const result = plan("--stack", "prod", "--check");
    assert.strictEqual(result.status, 0, result.stderr);
    assert.match(result.stdout, /^acceptance check: 12 rules over \d+ resources; 0 violations, 0 skipped\n$/);
  });

  it("exits 2 with one line on a period in the stack name, which Pulumi allows and EKS, ECS and KMS names do not", () => {
    // The acceptance check's service-name rule refuses the names such a stack would make
    // (test/unit/acceptance.test.ts); the stack is refused before it is planned.
    const result = plan("--stack", "team.dev", "--stacks-dir", dir, "--check");
    assert.strictEqual(result.status, 2, result.stderr);
    assert.strictEqual(result.stdout, "");
    assert.strictEqual(
      result.stderr,
      'stack: got "team.dev"; expected letters, digits, - and _, starting with a letter or digit (the stack name is part of EKS, ECS and KMS alias names, which take nothing else)\n',
    );
  });
});
