/**
 * What the command-line tools share: option parsing with the common stack options, and loading a
 * stack's validated config. Mistakes exit with status 2 and one line per problem.
 */
import * as path from "path";
import { parseArgs, ParseArgsConfig } from "util";
import { decodeConfig } from "../../config/decode";
import { parseStackConfig, StackConfig } from "../../config/stack-config";
import { applyOverrides, readStack, StackValues, STACKS_DIR, UsageError } from "../../offline/stack-file";

/** Prints the lines to stderr and exits. */
export function fail(lines: string[], status = 2): never {
  process.stderr.write(`${lines.join("\n")}\n`);
  process.exit(status);
}

/** Options every stack tool takes. */
const STACK_OPTIONS = {
  stack: { type: "string" },
  config: { type: "string", multiple: true, default: [] },
  "stacks-dir": { type: "string", default: STACKS_DIR },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** A stack, loaded and validated. */
export interface LoadedStack {
  readonly stack: string;
  readonly values: StackValues;
  readonly config: StackConfig;
}

/**
 * Parses the command line (the stack options plus `options`), prints `usage` for `--help` (and
 * returns undefined), and loads the named stack with its `--config` overrides.
 */
export function loadStackFromArgs<O extends NonNullable<ParseArgsConfig["options"]>>(
  options: O,
  usage: string,
): { loaded: LoadedStack; args: Record<string, string | boolean | string[] | undefined> } | undefined {
  let args: Record<string, string | boolean | string[] | undefined>;
  try {
    args = parseArgs({ options: { ...STACK_OPTIONS, ...options }, strict: true }).values;
  } catch (err) {
    fail([(err as Error).message, usage]);
  }
  if (args.help) {
    process.stdout.write(`${usage}\n`);
    return undefined;
  }
  const stack = args.stack;
  if (typeof stack !== "string") {
    fail(["--stack is required", usage]);
  }
  let values: StackValues;
  try {
    const dir = path.resolve(String(args["stacks-dir"] ?? STACKS_DIR));
    values = applyOverrides(readStack(dir, stack), (args.config as string[] | undefined) ?? []);
  } catch (err) {
    if (err instanceof UsageError) fail([err.message]);
    throw err;
  }
  const parsed = parseStackConfig(decodeConfig(values.values), values.secretKeys, stack);
  if (!parsed.ok) {
    fail(parsed.problems);
  }
  return { loaded: { stack, values, config: parsed.config }, args };
}
