/**
 * `npm run preflight -- --stack S [--config KEY=VALUE]...`
 *
 * Read-only checks against the AWS account and region a stack deploys to, run before `pulumi up`:
 * credentials and account (`aws:allowedAccountIds`), quotas against what the stack adds, zone IDs
 * and instance type offerings, the Kubernetes version EKS offers, the UI certificate, and that this
 * machine reaches the cluster's API from where the stack says Pulumi runs.
 * Exit status: 0 nothing found, 1 a problem (one line each, on stderr), 2 a usage or config mistake.
 */
import { decodeConfigValue } from "../config/decode";
import { callerIdentity, egressAddress, gatherFacts, stackClients } from "../preflight/aws";
import { plannedZones, preflightProblems } from "../preflight/checks";
import { fail, loadStackFromArgs } from "./lib/stack-args";

const USAGE = `usage: npm run preflight -- --stack NAME [--config KEY=VALUE]...
  Read-only AWS checks of stack NAME before pulumi up: credentials and account, quotas, zone IDs
  and instance type offerings, the EKS version, the UI certificate, and that this machine reaches
  the cluster's API. Uses the stack's aws:region, aws:profile and aws:assumeRoles.
  exit 0: nothing found; 1: problems, one line each; 2: a usage or configuration mistake`;

/** The first line of an error's message, without a stack trace. */
const firstLine = (err: unknown) => String((err as Error).message ?? err).split("\n")[0];

async function main(): Promise<void> {
  // The project runs on Node 20 (package.json engines); the SDK's multi-line notice about its
  // future Node 22 requirement would break the one-line-per-problem output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const parsed = loadStackFromArgs({}, USAGE);
  if (!parsed) return;
  const { stack, values, config } = parsed.loaded;
  const allowed = decodeConfigValue(values.values["aws:allowedAccountIds"] ?? "[]");
  const allowedAccountIds = Array.isArray(allowed) ? allowed.map(String) : [];

  let identity: { account: string; arn: string };
  let clients: Awaited<ReturnType<typeof stackClients>>;
  try {
    clients = await stackClients(config);
    identity = await callerIdentity(clients.sts);
  } catch (err) {
    fail(
      [
        `credentials: none usable for stack ${stack} in ${config.region} (${firstLine(err)}); expected AWS credentials: aws:profile or AWS_PROFILE, AWS_ACCESS_KEY_ID, or aws sso login`,
      ],
      1,
    );
  }
  let facts;
  try {
    facts = await gatherFacts(clients, stack, config, identity, () => egressAddress());
  } catch (err) {
    const name = (err as Error).name;
    fail(
      [
        `AWS refused a read-only call (${name}: ${firstLine(err)}); the preflight needs Describe, List and Get permissions`,
      ],
      1,
    );
  }
  const uiHostName = (config.controller.ui as { hostName?: string }).hostName;
  const problems = preflightProblems({ stack, config, allowedAccountIds, uiHostName }, facts);
  if (problems.length > 0) fail(problems, 1);
  const zones = plannedZones(config, facts.region).zoneIds;
  process.stdout.write(
    `preflight: stack ${stack}, account ${identity.account}, ${config.region}: nothing found\n` +
      `  zones: master ${zones?.master.join(", ")}; agent ${zones?.agent.join(", ")}\n` +
      `  egress ${facts.egress.ok ? facts.egress.address : "unknown"} may reach the cluster's API (agentCluster.apiAccess.from ${config.agentCluster.apiAccess.from})\n`,
  );
}

main().catch((err) => fail([`preflight failed: ${firstLine(err)}`], 1));
