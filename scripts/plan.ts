/**
 * `npm run plan -- --stack NAME [--json] [--out DIR] [--config KEY=VALUE ...] [--diff REF] [--cost] [--policy] [--check] [--format text|markdown]`
 *
 * Runs the program for a committed stack under Pulumi's in-process mock engine: no credentials,
 * no network, no Pulumi CLI. Prints the resource tree (or JSON); with `--diff REF`, what would
 * change from the program and stack file at git REF to the working tree; with `--cost`, the
 * monthly cost estimate (and with both, the monthly delta); with `--policy`, the policy pack's
 * violations (exit status 1 on a mandatory one); with `--check`, the offline AWS acceptance check
 * (offline/acceptance: one line per input AWS would refuse, exit status 1 on any). Exit status: 0 done, 2 a
 * usage or configuration mistake (one line per problem), 1 anything else.
 */
import * as fs from "fs";
import * as path from "path";
import { listStacks, STACKS_DIR, UsageError } from "../offline/stack-file";
import type { Plan } from "../offline/engine";
import { fail, loadStackFromArgs } from "./lib/stack-args";
import { outDirProblem } from "./lib/cli-inputs";

const USAGE = `usage: npm run plan -- --stack NAME [--json] [--out DIR] [--config KEY=VALUE ...] [--stacks-dir DIR]
                                    [--diff REF] [--cost] [--policy] [--check] [--format text|markdown]
  --stack NAME        a stack in stacks/ (${listStacks(STACKS_DIR).join(", ")})
  --json              print the plan as JSON instead of a tree
  --diff REF          print what would change from git REF (its program and stack file) to the
                      working tree: a line "+added ~changed -deleted", then each resource with the
                      inputs that differ; --config overrides apply to the working tree's side
  --cost              print a monthly cost estimate from the dated price table in offline/prices.ts;
                      with --diff, the monthly delta from REF
  --policy            run the policy pack (policy/) over the plan; exit status 1 on a mandatory violation
  --check             check every planned input against the rules of the AWS API references and quotas
                      (offline/acceptance): one line per violation, exit status 1 on any
  --format FORMAT     text (default) or markdown (for a pull-request comment), with --diff or --cost
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
      cost: { type: "boolean", default: false },
      policy: { type: "boolean", default: false },
      check: { type: "boolean", default: false },
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
  if (format === "markdown" && args.diff === undefined && !args.cost && !args.policy) {
    fail(["--format: markdown applies to --diff, --cost and --policy; the tree is text and --json is JSON"]);
  }
  const diffRef = typeof args.diff === "string" ? args.diff : undefined;
  const root = path.resolve(__dirname, "..");
  if (out !== undefined) {
    const problem = outDirProblem(out);
    if (problem) fail([`--out: got ${JSON.stringify(out)}; ${problem}`]);
  }
  // The plan at REF: undefined without --diff, null when the stack did not exist there.
  let before: { plan: Plan; region: string } | null | undefined;
  if (diffRef !== undefined) {
    try {
      const { planAtRef } = await import("../offline/at-ref");
      const stacksDir = path.relative(root, path.resolve(String(args["stacks-dir"] ?? STACKS_DIR)));
      if (stacksDir.startsWith("..") || path.isAbsolute(stacksDir)) {
        // The plan at REF reads the stack file from the repository at REF; a folder outside it has
        // no history there, and every resource would show as added.
        fail([
          `--stacks-dir: got ${JSON.stringify(args["stacks-dir"])}; with --diff, expected a folder inside the repository (${root})`,
        ]);
      }
      before = planAtRef(root, diffRef, stack, stacksDir) ?? null;
    } catch (err) {
      if (err instanceof UsageError) fail([err.message]);
      fail([(err as Error).message], 1);
    }
  }

  // Loaded only now: the Pulumi SDK and providers take a moment, and usage errors need neither.
  const { runPlan } = await import("../offline/engine");
  const { planData, planJson, renderTree } = await import("../offline/render");
  const { renderedFiles } = await import("../offline/artifacts");
  const plan = await runPlan(stack, values, config.region);
  const json = planJson(plan);
  if (out) {
    fs.writeFileSync(path.join(out, "plan.json"), `${json}\n`);
    for (const [file, text] of Object.entries(renderedFiles(plan))) {
      fs.writeFileSync(path.join(out, file), text);
    }
  }
  const empty: Plan = { project: plan.project, stack, resources: [], outputs: {} };
  const parts: string[] = [];
  if (diffRef !== undefined) {
    const { diffPlans, renderDiffMarkdown, renderDiffText } = await import("../offline/diff");
    const diff = diffPlans(planData(before?.plan ?? empty), planData(plan));
    const title = `Plan diff of stack ${stack}: ${diffRef} → working tree`;
    parts.push(format === "markdown" ? renderDiffMarkdown(diff, title) : renderDiffText(diff));
  }
  if (args.cost) {
    const { costDelta, estimateCost, renderCost, renderCostDelta } = await import("../offline/cost");
    try {
      const now = estimateCost(plan, config.region);
      if (diffRef === undefined) {
        parts.push(renderCost(now, format));
      } else {
        const was = estimateCost(before?.plan ?? empty, before?.region ?? config.region);
        parts.push(renderCostDelta(costDelta(was, now), format));
      }
    } catch (err) {
      fail([`--cost: ${(err as Error).message}`]);
    }
  }
  let mandatory = 0;
  if (args.policy) {
    const { runPack } = await import("../offline/policy-run");
    const found = await runPack(plan.resources);
    mandatory = found.filter((v) => v.enforcementLevel === "mandatory").length;
    const lines = found.map((v) => `${v.enforcementLevel} [${v.policy}] ${v.message}`);
    const summary = `policy pack: ${mandatory} mandatory, ${found.length - mandatory} other violations`;
    parts.push(
      format === "markdown"
        ? [`\`${summary}\``, ...lines.map((l) => `- ${l}`)].join("\n")
        : [...lines, summary].join("\n"),
    );
  }
  let refused = 0;
  if (args.check) {
    const { checkAcceptance, renderAcceptance } = await import("../offline/acceptance");
    const report = checkAcceptance(plan.resources);
    refused = report.violations.length;
    parts.push(renderAcceptance(report).join("\n"));
  }
  if (parts.length > 0) {
    process.stdout.write(`${parts.join("\n\n")}\n`);
    if (mandatory > 0 || refused > 0) process.exitCode = 1;
    return;
  }
  const heading = `${plan.project} · stack ${stack} · region ${config.region} · transport ${config.transport}`;
  process.stdout.write(`${args.json ? json : renderTree(plan, heading)}\n`);
}

process.on("unhandledRejection", (err) =>
  fail([`plan failed: ${(err as Error)?.message ?? String(err)}`], 1),
);
main().catch((err: Error) => fail([`plan failed: ${err.stack ?? err.message}`], 1));
