/**
 * `npm run plan -- --stack NAME [--json] [--out DIR] [--config KEY=VALUE ...] [--diff REF] [--format text|markdown]`
 *
 * Runs the program for a committed stack under Pulumi's in-process mock engine: no credentials,
 * no network, no Pulumi CLI. Prints the resource tree (or JSON); with `--diff REF`, what would
 * change from the program and stack file at git REF to the working tree. Exit status: 0 done, 2 a
 * usage or configuration mistake (one line per problem), 1 anything else.
 */
import * as fs from "fs";
import * as path from "path";
import { listStacks, STACKS_DIR, UsageError } from "../plan/stack-file";
import type { PlanJson } from "../plan/diff";
import { fail, loadStackFromArgs } from "./cli";

const USAGE = `usage: npm run plan -- --stack NAME [--json] [--out DIR] [--config KEY=VALUE ...] [--stacks-dir DIR]
                                    [--diff REF] [--format text|markdown]
  --stack NAME        a stack in stacks/ (${listStacks(STACKS_DIR).join(", ")})
  --json              print the plan as JSON instead of a tree
  --diff REF          print what would change from git REF (its program and stack file) to the
                      working tree: a line "+added ~changed -deleted", then each resource with the
                      inputs that differ; --config overrides apply to the working tree's side
  --format FORMAT     text (default) or markdown (for a pull-request comment), with --diff
  --out DIR           also write DIR/plan.json and the rendered files (jenkins.yaml)
  --config KEY=VALUE  override one setting for this run (repeatable; project namespace implied;
                      dotted keys set one field, as pulumi config set --path does)
  --stacks-dir DIR    read Pulumi.NAME.yaml from DIR instead of stacks/`;

async function main(): Promise<void> {
  const parsed = loadStackFromArgs(
    {
      json: { type: "boolean", default: false },
      out: { type: "string" },
      diff: { type: "string" },
      format: { type: "string", default: "text" },
    } as const,
    USAGE,
  );
  if (!parsed) return;
  const { loaded, args } = parsed;
  const { stack, values, config } = loaded;
  const out = typeof args.out === "string" ? args.out : undefined;
  const format = String(args.format);
  if (format !== "text" && format !== "markdown") {
    fail([`--format: got "${format}"; expected text or markdown`]);
  }
  const diffRef = typeof args.diff === "string" ? args.diff : undefined;
  const root = path.resolve(__dirname, "..");
  let before: PlanJson | undefined;
  if (diffRef !== undefined) {
    try {
      const { planAtRef } = await import("../plan/at-ref");
      const stacksDir = path.relative(root, path.resolve(String(args["stacks-dir"] ?? STACKS_DIR)));
      before = planAtRef(root, diffRef, stack, stacksDir) ?? { project: "", stack, resources: [] };
    } catch (err) {
      if (err instanceof UsageError) fail([err.message]);
      fail([(err as Error).message], 1);
    }
  }

  // Loaded only now: the Pulumi SDK and providers take a moment, and usage errors need neither.
  const { runPlan } = await import("../plan/engine");
  const { planJson, renderTree } = await import("../plan/render");
  const { renderedFiles } = await import("../plan/artifacts");
  const plan = await runPlan(stack, values, config.region);
  const json = planJson(plan);
  if (out) {
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "plan.json"), `${json}\n`);
    for (const [file, text] of Object.entries(renderedFiles(plan))) {
      fs.writeFileSync(path.join(out, file), text);
    }
  }
  if (before && diffRef !== undefined) {
    const { diffPlans, renderDiffMarkdown, renderDiffText } = await import("../plan/diff");
    const diff = diffPlans(before, JSON.parse(json) as PlanJson);
    const title = `Plan diff of stack ${stack}: ${diffRef} → working tree`;
    process.stdout.write(
      `${format === "markdown" ? renderDiffMarkdown(diff, title) : renderDiffText(diff)}\n`,
    );
    return;
  }
  const heading = `${plan.project} · stack ${stack} · region ${config.region} · transport ${config.transport}`;
  process.stdout.write(`${args.json ? json : renderTree(plan, heading)}\n`);
}

process.on("unhandledRejection", (err) =>
  fail([`plan failed: ${(err as Error)?.message ?? String(err)}`], 1),
);
main().catch((err: Error) => fail([`plan failed: ${err.stack ?? err.message}`], 1));
