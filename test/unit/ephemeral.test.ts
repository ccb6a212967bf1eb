import * as assert from "assert";
import { spawnSync } from "child_process";
import fc from "fast-check";
import { mustParseCidr, overlaps } from "../../components/network/cidr";
import { DELETED_ONE_BY_ONE } from "../../components/cluster/teardown";
import { decodeConfig } from "../../config/decode";
import { NETWORK_DEFAULTS, parseStackConfig } from "../../config/stack-config";
import {
  chooseExpiry,
  ephemeralCidrs,
  ephemeralStackFile,
  ephemeralValues,
  expiredStacks,
  expiresAt,
  isEphemeralStack,
  nameProblems,
  planEphemeral,
  reaperAdmins,
  recordedExpiry,
  roleOf,
  shortStackName,
  stackCidrs,
} from "../../ephemeral/plan";
import { runPlan } from "../../offline/engine";
import { listStacks, readStack, STACKS_DIR } from "../../offline/stack-file";
import { PlanView, ROOT } from "../harness/plan";

const DEFAULTS = { master: NETWORK_DEFAULTS.masterCidrBlock, agent: NETWORK_DEFAULTS.agentCidrBlock };
const COMMITTED = listStacks(STACKS_DIR).flatMap((s) => stackCidrs(readStack(STACKS_DIR, s), DEFAULTS));
const NOW = new Date("2026-11-21T12:00:00.000Z");
const dev = () => readStack(STACKS_DIR, "dev");

