/**
 * `npm run plan` as a user runs it: a real child process, its exit status and its exact output.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { ROOT } from "../harness/plan";

function plan(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "scripts/plan.ts", ...args],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run plan", () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-test-"));
  });
  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("prints the tree of a stack and ends with the resource count", () => {
    const { status, stdout, stderr } = plan("--stack", "dev");
    assert.strictEqual(stderr, "");
    assert.strictEqual(status, 0);
    const lines = stdout.trimEnd().split("\n");
    assert.strictEqual(lines[0], "jenkins-agent-bridge · stack dev · region us-east-1 · transport websocket");
    // 133, and the controller's and the proxy's namespaces and the agent pods' admission policy and
    // binding, the flow logs' KMS key of each network, the monitoring component with its 27
    // children; and 29 for capacity: the system nodes' group and the Karpenter component with its
    // 28 children; and the controller cluster's Fargate Spot provider. The monitoring component no
    // longer makes a second Pod Identity agent add-on (EKS takes each add-on once per cluster).
    assert.strictEqual(lines[lines.length - 1], "197 resources");
    // The alarm topic, every alarm and the dashboard are listed.
    assert.ok(lines.includes("Monitoring (component) monitoring"));
    assert.ok(lines.includes("├─ aws.sns.Topic monitoring-alarms  encrypted with monitoring-key"));
    assert.ok(
      lines.includes("├─ aws.cloudwatch.Dashboard monitoring-dashboard  jenkins-agent-bridge-dev, 9 widgets"),
    );
    assert.strictEqual(lines.filter((l) => l.includes(" aws.cloudwatch.MetricAlarm monitoring-")).length, 11);
    assert.ok(
      lines.includes(
        "├─ aws.cloudwatch.MetricAlarm monitoring-controller-down  ECS/ContainerInsights RunningTaskCount < 1 (Maximum, 2 of 2 x 300 s, missing data breaching) -> monitoring-alarms on ALARM, monitoring-alarms on OK",
      ),
    );
    assert.ok(lines.includes("Network (component) master"));
    assert.ok(lines.includes("├─ aws.ec2.Vpc master  10.10.0.0/16, DNS support on, DNS hostnames on"));
    assert.ok(lines.includes("├─ aws.ec2.Route master-private-1-nat  0.0.0.0/0 -> master-nat-0"));
    assert.ok(
      lines.includes(
        "├─ aws.ec2.DefaultSecurityGroup agent-default-sg  default group taken over: 0 ingress, 0 egress rules",
      ),
    );
  });

  it("prints JSON with --json and writes the same JSON to DIR/plan.json with --out", () => {
    const out = path.join(tmp, "prod");
    const { status, stdout } = plan("--stack", "prod", "--json", "--out", out);
    assert.strictEqual(status, 0);
    const printed = JSON.parse(stdout);
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")), printed);
    assert.deepStrictEqual(Object.keys(printed), ["project", "stack", "resources", "outputs"]);
    assert.strictEqual(printed.project, "jenkins-agent-bridge");
    assert.strictEqual(printed.stack, "prod");
    for (const resource of printed.resources) {
      assert.deepStrictEqual(Object.keys(resource), [
        "type",
        "name",
        "custom",
        "provider",
        "parent",
        "protect",
        "inputs",
      ]);
    }
    assert.deepStrictEqual(
      printed.resources
        .filter((r: { protect: boolean }) => r.protect)
        .map((r: { type: string; name: string }) => `${r.type} ${r.name}`),
      ["aws:efs/fileSystem:FileSystem jenkins-home", "aws:kms/key:Key jenkins-key"],
    );
    const vpcs = printed.resources.filter((r: { type: string }) => r.type === "aws:ec2/vpc:Vpc");
    assert.deepStrictEqual(
      vpcs.map((v: { inputs: Record<string, unknown> }) => [
        v.inputs.cidrBlock,
        v.inputs.enableDnsSupport,
        v.inputs.enableDnsHostnames,
      ]),
      [
        ["10.40.0.0/16", true, true],
        ["10.30.0.0/16", true, true],
      ],
    );
    assert.strictEqual(
      printed.resources.filter((r: { type: string }) => r.type === "aws:ec2/natGateway:NatGateway").length,
      6,
    );
    assert.strictEqual(printed.outputs.region, "eu-west-1");
    const jcasc = parse(fs.readFileSync(path.join(out, "jenkins.yaml"), "utf8"));
    assert.strictEqual(jcasc.jenkins.slaveAgentPort, -1);
    const agents = jcasc.jenkins.clouds[0].kubernetes;
    assert.deepStrictEqual(
      [agents.webSocket, agents.jenkinsTunnel, agents.jenkinsUrl],
      [true, undefined, "http://agent-proxy.jenkins-agent-proxy.svc.cluster.local:8080/"],
    );
    assert.match(
      fs.readFileSync(path.join(out, "nginx.conf"), "utf8"),
      /proxy_ssl_name jenkins\.ci\.internal;/,
    );
    // The dashboard body, for review: the same JSON the dashboard is declared with.
    const dashboard = printed.resources.find(
      (r: { type: string }) => r.type === "aws:cloudwatch/dashboard:Dashboard",
    );
    assert.deepStrictEqual(
      JSON.parse(fs.readFileSync(path.join(out, "dashboard.json"), "utf8")),
      JSON.parse(dashboard.inputs.dashboardBody),
    );
  });

  it("writes the tcp stack's JCasC with the fixed agent port, and no secret value", () => {
    const out = path.join(tmp, "tcp");
    assert.strictEqual(plan("--stack", "tcp", "--out", out).status, 0);
    const text = fs.readFileSync(path.join(out, "jenkins.yaml"), "utf8");
    assert.strictEqual(parse(text).jenkins.slaveAgentPort, 50000);
    const agents = parse(text).jenkins.clouds[0].kubernetes;
    assert.deepStrictEqual(
      [agents.webSocket, agents.jenkinsTunnel],
      [false, "jenkins.tcp.ci.internal:50000"],
    );
    assert.ok(!fs.existsSync(path.join(out, "nginx.conf")), "a tcp stack has no proxy");
    assert.ok(text.includes("password: ${JENKINS_ADMIN_PASSWORD}"));
    assert.ok(!text.includes("mock-"));
  });

  it("applies --config overrides for the run", () => {
    const { status, stdout } = plan(
      "--stack",
      "dev",
      "--json",
      "--config",
      "agentNetwork.natStrategy=perAz",
      "--config",
      "transport=tcp",
    );
    assert.strictEqual(status, 0);
    const printed = JSON.parse(stdout);
    assert.strictEqual(printed.outputs.transport, "tcp");
    const nats = printed.resources.filter(
      (r: { type: string }) => r.type === "aws:ec2/natGateway:NatGateway",
    );
    assert.deepStrictEqual(
      nats.map((n: { name: string }) => n.name),
      ["agent-nat-0", "agent-nat-1", "master-nat-0"],
    );
  });

  it("refuses secret values in project keys, which would reach state as plain text", () => {
    const dir = path.join(tmp, "secret-stacks");
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, "Pulumi.s.yaml"),
      "config:\n  aws:region: us-east-1\n  jenkins-agent-bridge:tags:\n    Owner:\n      secure: v1:c2VjcmV0\n" +
        "  jenkins-agent-bridge:agentCluster:\n    apiAccess:\n      from: masterVpc\n",
    );
    const { status, stdout, stderr } = plan("--stack", "s", "--stacks-dir", dir);
    assert.strictEqual(status, 2);
    assert.strictEqual(stdout, "");
    assert.strictEqual(
      stderr,
      "jenkins-agent-bridge:tags: holds a secret; expected a plain value: no setting of this project is secret (the admin password is generated)\n",
    );
  });

  it("shows secret inputs as [secret] in the JSON, never their values", () => {
    const { status, stdout } = plan("--stack", "dev", "--json");
    assert.strictEqual(status, 0);
    const version = JSON.parse(stdout).resources.find(
      (r: { type: string }) => r.type === "aws:secretsmanager/secretVersion:SecretVersion",
    );
    assert.strictEqual(version.inputs.secretString, "[secret]");
    assert.ok(!stdout.includes("mock-"), "a generated password leaked into the plan");
  });

  it("exits 2 with one line per mistake of a stack file, and nothing else", () => {
    const dir = path.join(tmp, "bad-stacks");
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, "Pulumi.broken.yaml"),
      [
        "config:",
        "  jenkins-agent-bridge:transport: websockets",
        "  jenkins-agent-bridge:masterNetwork:",
        "    cidrBlock: 10.10.0.0/16",
        "    natStrategy: perAZ",
        "  jenkins-agent-bridge:agentNetwork:",
        "    cidrBlock: 10.10.0.0/17",
        "    azCount: 1",
        "  jenkins-agent-bridge:agentClustre:",
        "    nodeMinSize: -1",
      ].join("\n"),
    );
    const { status, stdout, stderr } = plan("--stack", "broken", "--stacks-dir", dir);
    assert.strictEqual(status, 2);
    assert.strictEqual(stdout, "");
    assert.strictEqual(
      stderr,
      [
        'jenkins-agent-bridge:agentClustre: unknown key (got {"nodeMinSize":-1}); did you mean jenkins-agent-bridge:agentCluster?',
        'jenkins-agent-bridge:transport: got "websockets"; expected one of websocket, tcp (did you mean "websocket"?)',
        'jenkins-agent-bridge:masterNetwork.natStrategy: got "perAZ"; expected one of none, single, perAz (did you mean "perAz"?)',
        "jenkins-agent-bridge:agentNetwork.azCount: got 1; expected an integer from 2 to 6",
        "aws:region: missing; expected an AWS region such as us-east-1 (pulumi config set aws:region us-east-1)",
        // The misspelt agentCluster leaves the stack without its API access decision.
        "jenkins-agent-bridge:agentCluster.apiAccess.from: got nothing; expected where pulumi up runs from: cidrs (with agentCluster.apiAccess.cidrs naming the public blocks of the machines that run it) or masterVpc (a runner inside the master VPC, through its NAT addresses); without it nothing that runs Pulumi can reach the cluster's API",
        'jenkins-agent-bridge:agentNetwork.cidrBlock: got "10.10.0.0/17"; expected a block that does not overlap masterNetwork.cidrBlock 10.10.0.0/16',
        "",
      ].join("\n"),
    );
  });

  it("exits 2 on an unknown stack or a malformed option, without a stack trace", () => {
    const unknown = plan("--stack", "staging");
    assert.strictEqual(unknown.status, 2);
    assert.strictEqual(
      unknown.stderr,
      '--stack: got "staging"; expected one of dev, prod, tcp (files in stacks/)\n',
    );
    const malformed = plan("--stack", "dev", "--config", "transport");
    assert.strictEqual(malformed.status, 2);
    assert.strictEqual(
      malformed.stderr,
      '--config: got "transport"; expected KEY=VALUE, such as transport=tcp\n',
    );
    const missing = plan();
    assert.strictEqual(missing.status, 2);
    assert.ok(missing.stderr.startsWith("--stack is required\nusage: npm run plan"));
    for (const run of [unknown, malformed, missing]) {
      assert.ok(!/\n\s+at /.test(run.stderr), run.stderr);
    }
  });
});

describe("npm run plan -- --diff", () => {
  it("refuses a ref that names no commit, and an unknown format, with exit status 2", () => {
    const ref = plan("--stack", "dev", "--diff", "no-such-ref");
    assert.strictEqual(
      ref.stderr,
      '--diff: got "no-such-ref"; expected a git commit, branch or tag of this repository\n',
    );
    assert.strictEqual(ref.status, 2);
    const format = plan("--stack", "dev", "--diff", "HEAD", "--format", "html");
    assert.strictEqual(format.stderr, '--format: got "html"; expected text or markdown\n');
    assert.strictEqual(format.status, 2);
  });

  it("against HEAD: nothing on an unchanged tree, exactly the changed setting otherwise", function () {
    this.timeout(120_000);
    const dirty = spawnSync("git", ["status", "--porcelain", "--", ".", ":!test", ":!*.md"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (dirty.status !== 0 || dirty.stdout.trim() !== "") {
      console.log("      (skipped: the program differs from HEAD, so a diff against HEAD is not empty)");
      this.skip();
    }
    const same = plan("--stack", "dev", "--diff", "HEAD");
    assert.strictEqual(same.stderr, "");
    assert.strictEqual(same.stdout, "+0 ~0 -0\n");
    assert.strictEqual(same.status, 0);
    const changed = plan(
      "--stack",
      "dev",
      "--diff",
      "HEAD",
      "--config",
      "agentCluster.agentNodes.consolidateAfterMinutes=10",
      "--format",
      "markdown",
    );
    assert.strictEqual(
      changed.stdout,
      [
        "### Plan diff of stack dev: HEAD → working tree",
        "",
        "`+0 ~1 -0`",
        "",
        "| | type | name | changed inputs |",
        "| --- | --- | --- | --- |",
        "| ~ | `kubernetes:karpenter.sh/v1:NodePool` | `agents-autoscaler-node-pool` | `spec.disruption.consolidateAfter` |",
        "",
      ].join("\n"),
    );
    assert.strictEqual(changed.status, 0);
  });
});

describe("npm run plan -- --cost", () => {
  const total = (stdout: string) => {
    const last = stdout.trimEnd().split("\n").at(-1) ?? "";
    const match = /^total {2}\$([\d,]+\.\d\d)\/month$/.exec(last);
    assert.ok(match, `last line: ${last}`);
    return Number(match[1].replace(/,/g, ""));
  };

  it("prints each line with its basis, the price source and date, and a total in dollars; prod costs more than dev", function () {
    this.timeout(120_000); // two plans in child processes, on a shared machine
    const dev = plan("--stack", "dev", "--cost");
    assert.strictEqual(dev.status, 0, dev.stderr);
    assert.match(
      dev.stdout,
      /^Monthly cost estimate · stack dev · us-east-1\nprices: AWS list prices for us-east-1 .* read on \d{4}-\d\d-\d\d/,
    );
    assert.match(
      dev.stdout,
      /\nNAT gateway +1,460 +hour +\$0\.045 +\$65\.70 +2 × aws:ec2\/natGateway:NatGateway × 730 h\n/,
    );
    const prod = plan("--stack", "prod", "--cost");
    assert.strictEqual(prod.status, 0, prod.stderr);
    assert.ok(total(prod.stdout) > total(dev.stdout), `prod ${total(prod.stdout)} dev ${total(dev.stdout)}`);
  });

  it("with --diff, adds the monthly delta after the resource diff", function () {
    this.timeout(120_000);
    const dirty = spawnSync("git", ["status", "--porcelain", "--", ".", ":!test", ":!*.md"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (dirty.stdout.trim() !== "") {
      console.log("      (skipped: the program differs from HEAD)");
      this.skip();
    }
    const { status, stdout } = plan(
      "--stack",
      "dev",
      "--diff",
      "HEAD",
      "--cost",
      "--config",
      "agentCluster.agentNodes.expectedNodeHoursPerMonth=120",
    );
    assert.strictEqual(status, 0);
    const lines = stdout.trimEnd().split("\n");
    assert.deepStrictEqual(lines.slice(0, 2), [
      "+0 ~1 -0",
      "~ kubernetes:karpenter.sh/v1:NodePool agents-autoscaler-node-pool: metadata.annotations.jenkins-agent-bridge/expected-node-hours-per-month",
    ]);
    // 60 more agent node-hours: 54 on Spot at 0.4 × $0.096, 6 on-demand at $0.096, and their
    // 50 GiB gp3 root volumes, which also hold the path check's 48.67 hours:
    // $4.15 - $2.07 + $1.15 - $0.58 + $0.92 - $0.60.
    assert.match(lines.at(-1) ?? "", /^total {2}\$[\d,.]+\/month → \$[\d,.]+\/month \(\+\$2\.97\/month\)$/);
  });
});

describe("npm run plan -- --policy", () => {
  it("runs the policy pack over the plan: no violation in a committed stack, exit status 0", () => {
    const result = plan("--stack", "tcp", "--policy");
    assert.strictEqual(result.stderr, "");
    assert.strictEqual(result.stdout, "policy pack: 0 mandatory, 0 other violations\n");
    assert.strictEqual(result.status, 0);
  });
});
