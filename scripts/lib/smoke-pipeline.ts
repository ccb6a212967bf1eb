/**
 * `npm run smoke -- --stack NAME --pipeline [--dry-run] [--timeout SECONDS]`: the command-line side
 * of the pipeline check (scripts/pipeline-check.ts). The dry run prints the target and every step
 * and request offline, with no credentials; the real run reads the admin password from Secrets
 * Manager with the stack's AWS settings (`aws:profile`, the first of `aws:assumeRoles`).
 */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { pipelineScript } from "../../components/jenkins/pipeline-job";
import { LoadedStack, fail } from "./stack-args";
import {
  CheckError,
  DEFAULT_TIMEOUT_SECONDS,
  exitStatus,
  logTail,
  pipelineSteps,
  pipelineTargetFromOutputs,
  readAdminPassword,
  runPipelineCheck,
  secretRegion,
  summary,
} from "./pipeline-check";

/** `--timeout`: whole seconds from a minute to a day. */
export function parseTimeout(raw: unknown): number | string {
  if (raw === undefined) return DEFAULT_TIMEOUT_SECONDS;
  const value = typeof raw === "string" && /^\d+$/.test(raw) ? Number(raw) : NaN;
  return value >= 60 && value <= 86400
    ? value
    : `--timeout: got ${JSON.stringify(raw)}; expected whole seconds from 60 to 86400`;
}

/** Temporary credentials of the stack's assumed role, as the AWS provider uses it (or the default chain). */
async function credentials(loaded: LoadedStack, region: string) {
  const { profile, roleArn } = loaded.config.awsCli;
  if (!roleArn) return undefined;
  const sts = new STSClient({ region, ...(profile ? { profile } : {}) });
  const { Credentials: c } = await sts.send(
    new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: "jenkins-agent-bridge-smoke",
      DurationSeconds: 900,
    }),
  );
  if (!c?.AccessKeyId || !c.SecretAccessKey)
    throw new CheckError(`STS AssumeRole ${roleArn} returned no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
}

/** Runs (or, dry, prints) the pipeline check; exits with its status. */
export async function pipelineMain(
  loaded: LoadedStack,
  outputs: Record<string, unknown>,
  options: { readonly dryRun: boolean; readonly timeoutSeconds: number },
): Promise<void> {
  const timeout = options.timeoutSeconds;
  const built = pipelineTargetFromOutputs(loaded.stack, outputs, loaded.config.controller.adminUser);
  if (!built.ok) fail(built.problems);
  const { target } = built;
  const steps = pipelineSteps(target, timeout).map((s, i) => `  ${i + 1}. ${s}`);
  const header = `pipeline check of stack ${target.stack} (transport ${target.transport}): job ${target.job} at ${target.jenkinsUrl}`;
  if (options.dryRun) {
    process.stdout.write(
      `${header}, dry run: outputs from the offline plan\n\nsteps:\n${steps.join("\n")}\n\nthe job's pipeline (JCasC jobs:, Job DSL):\n${pipelineScript(target.transport)}`,
    );
    return;
  }
  process.stdout.write(`${header}\n`);
  if (target.jenkinsUrl.startsWith("http://")) {
    process.stdout.write(
      "note: the UI serves plain HTTP; the admin password crosses the network unencrypted\n",
    );
  }
  const region = secretRegion(target.adminSecretArn) ?? loaded.config.region;
  try {
    const profile = loaded.config.awsCli.profile;
    const creds = await credentials(loaded, region);
    const client = new SecretsManagerClient({
      region,
      ...(creds ? { credentials: creds } : profile ? { profile } : {}),
    });
    const password = await readAdminPassword(client, target.adminSecretArn);
    const outcome = await runPipelineCheck(target, {
      password,
      timeoutMs: timeout * 1000,
      log: (line) => process.stdout.write(`${line}\n`),
    });
    if ("log" in outcome && outcome.log)
      process.stdout.write(`--- log tail ---\n${logTail(outcome.log)}\n---\n`);
    const line = summary(target, outcome);
    if (exitStatus(outcome, target.transport) !== 0) fail([line], 1);
    process.stdout.write(`${line}\n`);
  } catch (err) {
    if (err instanceof CheckError)
      fail([`pipeline check of stack ${target.stack} failed: ${err.message}`], 1);
    fail([`pipeline check of stack ${target.stack} failed: ${(err as Error).message}`], 1);
  }
}
