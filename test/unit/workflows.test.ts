/**
 * The GitHub workflows stay in step with the repository: every committed stack is previewed in its
 * own region with its own role, the tests run through .ci/run, and deploys never overlap.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { listStacks, readStack, STACKS_DIR } from "../../plan/stack-file";
import { ROOT } from "../harness/plan";

type Workflow = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const workflow = (file: string): Workflow =>
  parse(fs.readFileSync(path.join(ROOT, ".github", "workflows", file), "utf8")) as Workflow;
const uses = (job: Workflow) => (job.steps as Workflow[]).map((s) => s.uses).filter(Boolean);
const runs = (job: Workflow) => (job.steps as Workflow[]).map((s) => s.run).filter(Boolean);

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
      assert.strictEqual(job.steps.at(-1).env.CI, "true");
    }
  });

  it("post the offline diff and cost of every stack file, against the pull request's base", () => {
    const job = pr.jobs["plan-diff"];
    assert.strictEqual(job.steps[0].with["fetch-depth"], 0);
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
