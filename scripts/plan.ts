/**
 * `npm run plan -- --stack NAME [--json] [--out DIR] [--config KEY=VALUE ...]`
 *
 * Runs the program for a committed stack under Pulumi's in-process mock engine: no credentials,
 * no network, no Pulumi CLI. Prints the resource tree (or JSON). Exit status: 0 done, 2 a usage or
 * configuration mistake (one line per problem), 1 anything else.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { decodeConfig } from "../config/decode";
import { parseStackConfig } from "../config/stack-config";
import { applyOverrides, listStacks, readStack, STACKS_DIR, UsageError } from "../plan/stack-file";

const USAGE = `usage: npm run plan -- --stack NAME [--json] [--out DIR] [--config KEY=VALUE ...] [--stacks-dir DIR]
  --stack NAME        a stack in stacks/ (${listStacks(STACKS_DIR).join(", ")})
  --json              print the plan as JSON instead of a tree
  --out DIR           also write DIR/plan.json and the rendered files (jenkins.yaml)
  --config KEY=VALUE  override one setting for this run (repeatable; project namespace implied;
                      dotted keys set one field, as pulumi config set --path does)
  --stacks-dir DIR    read Pulumi.NAME.yaml from DIR instead of stacks/`;

function fail(lines: string[], status: number): never {
  process.stderr.write(`${lines.join("\n")}\n`);
  process.exit(status);
}

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        stack: { type: "string" },
        json: { type: "boolean", default: false },
        out: { type: "string" },
        config: { type: "string", multiple: true, default: [] },
        "stacks-dir": { type: "string", default: STACKS_DIR },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail([(err as Error).message, USAGE], 2);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!args.stack) {
    fail(["--stack is required", USAGE], 2);
  }
  const stack = args.stack;

  let values;
  try {
    values = applyOverrides(
      readStack(path.resolve(args["stacks-dir"] ?? STACKS_DIR), stack),
      args.config ?? [],
    );
  } catch (err) {
    if (err instanceof UsageError) fail([err.message], 2);
    throw err;
  }
  const parsed = parseStackConfig(decodeConfig(values.values), values.secretKeys);
  if (!parsed.ok) {
    fail(parsed.problems, 2);
  }

  // Loaded only now: the Pulumi SDK and providers take a moment, and usage errors need neither.
  const { runPlan } = await import("../plan/engine");
  const { planJson, renderTree } = await import("../plan/render");
  const { renderedFiles } = await import("../plan/artifacts");
  const plan = await runPlan(stack, values, parsed.config.region);
  const json = planJson(plan);
  if (args.out) {
    fs.mkdirSync(args.out, { recursive: true });
    fs.writeFileSync(path.join(args.out, "plan.json"), `${json}\n`);
    for (const [file, text] of Object.entries(renderedFiles(plan))) {
      fs.writeFileSync(path.join(args.out, file), text);
    }
  }
  const heading = `${plan.project} · stack ${stack} · region ${parsed.config.region} · transport ${parsed.config.transport}`;
  process.stdout.write(`${args.json ? json : renderTree(plan, heading)}\n`);
}

process.on("unhandledRejection", (err) =>
  fail([`plan failed: ${(err as Error)?.message ?? String(err)}`], 1),
);
main().catch((err: Error) => fail([`plan failed: ${err.stack ?? err.message}`], 1));
