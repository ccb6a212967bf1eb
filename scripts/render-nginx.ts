/**
 * `npm run render:nginx -- --stack NAME [--listen HOST:PORT] [--upstream URL] [--ca-file PATH]
 *   [--server-name NAME] [--resolver ADDR] [--prefix DIR] [--config KEY=VALUE ...] [--stacks-dir DIR]`
 *
 * Prints the nginx.conf that stack's agent proxy mounts, with the given overrides, so the proxy
 * can run locally (unprivileged, from a temporary prefix) for debugging and tests. Exit status:
 * 0 done, 2 a usage or configuration mistake (one line per problem).
 */
import * as path from "path";
import { parseArgs } from "util";
import { CLUSTER_DNS_IP } from "../components/cluster/plan";
import { deployedNginxInputs, parseUpstream, renderNginxConf } from "../components/proxy/nginx-conf";
import { decodeConfig } from "../config/decode";
import { parseStackConfig } from "../config/stack-config";
import { applyOverrides, readStack, STACKS_DIR, UsageError } from "../plan/stack-file";

const USAGE = `usage: npm run render:nginx -- --stack NAME [--listen HOST:PORT] [--upstream URL] [--ca-file PATH]
         [--server-name NAME] [--resolver ADDR] [--prefix DIR] [--config KEY=VALUE ...] [--stacks-dir DIR]`;

function fail(lines: string[]): never {
  process.stderr.write(`${lines.join("\n")}\n`);
  process.exit(2);
}

function main(): void {
  let args;
  try {
    args = parseArgs({
      options: {
        stack: { type: "string" },
        listen: { type: "string" },
        upstream: { type: "string" },
        "ca-file": { type: "string" },
        "server-name": { type: "string" },
        resolver: { type: "string" },
        prefix: { type: "string" },
        config: { type: "string", multiple: true, default: [] },
        "stacks-dir": { type: "string", default: STACKS_DIR },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    fail([(err as Error).message, USAGE]);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!args.stack) {
    fail(["--stack is required", USAGE]);
  }
  const problems: string[] = [];
  let values;
  try {
    values = applyOverrides(
      readStack(path.resolve(args["stacks-dir"] ?? STACKS_DIR), args.stack),
      args.config ?? [],
    );
  } catch (err) {
    if (err instanceof UsageError) fail([err.message]);
    throw err;
  }
  const parsed = parseStackConfig(decodeConfig(values.values), values.secretKeys);
  if (!parsed.ok) {
    fail(parsed.problems);
  }
  const { config } = parsed;
  if (config.transport !== "websocket") {
    fail([
      `--stack: "${args.stack}" uses transport ${config.transport}; only websocket stacks have an agent proxy`,
    ]);
  }
  if (args.listen !== undefined && !/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(args.listen)) {
    problems.push(`--listen: got "${args.listen}"; expected HOST:PORT, such as 127.0.0.1:8080`);
  }
  if (args.upstream !== undefined) {
    try {
      parseUpstream(args.upstream);
    } catch (err) {
      problems.push(`--${(err as Error).message}`);
    }
  }
  if (args.prefix !== undefined && !path.isAbsolute(args.prefix)) {
    problems.push(`--prefix: got "${args.prefix}"; expected an absolute directory`);
  }
  if (problems.length > 0) {
    fail(problems);
  }
  const deployed = deployedNginxInputs({
    stack: args.stack,
    privateName: `${config.gateway.hostName}.${config.gateway.privateZoneName}`,
    timeoutMinutes: config.proxy.timeoutMinutes,
    resolver: CLUSTER_DNS_IP,
  });
  process.stdout.write(
    renderNginxConf({
      ...deployed,
      listen: args.listen ?? deployed.listen,
      upstream: args.upstream ?? deployed.upstream,
      caFile: args["ca-file"] ?? deployed.caFile,
      serverName: args["server-name"] ?? deployed.serverName,
      resolver: args.resolver ?? deployed.resolver,
      prefix: args.prefix,
    }),
  );
}

main();
