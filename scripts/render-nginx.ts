/**
 * `npm run render:nginx -- --stack NAME [--listen HOST:PORT] [--upstream URL] [--ca-file PATH]
 *   [--server-name NAME] [--resolver ADDR] [--prefix DIR] [--config KEY=VALUE ...] [--stacks-dir DIR]`
 *
 * Prints the nginx.conf that stack's agent proxy mounts, with the given overrides, so the proxy
 * can run locally (unprivileged, from a temporary prefix) for debugging and tests. Exit status:
 * 0 done, 2 a usage or configuration mistake (one line per problem).
 */
import * as path from "path";
import { CLUSTER_DNS_IP } from "../components/cluster/plan";
import { controllerPrivateName } from "../components/gateway/plan";
import { deployedNginxInputs, parseUpstream, renderNginxConf } from "../components/proxy/nginx-conf";
import { fail, loadStackFromArgs } from "./cli";

const USAGE = `usage: npm run render:nginx -- --stack NAME [--listen HOST:PORT] [--upstream URL] [--ca-file PATH]
         [--server-name NAME] [--resolver ADDR] [--prefix DIR] [--config KEY=VALUE ...] [--stacks-dir DIR]`;

function main(): void {
  const parsed = loadStackFromArgs(
    {
      listen: { type: "string" },
      upstream: { type: "string" },
      "ca-file": { type: "string" },
      "server-name": { type: "string" },
      resolver: { type: "string" },
      prefix: { type: "string" },
    } as const,
    USAGE,
  );
  if (!parsed) return;
  const { stack, config } = parsed.loaded;
  const option = (key: string) => {
    const value = parsed.args[key];
    return typeof value === "string" ? value : undefined;
  };
  const listen = option("listen");
  const upstream = option("upstream");
  const prefix = option("prefix");
  const problems: string[] = [];
  if (config.transport !== "websocket") {
    fail([
      `--stack: "${stack}" uses transport ${config.transport}; only websocket stacks have an agent proxy`,
    ]);
  }
  if (listen !== undefined && !/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(listen)) {
    problems.push(`--listen: got "${listen}"; expected HOST:PORT, such as 127.0.0.1:8080`);
  }
  if (upstream !== undefined) {
    try {
      parseUpstream(upstream);
    } catch (err) {
      problems.push(`--${(err as Error).message}`);
    }
  }
  if (prefix !== undefined && !path.isAbsolute(prefix)) {
    problems.push(`--prefix: got "${prefix}"; expected an absolute directory`);
  }
  if (problems.length > 0) {
    fail(problems);
  }
  const deployed = deployedNginxInputs({
    stack,
    privateName: controllerPrivateName(config.gateway.hostName, config.gateway.privateZoneName),
    timeoutMinutes: config.proxy.timeoutMinutes,
    resolver: CLUSTER_DNS_IP,
    cpuMillicores: config.proxy.cpuMillicores,
  });
  process.stdout.write(
    renderNginxConf({
      ...deployed,
      listen: listen ?? deployed.listen,
      upstream: upstream ?? deployed.upstream,
      caFile: option("ca-file") ?? deployed.caFile,
      serverName: option("server-name") ?? deployed.serverName,
      resolver: option("resolver") ?? deployed.resolver,
      prefix,
    }),
  );
}

main();
