/**
 * `npm run render:nginx -- --stack NAME [--listen HOST:PORT] [--upstream URL] [--endpoint-address IP ...]
 *   [--ca-file PATH] [--server-name NAME] [--resolver ADDR] [--prefix DIR] [--config KEY=VALUE ...]
 *   [--stacks-dir DIR]`
 *
 * Prints the nginx.conf that stack's agent proxy mounts, with the given overrides, so the proxy
 * can run locally (unprivileged, from a temporary prefix) for debugging and tests. The endpoint's
 * addresses are known once it exists: without `--endpoint-address` they are those the offline plan
 * (`npm run plan`) assumes, the first assignable address of each of the agent VPC's private
 * subnets; a deployed proxy's are in its ConfigMap. `--upstream` replaces the
 * controller's URL and its addresses. `--resolver` is accepted and has no effect (the proxy
 * resolves no names). Exit status: 0 done, 2 a usage or configuration mistake (one line per
 * problem).
 */
import { controllerPrivateName } from "../components/gateway/plan";
import { isIpv4Address } from "../components/network/cidr";
import { deployedNginxInputs, parseUpstream, renderNginxConf } from "../components/proxy/nginx-conf";
import { firstAssignableAddress, networkSubnets } from "../components/network/subnet-plan";
import { fail, loadStackFromArgs } from "./lib/stack-args";
import { listenProblem, nginxPathProblem, resolverProblem, serverNameProblem } from "./lib/cli-inputs";

const USAGE = `usage: npm run render:nginx -- --stack NAME [--listen HOST:PORT] [--upstream URL] [--endpoint-address IP ...]
         [--ca-file PATH] [--server-name NAME] [--resolver ADDR] [--prefix DIR] [--config KEY=VALUE ...]
         [--stacks-dir DIR]`;

async function main(): Promise<void> {
  const parsed = loadStackFromArgs(
    {
      listen: { type: "string" },
      upstream: { type: "string" },
      "endpoint-address": { type: "string", multiple: true },
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
  const addresses = (parsed.args["endpoint-address"] as string[] | undefined) ?? [];
  for (const address of addresses) {
    if (!isIpv4Address(address)) {
      problems.push(`--endpoint-address: got "${address}"; expected an IPv4 address, such as 10.0.1.23`);
    }
  }
  if (problems.length > 0) {
    fail(problems);
  }
  const endpointAddresses =
    upstream !== undefined
      ? []
      : addresses.length > 0
        ? addresses
        : networkSubnets(config.agentNetwork)
            .filter((subnet) => subnet.tier === "private")
            .map((subnet) => firstAssignableAddress(subnet.cidrBlock));
  const deployed = deployedNginxInputs({
    stack,
    privateName: controllerPrivateName(config.gateway.hostName, config.gateway.privateZoneName),
    timeoutMinutes: config.proxy.timeoutMinutes,
    endpointAddresses,
    cpuMillicores: config.proxy.cpuMillicores,
  });
  process.stdout.write(
    renderNginxConf({
      ...deployed,
      listen: listen ?? deployed.listen,
      upstream: upstream ?? deployed.upstream,
      caFile: option("ca-file") ?? deployed.caFile,
      serverName: option("server-name") ?? deployed.serverName,
      prefix,
    }),
  );
}

main().catch((err) => {
  process.stderr.write(`render:nginx failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
