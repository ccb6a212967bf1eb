/**
 * `npm run plan -- --stack NAME [--json] [--out DIR] [--config KEY=VALUE ...]`
 *
 * Runs the program for a committed stack under Pulumi's in-process mock engine: no credentials,
 * no network, no Pulumi CLI. Prints the resource tree (or JSON). Exit status: 0 done, 2 a usage or
 * configuration mistake (one line per problem), 1 anything else.
 */
import * as fs from "fs";
import * as path from "path";
import { listStacks, STACKS_DIR } from "../plan/stack-file";
import { fail, loadStackFromArgs } from "./cli";

const USAGE = `usage: npm run plan -- --stack NAME [--json] [--out DIR] [--config KEY=VALUE ...] [--stacks-dir DIR]
  --stack NAME        a stack in stacks/ (${listStacks(STACKS_DIR).join(", ")})
  --json              print the plan as JSON instead of a tree
  --out DIR           also write DIR/plan.json and the rendered files (jenkins.yaml)
  --config KEY=VALUE  override one setting for this run (repeatable; project namespace implied;
                      dotted keys set one field, as pulumi config set --path does)
  --stacks-dir DIR    read Pulumi.NAME.yaml from DIR instead of stacks/`;

async function main(): Promise<void> {
  const parsed = loadStackFromArgs(
    { json: { type: "boolean", default: false }, out: { type: "string" } } as const,
    USAGE,
  );
  if (!parsed) return;
  const { loaded, args } = parsed;
  const { stack, values, config } = loaded;
  const out = typeof args.out === "string" ? args.out : undefined;

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
  const heading = `${plan.project} · stack ${stack} · region ${config.region} · transport ${config.transport}`;
  process.stdout.write(`${args.json ? json : renderTree(plan, heading)}\n`);
}

process.on("unhandledRejection", (err) =>
  fail([`plan failed: ${(err as Error)?.message ?? String(err)}`], 1),
);
main().catch((err: Error) => fail([`plan failed: ${err.stack ?? err.message}`], 1));
