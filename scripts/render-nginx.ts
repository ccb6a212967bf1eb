/**
 * `npm run render:nginx -- --stack NAME [--listen HOST:PORT] [--upstream URL] [--ca-file PATH]
 *   [--server-name NAME] [--resolver ADDR] [--prefix DIR] [--config KEY=VALUE ...] [--stacks-dir DIR]`
 *
 * Prints the nginx.conf that stack's agent proxy mounts, with the given overrides, so the proxy
 * can run locally (unprivileged, from a temporary prefix) for debugging and tests. Exit status:
 * 0 done, 2 a usage or configuration mistake (one line per problem).
 */
import { CLUSTER_DNS_IP } from "../components/cluster/plan";
import { controllerPrivateName } from "../components/gateway/plan";
import { deployedNginxInputs, parseUpstream, renderNginxConf } from "../components/proxy/nginx-conf";
import { fail, loadStackFromArgs } from "./cli";
import { listenProblem, nginxPathProblem, resolverProblem, serverNameProblem } from "./cli-inputs";

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
  // Every value below is copied into nginx.conf: refuse what nginx would read as syntax.
  const checks: [string, (v: string) => string | undefined][] = [
    ["listen", listenProblem],
    ["server-name", serverNameProblem],
    ["resolver", resolverProblem],
    ["prefix", (v) => nginxPathProblem(v, true)],
    ["ca-file", (v) => nginxPathProblem(v, false)],
  ];
  for (const [name, check] of checks) {
    const value = option(name);
    const reason = value === undefined ? undefined : check(value);
    if (reason !== undefined) problems.push(`--${name}: got ${JSON.stringify(value)}; ${reason}`);
  }
  if (upstream !== undefined) {
    try {
      parseUpstream(upstream);
    } catch (err) {
      problems.push(`--${(err as Error).message}`);
    }
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
