/**
 * Plans another checkout's program with this checkout's engine, in a process of its own (the
 * Pulumi runtime holds one program per process): `node offline/child.ts PROGRAM STACK_FILE STACK`.
 * Prints `{ region, plan }` as JSON, the plan with IDs and states, so that the cost estimate and
 * the diff read both sides alike.
 */
import * as path from "path";
import { runPlan } from "./engine";
import { readStack } from "./stack-file";

async function main(): Promise<void> {
  const [programFile, stacksDir, stack] = process.argv.slice(2);
  const values = readStack(path.resolve(stacksDir), stack);
  const region = values.values["aws:region"] ?? "";
  const plan = await runPlan(stack, values, region, path.resolve(programFile));
  // A pipe takes large writes in pieces: exit only once all of it is written, or the parent reads
  // truncated JSON.
  await new Promise<void>((resolve, reject) =>
    process.stdout.write(JSON.stringify({ region, plan }), (err) => (err ? reject(err) : resolve())),
  );
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