describe("ephemeral stacks", () => {
  it("accepts short lowercase names and refuses others with one line naming --name", () => {
    assert.deepStrictEqual(nameProblems("pr-123"), []);
    assert.deepStrictEqual(nameProblems(undefined), [
      "--name: missing; expected a short name such as pr-123",
    ]);
    for (const bad of ["Demo", "1st", "a", "x--y", "trailing-", "much-too-long-for-a-stack-name"]) {
      assert.deepStrictEqual(nameProblems(bad), [
        `--name: got "${bad}"; expected 2 to 24 lowercase letters, digits and single hyphens, starting with a letter`,
      ]);
    }
  });

  it("knows the committed stacks' blocks", () => {
    assert.deepStrictEqual(COMMITTED, [
      "10.10.0.0/16",
      "10.20.0.0/16",
      "10.30.0.0/16",
      "10.40.0.0/16",
      "10.50.0.0/16",
      "10.60.0.0/16",
    ]);
  });

  it("derives the same pair of /16 blocks from the same name, clear of every committed stack", () => {
    assert.deepStrictEqual(ephemeralCidrs("demo", COMMITTED), {
      master: "10.188.0.0/16",
      agent: "10.189.0.0/16",
    });
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,22}[a-z0-9]$/), (name) => {
        const { master, agent } = ephemeralCidrs(name, COMMITTED);
        assert.deepStrictEqual(ephemeralCidrs(name, COMMITTED), { master, agent });
        for (const block of [master, agent]) {
          assert.ok(
            !COMMITTED.some((c) => overlaps(mustParseCidr(c), mustParseCidr(block))),
            `${name}: ${block}`,
          );
        }
        assert.notStrictEqual(master, agent);
      }),
    );
  });

  it("moves to the next free pair when a block is taken, and says so when none is left", () => {
    assert.deepStrictEqual(ephemeralCidrs("demo", [...COMMITTED, "10.189.0.0/16"]), {
      master: "10.190.0.0/16",
      agent: "10.191.0.0/16",
    });
    assert.throws(
      () => ephemeralCidrs("demo", ["10.0.0.0/8"]),
      /^Error: no free pair of \/16 blocks left in 10.100.0.0 to 10.227.0.0 for demo$/,
    );
  });

  it("expires ttl hours from now, in UTC to the second", () => {
    assert.strictEqual(expiresAt(NOW, 24), "2026-11-22T12:00:00Z");
  });

  it("keeps a stack's expiry on update unless --ttl is given or it has passed, so no tag changes", () => {
    const ahead = "2026-11-21T18:00:00Z";
    assert.strictEqual(chooseExpiry(ahead, NOW, 24, false), ahead);
    assert.strictEqual(chooseExpiry(ahead, NOW, 2, true), "2026-11-21T14:00:00Z");
    assert.strictEqual(chooseExpiry("2026-11-21T11:00:00Z", NOW, 24, false), "2026-11-22T12:00:00Z");
    assert.strictEqual(chooseExpiry(undefined, NOW, 24, false), "2026-11-22T12:00:00Z");
    assert.strictEqual(chooseExpiry("garbled", NOW, 24, false), "2026-11-22T12:00:00Z");
  });

  it("reads the recorded expiry from a stack's tags, and knows ephemeral stacks under an org prefix", () => {
    const plan = planEphemeral("demo", dev(), COMMITTED, "2026-11-21T20:00:00Z");
    assert.strictEqual(recordedExpiry(ephemeralValues(plan)), "2026-11-21T20:00:00Z");
    assert.strictEqual(recordedExpiry(dev()), undefined);
    assert.deepStrictEqual(
      ["eph-a", "acme/eph-a", "acme/jenkins-agent-bridge/eph-a", "dev", "acme/dev", "ephemeral"].map(
        isEphemeralStack,
      ),
      [true, true, true, false, false, false],
    );
    // Its own name, for its stack file.
    assert.strictEqual(shortStackName("acme/jenkins-agent-bridge/eph-a"), "eph-a");
    assert.strictEqual(shortStackName("eph-a"), "eph-a");
  });

  it("sets the dev settings with the smallest sizes, no protection or retention, and the expiry tag", () => {
    const plan = planEphemeral("demo", dev(), COMMITTED, expiresAt(NOW, 8));
    assert.strictEqual(plan.stack, "eph-demo");
    assert.strictEqual(plan.expiresAt, "2026-11-21T20:00:00Z");
    const parsed = parseStackConfig(decodeConfig(ephemeralValues(plan).values), []);
    assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.problems));
    const c = parsed.config;
    assert.strictEqual(c.region, "us-east-1");
    assert.strictEqual(c.transport, "websocket");
    assert.strictEqual(c.throwaway, true);
    assert.deepStrictEqual(c.tags, {
      Environment: "eph-demo",
      CostCenter: "platform",
      "expires-at": "2026-11-21T20:00:00Z",
    });
    assert.deepStrictEqual(
      [
        c.masterNetwork.cidrBlock,
        c.agentNetwork.cidrBlock,
        c.masterNetwork.natStrategy,
        c.agentNetwork.natStrategy,
      ],
      ["10.188.0.0/16", "10.189.0.0/16", "single", "single"],
    );
    assert.deepStrictEqual(
      [c.masterNetwork.flowLogRetentionDays, c.controller.logRetentionDays, c.agentCluster.logRetentionDays],
      [1, 1, 1],
    );
    assert.deepStrictEqual([c.controller.cpu, c.controller.memoryMiB], [512, 2048]);
    assert.deepStrictEqual(
      [
        c.controller.homeDeletionProtection,
        c.controller.backups,
        c.controller.ui.deletionProtection,
        c.gateway.deletionProtection,
      ],
      [false, false, false, false],
    );
    assert.deepStrictEqual(
      [
        c.agentCluster.systemNodes,
        c.agentCluster.agentNodes.cpuLimit,
        c.agentCluster.agentNodes.memoryLimitGiB,
      ],
      [{ instanceTypes: ["t3.medium"], count: 1, capacityType: "ON_DEMAND", diskSizeGiB: 20 }, 4, 16],
    );
    assert.strictEqual(c.gateway.privateZoneName, "demo.eph.ci.internal");
    assert.match(
      ephemeralStackFile(plan),
      /^# Ephemeral stack eph-demo, written by npm run ephemeral; expires 2026-11-21T20:00:00Z\. Not committed\.\nconfig:\n {2}aws:region: us-east-1\n/,
    );
  });

  it("plans to resources that nothing protects and that keep no data after destroy", async function () {
    this.timeout(60_000);
    const plan = planEphemeral("demo", dev(), COMMITTED, expiresAt(NOW, 8));
    const view = new PlanView(await runPlan(plan.stack, ephemeralValues(plan), "us-east-1"));
    assert.deepStrictEqual(
      view.resources.filter((r) => r.protect).map((r) => r.name),
      [],
    );
    assert.strictEqual(
      view.one("aws:lb/loadBalancer:LoadBalancer", "jenkins-ui").inputs.enableDeletionProtection,
      false,
    );
    for (const secret of view.byType("aws:secretsmanager/secret:Secret")) {
      assert.strictEqual(secret.inputs.recoveryWindowInDays, 0, secret.name);
    }
    for (const group of view.byType("aws:cloudwatch/logGroup:LogGroup")) {
      assert.strictEqual(group.inputs.retentionInDays, 1, group.name);
    }
    assert.deepStrictEqual(view.byType("aws:backup/plan:Plan"), []);
    // In the stack's state, so reap can read it from any machine.
    assert.strictEqual(view.plan.outputs.expiresAt, "2026-11-21T20:00:00Z");
    assert.deepStrictEqual(
      view
        .byType("aws:ec2/vpc:Vpc")
        .map((v) => v.inputs.cidrBlock)
        .sort(),
      ["10.188.0.0/16", "10.189.0.0/16"],
    );
    for (const r of view.resources.filter((r) => r.custom && r.type.startsWith("aws:") && r.inputs.tags)) {
      assert.strictEqual(
        (r.inputs.tags as Record<string, string>)["expires-at"],
        "2026-11-21T20:00:00Z",
        r.name,
      );
    }
  });

  it("never waits on the Kubernetes API to destroy: every object goes with the cluster", async function () {
    this.timeout(60_000);
    const plan = planEphemeral("demo", dev(), COMMITTED, expiresAt(NOW, 8));
    const view = new PlanView(await runPlan(plan.stack, ephemeralValues(plan), "us-east-1"));
    const cluster = view.one("aws:eks/cluster:Cluster", "agents");
    const objects = view.resources.filter((r) => r.type.startsWith("kubernetes:"));
    assert.ok(objects.length > 0);
    // Karpenter's NodePool and node class are deleted one by one, so Karpenter terminates the
    // instances it launched before its controller goes with the cluster.
    const oneByOne = (r: { type: string }) => DELETED_ONE_BY_ONE.some((p) => p.test(r.type));
    assert.deepStrictEqual(
      objects.filter((r) => !oneByOne(r) && r.deletedWith !== cluster.urn).map((r) => `${r.type} ${r.name}`),
      [],
    );
    assert.deepStrictEqual(
      objects.filter((r) => oneByOne(r)).map((r) => `${r.type} ${r.name} ${r.deletedWith ?? "-"}`),
      [
        "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass agents-autoscaler-node-class -",
        "kubernetes:karpenter.sh/v1:NodePool agents-autoscaler-node-pool -",
      ],
    );
    // An unreachable cluster's objects are dropped from the state instead of failing the destroy.
    const provider = view.one("pulumi:providers:kubernetes", "agents-k8s");
    assert.ok(
      [true, "true"].includes(provider.inputs.deleteUnreachable as never),
      String(provider.inputs.deleteUnreachable),
    );
    // Nothing else is deleted with the cluster: AWS resources are deleted one by one.
    assert.deepStrictEqual(
      view.resources.filter((r) => r.deletedWith && !r.type.startsWith("kubernetes:")).map((r) => r.name),
      [],
    );
  });

  it("a lasting stack deletes its Kubernetes objects one by one and never forgets an unreachable one", async function () {
    this.timeout(60_000);
    const view = new PlanView(await runPlan("dev", dev(), "us-east-1"));
    assert.deepStrictEqual(
      view.resources.filter((r) => r.deletedWith).map((r) => r.name),
      [],
    );
    const provider = view.one("pulumi:providers:kubernetes", "agents-k8s");
    assert.ok(
      [false, "false"].includes(provider.inputs.deleteUnreachable as never),
      String(provider.inputs.deleteUnreachable),
    );
  });

  it("gives the reaper's role an access entry, unless it is the one running up", () => {
    const reaper = "arn:aws:iam::123456789012:role/deploy-dev";
    const withReaper = planEphemeral("demo", dev(), COMMITTED, expiresAt(NOW, 8), { reaperRoleArn: reaper });
    const admins = (c: Record<string, unknown>) =>
      (c["jenkins-agent-bridge:agentCluster"] as { adminPrincipalArns?: string[] }).adminPrincipalArns;
    assert.deepStrictEqual(admins(withReaper.config), [reaper]);
    const byReaper = planEphemeral("demo", dev(), COMMITTED, expiresAt(NOW, 8), {
      reaperRoleArn: reaper,
      deployerRoleArn: "arn:aws:sts::123456789012:assumed-role/deploy-dev/GitHubActions",
    });
    assert.deepStrictEqual(admins(byReaper.config), undefined);
    assert.deepStrictEqual(reaperAdmins(["arn:aws:iam::1:role/a"], {}), ["arn:aws:iam::1:role/a"]);
    assert.deepStrictEqual(reaperAdmins([reaper], { reaperRoleArn: reaper }), [reaper]);
    assert.strictEqual(
      roleOf("arn:aws-us-gov:sts::123456789012:assumed-role/r/s"),
      "arn:aws-us-gov:iam::123456789012:role/r",
    );
    assert.strictEqual(roleOf("arn:aws:iam::123456789012:user/u"), "arn:aws:iam::123456789012:user/u");
    // The API access is dev's: up runs from where dev deploys from.
    const parsed = parseStackConfig(decodeConfig(ephemeralValues(withReaper).values), []);
    assert.ok(parsed.ok);
    assert.deepStrictEqual(parsed.ok && parsed.config.agentCluster.apiAccess, {
      from: "cidrs",
      cidrs: ["192.0.2.0/24"],
    });
  });

  it("reaps the ephemeral stacks past their expiry, and lists those without one apart", () => {
    assert.deepStrictEqual(
      expiredStacks(
        [
          { stack: "eph-old", expiresAt: "2026-11-21T11:59:59Z" },
          { stack: "eph-now", expiresAt: "2026-11-21T12:00:00Z" },
          { stack: "eph-new", expiresAt: "2026-11-21T12:00:01Z" },
          { stack: "eph-lost" },
          { stack: "eph-garbled", expiresAt: "tomorrow" },
          { stack: "dev", expiresAt: "2000-01-01T00:00:00Z" },
        ],
        NOW,
      ),
      { expired: ["eph-old", "eph-now"], unknown: ["eph-lost", "eph-garbled"] },
    );
  });
});

