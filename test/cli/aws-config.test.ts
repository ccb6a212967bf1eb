/**
 * `npm run plan` refuses, before running anything, stack settings AWS would refuse: exit status 2
 * and one line per setting on stderr, nothing on stdout.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ROOT } from "../harness/plan";

function plan(...args: string[]) {
  return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/plan.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
}

describe("npm run plan with settings AWS does not offer", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "aws-config-"));
    fs.writeFileSync(path.join(dir, "Pulumi.region.yaml"), "config:\n  aws:region: eu-west-9\n");
    fs.writeFileSync(
      path.join(dir, "Pulumi.offers.yaml"),
      [
        "config:",
        "  aws:region: us-east-1",
        "  jenkins-agent-bridge:controller:",
        "    cpu: 512",
        "    memoryMiB: 8192",
        "    ui:",
        "      certificateArn: arn:aws:acm:us-west-2:123456789012:certificate/0b6f3a2e-1c9d-4e8f-9a7b-2c3d4e5f6a7b",
        "  jenkins-agent-bridge:agentCluster:",
        '    kubernetesVersion: "1.27"',
        "  jenkins-agent-bridge:gateway:",
        "    privateZoneName: ec2.internal",
        "  jenkins-agent-bridge:agentNetwork:",
        "    natStrategy: none",
      ].join("\n"),
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("exits 2 on a region the SDK does not list", () => {
    const result = plan("--stack", "region", "--stacks-dir", dir);
    assert.strictEqual(result.status, 2);
    assert.strictEqual(result.stdout, "");
    assert.strictEqual(
      result.stderr,
      'aws:region: got "eu-west-9"; expected an AWS region the AWS SDK lists, such as us-east-1\n',
    );
  });

  it("exits 2 with one line each for a Fargate pair, a certificate, a version, a zone name and an agent network without NAT", () => {
    const result = plan("--stack", "offers", "--stacks-dir", dir);
    assert.strictEqual(result.status, 2);
    assert.strictEqual(result.stdout, "");
    const lines = result.stderr.trimEnd().split("\n");
    assert.deepStrictEqual(
      lines.map((l) => l.slice(0, l.indexOf(":", "jenkins-agent-bridge:".length))),
      [
        "jenkins-agent-bridge:controller.memoryMiB",
        "jenkins-agent-bridge:controller.ui.certificateArn",
        "jenkins-agent-bridge:agentCluster.kubernetesVersion",
        "jenkins-agent-bridge:gateway.privateZoneName",
        "jenkins-agent-bridge:agentNetwork.natStrategy",
      ],
    );
    assert.strictEqual(
      lines[0],
      "jenkins-agent-bridge:controller.memoryMiB: got 8192 with controller.cpu 512; expected a pair Fargate offers: with 512 CPU units Fargate offers 1024 to 4096 in steps of 1024 MiB",
    );
    assert.ok(lines[1].endsWith("own region only), not us-west-2"), lines[1]);
    assert.ok(
      lines[2].startsWith(
        'jenkins-agent-bridge:agentCluster.kubernetesVersion: got "1.27"; expected a version EKS offers',
      ),
    );
    assert.ok(
      lines[3].startsWith(
        'jenkins-agent-bridge:gateway.privateZoneName: got "ec2.internal"; expected a name apart from ec2.internal',
      ),
    );
    assert.ok(
      lines[4].startsWith(
        'jenkins-agent-bridge:agentNetwork.natStrategy: got "none"; expected single or perAz',
      ),
    );
  });
});

describe("npm run plan --check", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-"));
    const cidrs = Array.from({ length: 40 }, (_, i) => `      - 203.0.113.${i}/32`);
    fs.writeFileSync(
      path.join(dir, "Pulumi.wide.yaml"),
      [
        "config:",
        "  aws:region: us-east-1",
        "  jenkins-agent-bridge:agentCluster:",
        "    apiAllowedCidrs:",
        ...cidrs,
      ].join("\n"),
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("exits 0 with the summary line for a committed stack", () => {
    const result = plan("--stack", "prod", "--check");
    assert.strictEqual(result.status, 0, result.stderr);
    assert.match(result.stdout, /^acceptance check: 10 rules over \d+ resources; 0 violations, 0 skipped\n$/);
  });

  it("exits 1 with one line per violation: 40 allowed blocks plus the NAT addresses exceed what EKS takes", () => {
    const result = plan("--stack", "wide", "--stacks-dir", dir, "--check");
    assert.strictEqual(result.status, 1, result.stderr);
    const lines = result.stdout.split("\n");
    assert.deepStrictEqual(lines.slice(0, 1), [
      "violation [eks-public-cidrs] agents (aws:eks/cluster:Cluster) vpcConfig.publicAccessCidrs: has 42 blocks; EKS takes at most 40",
    ]);
    assert.match(lines[1], /^acceptance check: 10 rules over \d+ resources; 1 violation, 0 skipped$/);
    assert.deepStrictEqual(lines.slice(2), [""]);
  });
});
