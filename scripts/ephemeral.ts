/**
 * `npm run ephemeral -- up --name N [--ttl HOURS] [--dry-run]`
 * `npm run ephemeral -- down --name N [--dry-run]`
 * `npm run ephemeral -- reap [--dry-run]`
 *
 * Short-lived stacks `eph-N` from the dev settings (ephemeral/plan.ts), driven through Pulumi's
 * Automation API: `up` writes the stack file and runs `pulumi up`, `down` destroys the stack and
 * removes it, `reap` does that for every ephemeral stack past its `expires-at`. `--dry-run` prints
 * the stack name, its config and the steps, and needs neither the Pulumi CLI nor credentials.
 * Exit status: 0 done, 2 a usage or configuration mistake (one line per problem), 1 anything else.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { stringify } from "yaml";
import { iamArnProblem } from "../config/checks";
import { decodeConfig } from "../config/decode";
import { NETWORK_DEFAULTS, parseStackConfig } from "../config/stack-config";
import {
  DEFAULT_TTL_HOURS,
  EphemeralPlan,
  ephemeralStackFile,
  ephemeralStackName,
  ephemeralValues,
  EXPIRES_TAG,
  expiredStacks,
  chooseExpiry,
  isEphemeralStack,
  MAX_TTL_HOURS,
  nameProblems,
  planEphemeral,
  recordedExpiry,
  shortStackName,
  stackCidrs,
} from "../ephemeral/plan";
import { listStacks, readStack, stackFile, STACKS_DIR, StackValues } from "../offline/stack-file";
import { fail } from "./lib/stack-args";

const ROOT = path.resolve(__dirname, "..");
/** The stack ephemeral stacks copy. */
const SOURCE_STACK = "dev";

const USAGE = `usage: npm run ephemeral -- up --name NAME [--ttl HOURS] [--dry-run]
       npm run ephemeral -- down --name NAME [--dry-run]
       npm run ephemeral -- reap [--dry-run]
  up       create or update stack eph-NAME from the ${SOURCE_STACK} settings (smallest sizes, no
           deletion protection or retention, VPC blocks of its own) and run pulumi up
  down     destroy stack eph-NAME and remove it
  reap     destroy and remove every ephemeral stack past its ${EXPIRES_TAG} tag
  --ttl    hours until the stack may be reaped (default ${DEFAULT_TTL_HOURS}, at most ${MAX_TTL_HOURS}); an
           update keeps the stack's expiry unless --ttl is given
  --dry-run  print the stack, its config and the steps; needs no Pulumi CLI or credentials
environment:
  EPHEMERAL_REAPER_ROLE_ARN  the role the nightly reaper runs as; up gives it an access entry on
           the stack's cluster (not needed to destroy: a throwaway stack's Kubernetes objects go
           with the cluster)`;

const DEFAULT_CIDRS = { master: NETWORK_DEFAULTS.masterCidrBlock, agent: NETWORK_DEFAULTS.agentCidrBlock };

/** VPC blocks already used by the stack files in stacks/ (committed stacks and local ephemeral ones). */
function takenCidrs(except?: string): string[] {
  return listStacks(STACKS_DIR, { ephemeral: true })
    .filter((stack) => stack !== except)
    .flatMap((stack) => stackCidrs(readStack(STACKS_DIR, stack), DEFAULT_CIDRS));
}

function requirePulumiCli(): void {
  const found = spawnSync("pulumi", ["version"], { encoding: "utf8" });
  if (found.error || found.status !== 0) {
    fail(
      [
        "the Pulumi CLI is required for this step (https://www.pulumi.com/docs/install/), logged in to your backend (pulumi login); --dry-run needs neither",
      ],
      1,
    );
  }
}

const print = (text: string) => process.stdout.write(text);

/**
 * The environment variable naming the role the nightly reaper deploys with; `up` gives it an
 * access entry on the stack's cluster (reap.yml sets it from the AWS_ROLE_ARN_DEV secret).
 */
const REAPER_ROLE_ENV = "EPHEMERAL_REAPER_ROLE_ARN";

/** The ARN of the credentials in use (the preflight's `callerIdentity`). */
async function callerArn(): Promise<string | undefined> {
  const { STSClient } = await import("@aws-sdk/client-sts");
  const { callerIdentity } = await import("../preflight/aws");
  return (await callerIdentity(new STSClient({}))).arn || undefined;
}

async function destroy(stack: string): Promise<void> {
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const selected = await LocalWorkspace.selectStack({ stackName: stack, workDir: ROOT });
  await selected.destroy({ onOutput: print });
  await selected.workspace.removeStack(stack);
  fs.rmSync(stackFile(STACKS_DIR, shortStackName(stack)), { force: true });
  print(`removed stack ${stack}\n`);
}

function steps(command: string, stack: string, name: string): string[] {
  switch (command) {
    case "up":
      return [
        `write ${path.relative(ROOT, stackFile(STACKS_DIR, stack))} (ignored by git)`,
        `select or create stack ${stack} in this project (Automation API: LocalWorkspace.createOrSelectStack)`,
        `pulumi up --stack ${stack}`,
        `when done: npm run ephemeral -- down --name ${name} (or let reap remove it after ${EXPIRES_TAG})`,
      ];
    case "down":
      return [
        `pulumi destroy --stack ${stack}`,
        `pulumi stack rm ${stack}`,
        `delete ${path.relative(ROOT, stackFile(STACKS_DIR, stack))}`,
      ];
    default:
      return [
        `list the project's stacks named ${ephemeralStackName("*")} (pulumi stack ls)`,
        `read each one's ${EXPIRES_TAG} from its stack output expiresAt (or its local stack file's tags)`,
        `for each one past it: pulumi destroy, pulumi stack rm, delete its stack file (going on past a failure; exit status 1 if any)`,
      ];
  }
}