describe("npm run ephemeral", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/ephemeral.ts", ...args], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, PATH: "/usr/bin:/bin" },
    });

  it("up --dry-run prints eph-NAME, its config and the steps, with no Pulumi CLI", () => {
    const { status, stdout, stderr } = run("up", "--name", "demo", "--dry-run");
    assert.strictEqual(stderr, "");
    assert.strictEqual(status, 0);
    assert.match(stdout, /^stack eph-demo \(from dev\), expires-at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n/);
    assert.ok(stdout.includes("    cidrBlock: 10.188.0.0/16\n"), stdout);
    assert.ok(stdout.includes("  jenkins-agent-bridge:throwaway: true\n"), stdout);
    assert.ok(stdout.includes("  3. pulumi up --stack eph-demo\n"), stdout);
  });

  it("up --dry-run adds the reaper's role from the environment, and refuses one that is no role", () => {
    const env = { ...process.env, PATH: "/usr/bin:/bin" };
    const dry = (arn: string) =>
      spawnSync(
        process.execPath,
        [
          "-r",
          "ts-node/register/transpile-only",
          "scripts/ephemeral.ts",
          "up",
          "--name",
          "demo",
          "--dry-run",
        ],
        { cwd: ROOT, encoding: "utf8", env: { ...env, EPHEMERAL_REAPER_ROLE_ARN: arn } },
      );
    const good = dry("arn:aws:iam::123456789012:role/deploy-dev");
    assert.strictEqual(good.status, 0, good.stderr);
    assert.ok(good.stdout.includes("      - arn:aws:iam::123456789012:role/deploy-dev\n"), good.stdout);
    const bad = dry("deploy-dev");
    assert.strictEqual(bad.status, 2);
    assert.strictEqual(
      bad.stderr.split("\n")[0],
      'EPHEMERAL_REAPER_ROLE_ARN: got "deploy-dev"; expected an IAM role ARN (not an IAM role or user ARN)',
    );
  });

  it("down and reap --dry-run print their steps", () => {
    const down = run("down", "--name", "demo", "--dry-run");
    assert.strictEqual(
      down.stdout,
      "steps:\n  1. pulumi destroy --stack eph-demo\n  2. pulumi stack rm eph-demo\n  3. delete stacks/Pulumi.eph-demo.yaml\n",
    );
    const reap = run("reap", "--dry-run");
    assert.strictEqual(reap.status, 0);
    assert.match(reap.stdout, /^steps:\n {2}1\. list the project's stacks named eph-\*/);
  });

  it("exits 2 with one line per mistake, then the usage", () => {
    const { status, stderr } = run("upp", "--ttl", "0");
    assert.strictEqual(status, 2);
    assert.deepStrictEqual(stderr.split("\n").slice(0, 2), [
      'command: got "upp"; expected one of up, down, reap',
      '--ttl: got "0"; expected whole hours from 1 to 168',
    ]);
    assert.match(stderr.split("\n")[2], /^usage: npm run ephemeral -- up --name NAME/);
  });

  it("says what it needs instead of failing deep inside when the Pulumi CLI is missing", function () {
    if (!spawnSync("pulumi", ["version"], { env: { PATH: "/usr/bin:/bin" } }).error) {
      console.log("      (skipped: a Pulumi CLI is installed in /usr/bin, and this would destroy eph-demo)");
      this.skip();
    }
    const { status, stderr } = run("down", "--name", "demo");
    assert.strictEqual(
      stderr.split("\n")[0].startsWith("the Pulumi CLI is required for this step"),
      true,
      stderr,
    );
    assert.strictEqual(status, 1);
  });
});
