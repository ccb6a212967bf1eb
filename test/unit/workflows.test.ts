/**
 * The GitHub workflows stay in step with the repository: every committed stack is previewed in its
 * own region with its own role, the tests run through .ci/run, and deploys never overlap. And a
 * pull request cannot turn them against the stacks: no credential outside a reviewed environment,
 * previews and deploys on separate runners, deploys from main only, every action pinned by commit.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { listStacks, readStack, STACKS_DIR } from "../../offline/stack-file";
import { ROOT } from "../harness/plan";

type Workflow = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const workflow = (file: string): Workflow =>
  parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", file), "utf8")) as Workflow;
const uses = (job: Workflow) => (job.steps as Workflow[]).map((s) => s.uses).filter(Boolean);
const runs = (job: Workflow) => (job.steps as Workflow[]).map((s) => s.run).filter(Boolean);
const WORKFLOWS = fs.readdirSync(path.join(ROOT, ".github", "workflows")).filter((f) => f.endsWith(".yml"));
/** Environments whose protection rules (required reviewers, main-only branch policy) docs/ci.md lists. */
const PROTECTED_ENVIRONMENTS = ["preview", "dev", "prod", "tcp", "${{ matrix.stack }}"];
/** Expressions that hand a job a credential. */
const CREDENTIAL = /secrets\.|secrets\[|id-token/;

describe("GitHub workflows", () => {
  const pr = workflow("pull-request.yml");
  const main = workflow("main.yml");

  it("run the preflight before pulumi up, with the deploy's credentials", () => {
    const steps = main.jobs["deploy-dev"].steps as Workflow[];
    const preflight = steps.findIndex((s) => s.run === "npm run preflight -- --stack dev");
    const credentials = steps.findIndex((s) =>
      String(s.uses).startsWith("aws-actions/configure-aws-credentials"),
    );
    const up = steps.findIndex(
      (s) => String(s.uses).startsWith("pulumi/actions") && s.with?.command === "up",
    );
    assert.ok(
      credentials >= 0 && preflight > credentials && up > preflight,
      `${credentials} ${preflight} ${up}`,
    );
    assert.strictEqual(steps[preflight].if, "steps.creds.outputs.ok == 'true'");
  });

  it("test pull requests and main with the CI entry point", () => {
    assert.deepStrictEqual(Object.keys(pr.on), ["pull_request"]);
    assert.deepStrictEqual(main.on, { push: { branches: ["main"] } });
    for (const job of [pr.jobs.test, main.jobs.test]) {
      assert.deepStrictEqual(runs(job), ["bash .ci/run"]);
      assert.ok(!CREDENTIAL.test(JSON.stringify(job)), "tests run with no credential");
      assert.strictEqual(job.steps.at(-1).env.CI, "true");
    }
  });

  it("post the offline diff and cost of every stack file, against the pull request's base", () => {
    const job = pr.jobs["plan-diff"];
    assert.strictEqual(job.steps[0].with["fetch-depth"], 0);
    assert.ok(!CREDENTIAL.test(JSON.stringify(job)), "the offline plan needs no credential");
    assert.strictEqual(job.environment, undefined);
    const script = runs(job).join("\n");
    assert.ok(script.includes("for file in stacks/Pulumi.*.yaml"));
    assert.ok(
      script.includes(
        'npm run --silent plan -- --stack "$stack" --diff "$BASE" --cost --policy --format markdown || violations=1',
      ),
    );
    assert.strictEqual(
      job.steps.find((s: Workflow) => s.env?.BASE).env.BASE,
      "${{ github.event.pull_request.base.sha }}",
    );
    assert.deepStrictEqual(job.permissions, { contents: "read", "pull-requests": "write" });
    // The comment is posted first; then a mandatory violation (or a failed plan) fails the check.
    const last = job.steps.at(-1);
    assert.strictEqual(last.if, "steps.plan.outputs.violations != '0'");
    assert.match(last.run, /exit 1\s*$/);
  });

  it("preview every committed stack in its region, with its own role and the policy pack, skipped without credentials", () => {
    const job = pr.jobs.preview;
    assert.deepStrictEqual(
      job.strategy.matrix.include,
      listStacks(STACKS_DIR).map((stack) => ({
        stack,
        region: readStack(STACKS_DIR, stack).values["aws:region"],
        // Preview roles only: a pull request runs its own copy of the workflow, so it must never
        // name the deploy role.
        role: `AWS_PREVIEW_ROLE_ARN_${stack.toUpperCase()}`,
      })),
    );
    const pulumi = job.steps.find((s: Workflow) => String(s.uses).startsWith("pulumi/actions@"));
    assert.deepStrictEqual(pulumi.with, {
      command: "preview",
      "stack-name": "${{ matrix.stack }}",
      "cloud-url": "${{ vars.PULUMI_BACKEND_URL }}",
      diff: true,
      policyPacks: "policy",
      "comment-on-pr": true,
      "edit-pr-comment": true,
    });
    for (const step of job.steps.slice(1))
      assert.strictEqual(step.if, "steps.creds.outputs.ok == 'true'", step.uses ?? step.run);
    assert.strictEqual(job.permissions["id-token"], "write");
    assert.ok(!JSON.stringify(pr).includes("AWS_ROLE_ARN_DEV"), "pull requests never name the deploy role");
  });

  it("deploy only dev from main, one run at a time, then run the smoke check", () => {
    assert.deepStrictEqual(main.concurrency, { group: "deploy-dev", "cancel-in-progress": false });
    const job = main.jobs["deploy-dev"];
    assert.strictEqual(job.needs, "test");
    assert.strictEqual(job.environment, "dev");
    assert.strictEqual(job.env.ROLE_ARN, "${{ secrets.AWS_ROLE_ARN_DEV }}");
    const pulumi = job.steps.find((s: Workflow) => String(s.uses).startsWith("pulumi/actions@"));
    assert.strictEqual(pulumi.with.command, "up");
    assert.strictEqual(pulumi.with["stack-name"], "dev");
    assert.strictEqual(pulumi.with.policyPacks, "policy");
    assert.ok(runs(job).some((r: string) => r.includes("npm run smoke -- --stack dev")));
    assert.deepStrictEqual(
      [...new Set([...uses(pr.jobs.preview), ...uses(job)].map((u: string) => u.split("@")[0]))].sort(),
      ["actions/checkout", "actions/setup-node", "aws-actions/configure-aws-credentials", "pulumi/actions"],
    );
  });

  it("never use pull_request_target, and give pull-request jobs credentials only in the reviewed preview environment", () => {
    for (const file of WORKFLOWS) {
      const on = workflow(file).on;
      assert.ok(!Object.keys(on).includes("pull_request_target"), `${file} runs on pull_request_target`);
      assert.ok(!Object.keys(on).includes("workflow_run"), `${file} runs on workflow_run`);
    }
    for (const [name, job] of Object.entries(pr.jobs as Record<string, Workflow>)) {
      if (!CREDENTIAL.test(JSON.stringify(job))) continue;
      assert.strictEqual(
        job.environment,
        "preview",
        `${name} holds a credential outside the preview environment`,
      );
    }
    // The preview job is the only one with a credential, and it never names a deploy credential.
    assert.deepStrictEqual(
      Object.keys(pr.jobs).filter((n) => CREDENTIAL.test(JSON.stringify(pr.jobs[n]))),
      ["preview"],
    );
    assert.strictEqual(
      pr.jobs.preview.if,
      "github.event.pull_request.head.repo.full_name == github.repository",
    );
    assert.ok(!/AWS_ROLE_ARN_|DEPLOY_RUNNER/.test(JSON.stringify(pr)));
    assert.deepStrictEqual(pr.permissions, { contents: "read" });
  });

  it("run previews and deploys on separate runners", () => {
    assert.strictEqual(pr.jobs.preview["runs-on"], "${{ vars.PREVIEW_RUNNER || 'ubuntu-latest' }}");
    const deployJobs = [
      main.jobs["deploy-dev"],
      workflow("reap.yml").jobs.reap,
      workflow("certificates.yml").jobs.refresh,
    ];
    for (const job of deployJobs) {
      assert.strictEqual(job["runs-on"], "${{ vars.DEPLOY_RUNNER || 'ubuntu-latest' }}");
    }
    for (const job of Object.values(pr.jobs as Record<string, Workflow>)) {
      assert.ok(!String(job["runs-on"]).includes("DEPLOY_RUNNER"));
    }
  });

  it("use deploy roles only from main, in a protected environment", () => {
    for (const file of WORKFLOWS.filter((f) => f !== "pull-request.yml")) {
      for (const [name, job] of Object.entries(workflow(file).jobs as Record<string, Workflow>)) {
        if (!CREDENTIAL.test(JSON.stringify(job))) continue;
        assert.strictEqual(job.if, "github.ref == 'refs/heads/main'", `${file} ${name}`);
        assert.ok(PROTECTED_ENVIRONMENTS.includes(job.environment), `${file} ${name}: ${job.environment}`);
        assert.ok(job.environment !== "preview", `${file} ${name}`);
      }
    }
  });

  it("pin every action by full commit SHA, with its version beside it, and keep no token in the checkout", () => {
    for (const file of WORKFLOWS) {
      const text = fs.readFileSync(path.join(ROOT, ".github", "workflows", file), "utf8");
      const lines = text.split("\n").filter((l) => /^\s*(- )?uses:/.test(l));
      assert.ok(lines.length > 0, file);
      for (const line of lines) {
        assert.match(line, /uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+/, `${file}: ${line.trim()}`);
      }
      for (const job of Object.values(workflow(file).jobs as Record<string, Workflow>)) {
        for (const step of job.steps as Workflow[]) {
          if (String(step.uses).startsWith("actions/checkout@")) {
            assert.strictEqual(step.with?.["persist-credentials"], false, file);
          }
        }
      }
    }
  });

  it("renew every stack's certificates weekly, one writer per stack, targeted at the certificates", () => {
    const certs = workflow("certificates.yml");
    assert.deepStrictEqual(Object.keys(certs.on).sort(), ["schedule", "workflow_dispatch"]);
    assert.deepStrictEqual(certs.on.schedule, [{ cron: "41 4 * * 1" }]);
    const job = certs.jobs.refresh;
    assert.deepStrictEqual(
      job.strategy.matrix.include,
      listStacks(STACKS_DIR).map((stack) => ({
        stack,
        region: readStack(STACKS_DIR, stack).values["aws:region"],
        role: `AWS_ROLE_ARN_${stack.toUpperCase()}`,
      })),
    );
    assert.strictEqual(job.environment, "${{ matrix.stack }}");
    assert.deepStrictEqual(job.concurrency, {
      group: "deploy-${{ matrix.stack }}",
      "cancel-in-progress": false,
    });
    // The same group as main's deploy of dev, so the two never run pulumi up at once.
    assert.strictEqual(main.concurrency.group, "deploy-dev");
    const script = runs(job).at(-1);
    assert.ok(script.includes("scripts/certificate-targets.ts"));
    assert.ok(
      script.includes(
        'pulumi up --yes --stack "$STACK" --diff --policy-pack policy --target-dependents "${targets[@]}"',
      ),
    );
    for (const step of job.steps.slice(1)) assert.strictEqual(step.if, "steps.creds.outputs.ok == 'true'");
  });

  it("reap expired ephemeral stacks nightly with the deploy role, through the dev environment", () => {
    const reap = workflow("reap.yml");
    assert.deepStrictEqual(Object.keys(reap.on).sort(), ["schedule", "workflow_dispatch"]);
    const job = reap.jobs.reap;
    assert.strictEqual(job.environment, "dev");
    assert.strictEqual(job.env.ROLE_ARN, "${{ secrets.AWS_ROLE_ARN_DEV }}");
    assert.deepStrictEqual(reap.concurrency, { group: "reap-ephemeral", "cancel-in-progress": false });
    assert.strictEqual(runs(job).at(-1), "npm run ephemeral -- reap");
    for (const step of job.steps.slice(1)) assert.strictEqual(step.if, "steps.creds.outputs.ok == 'true'");
  });
});