function printPlan(plan: EphemeralPlan | undefined, lines: string[]): void {
  if (plan) {
    print(`stack ${plan.stack} (from ${SOURCE_STACK}), ${EXPIRES_TAG} ${plan.expiresAt}\n\nconfig:\n`);
    print(
      stringify(plan.config, { lineWidth: 0 })
        .split("\n")
        .map((l) => (l ? `  ${l}` : l))
        .join("\n"),
    );
    print("\n");
  }
  print(`steps:\n${lines.map((s, i) => `  ${i + 1}. ${s}`).join("\n")}\n`);
}

const OPTIONS = {
  name: { type: "string" },
  ttl: { type: "string" },
  "dry-run": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const parseCommandLine = () => parseArgs({ options: OPTIONS, allowPositionals: true, strict: true });

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine();
  } catch (err) {
    fail([(err as Error).message, USAGE]);
  }
  const { values: args, positionals } = parsed;
  if (args.help) {
    print(`${USAGE}\n`);
    return;
  }
  const command = positionals[0];
  const problems: string[] = [];
  if (positionals.length !== 1 || !["up", "down", "reap"].includes(command)) {
    problems.push(`command: got "${positionals.join(" ")}"; expected one of up, down, reap`);
  }
  if (command === "up" || command === "down") problems.push(...nameProblems(args.name));
  if (command === "reap" && args.name !== undefined)
    problems.push(`--name: reap takes none; it goes by ${EXPIRES_TAG}`);
  const ttl = args.ttl === undefined ? DEFAULT_TTL_HOURS : Number(args.ttl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_HOURS) {
    problems.push(`--ttl: got "${args.ttl}"; expected whole hours from 1 to ${MAX_TTL_HOURS}`);
  }
  if (problems.length > 0) fail([...problems, USAGE]);

  const name = args.name ?? "";
  const stack = ephemeralStackName(name);
  const dryRun = args["dry-run"] === true;

  if (command === "up") {
    const source: StackValues = readStack(STACKS_DIR, SOURCE_STACK);
    const current = fs.existsSync(stackFile(STACKS_DIR, stack))
      ? recordedExpiry(readStack(STACKS_DIR, stack))
      : undefined;
    const expires = chooseExpiry(current, new Date(), ttl, args.ttl !== undefined);
    const reaperRoleArn = process.env[REAPER_ROLE_ENV] || undefined;
    const reaperProblem = reaperRoleArn === undefined ? undefined : iamArnProblem(reaperRoleArn);
    if (reaperProblem)
      fail([`${REAPER_ROLE_ENV}: got "${reaperRoleArn}"; expected an IAM role ARN (${reaperProblem})`]);
    // Who runs `up`, so the reaper's role is not given a second access entry (EKS refuses one);
    // a dry run needs no credentials and shows the reaper's entry as it would be added.
    const deployerRoleArn = dryRun || !reaperRoleArn ? undefined : await callerArn();
    const plan = planEphemeral(name, source, takenCidrs(stack), expires, { reaperRoleArn, deployerRoleArn });
    const valid = parseStackConfig(decodeConfig(ephemeralValues(plan).values), []);
    if (!valid.ok) fail(valid.problems.map((p) => `${stack}: ${p}`));
    if (dryRun) return printPlan(plan, steps(command, stack, name));
    requirePulumiCli();
    fs.writeFileSync(stackFile(STACKS_DIR, stack), ephemeralStackFile(plan));
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    const created = await LocalWorkspace.createOrSelectStack({ stackName: stack, workDir: ROOT });
    const result = await created.up({ onOutput: print });
    print(`\n${stack}: ${result.summary.result}; ${EXPIRES_TAG} ${plan.expiresAt}\n`);
    print(`when done: npm run ephemeral -- down --name ${name}\n`);
    return;
  }
  if (command === "down") {
    if (dryRun) return printPlan(undefined, steps(command, stack, name));
    requirePulumiCli();
    await destroy(stack);
    return;
  }
  if (dryRun) return printPlan(undefined, steps("reap", stack, name));
  requirePulumiCli();
  const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
  const ws = await LocalWorkspace.create({ workDir: ROOT });
  const found = (await ws.listStacks()).map((s) => s.name).filter(isEphemeralStack);
  // The expiry from the stack's outputs (in its state, so any machine can read it); the local
  // stack file's tags otherwise.
  const withExpiry = [];
  for (const s of found) {
    const selected = await LocalWorkspace.selectStack({ stackName: s, workDir: ROOT });
    const outputs = await selected.outputs().catch(() => ({}) as Record<string, { value: unknown }>);
    const fromOutputs = outputs.expiresAt?.value;
    const short = shortStackName(s);
    const fromFile = fs.existsSync(stackFile(STACKS_DIR, short))
      ? recordedExpiry(readStack(STACKS_DIR, short))
      : undefined;
    withExpiry.push({ stack: s, expiresAt: typeof fromOutputs === "string" ? fromOutputs : fromFile });
  }
  const { expired, unknown } = expiredStacks(withExpiry, new Date());
  for (const s of unknown) print(`skipped ${s}: no readable ${EXPIRES_TAG}; remove it with down\n`);
  print(`${expired.length} of ${found.length} ephemeral stacks past ${EXPIRES_TAG}\n`);
  const failed: string[] = [];
  for (const s of expired) {
    try {
      await destroy(s);
    } catch (err) {
      failed.push(`${s}: ${(err as Error).message.split("\n")[0]}`);
    }
  }
  if (failed.length > 0) fail([`reap could not remove ${failed.length} stack(s):`, ...failed], 1);
}

main().catch((err: Error) => fail([`ephemeral failed: ${err.stack ?? err.message}`], 1));
