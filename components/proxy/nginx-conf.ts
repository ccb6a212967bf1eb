/**
 * The agent proxy's nginx configuration, rendered by one pure function. It honours what
 * WebSocket agents need on their way to the controller:
 *
 * - HTTP/1.1 to the upstream (nginx proxies with HTTP/1.0 by default, and no Upgrade is possible);
 * - `Upgrade` passed on, `Connection` from a map: `upgrade` for WebSocket requests and empty for
 *   plain ones, so nginx sends no `Connection: close` upstream;
 * - read/send timeouts in minutes: Jenkins pings WebSocket agents every 30 s, and nginx's default
 *   60 s read timeout would race that;
 * - exactly `/wsagents/` and `/login` (polled before every connect) passed through unchanged;
 *   every other path, and any variant of those two, refused, so the agent VPC cannot reach the UI
 *   or API through the proxy;
 * - the agent's `Secret-Key` header never logged (the log format names its fields);
 * - TLS to the controller's private name, verified against the gateway's CA, with SNI;
 * - a fixed upstream: the interface endpoint's addresses, which the program reads from its network
 *   interfaces, so a change of them changes this file and rolls the proxy's pods; the private
 *   name stays what TLS verifies and SNI carries;
 * - each location's answer buffer sized for what Jenkins answers there (see AGENT_ANSWER_BUFFER);
 * - a health endpoint for probes; pid and temporary files in a writable directory, so it runs
 *   unprivileged with a read-only root.
 */
import { isIpv4Address } from "../network/cidr";

/** Inputs of {@link renderNginxConf}. */
export interface NginxInputs {
  /** `HOST:PORT` the proxy listens on. */
  readonly listen: string;
  /** The controller as seen from the proxy: `https://name[:port]` or `http://host:port`. */
  readonly upstream: string;
  /**
   * The addresses nginx connects to for {@link upstream} (the endpoint's network interfaces),
   * with the upstream's port. Without any, nginx resolves the upstream's host once at start.
   */
  readonly upstreamAddresses?: readonly string[];
  /** The name the upstream certificate must carry; also sent as SNI. */
  readonly serverName: string;
  /** PEM file of the CA that issued the upstream certificate (https upstreams). */
  readonly caFile: string;
  /** Read/send timeout to the controller, minutes. */
  readonly timeoutMinutes: number;
  /**
   * A directory for pid, temporary and log files. Without one, pid and temporary files go to
   * `/tmp` (an emptyDir in the pod) and logs to stdout/stderr.
   */
  readonly prefix?: string;
  /** Connections per worker; each agent holds two (client and upstream). */
  readonly workerConnections?: number;
  /** Worker processes (default `auto`: one per CPU nginx sees). */
  readonly workerProcesses?: number | "auto";
  /** A comment line saying where the file comes from. */
  readonly origin?: string;
}

/** Paths the proxy forwards; everything else is refused. */
export const AGENT_PATHS = { websocket: "/wsagents/", login: "/login" } as const;
/** The probe path, answered by nginx itself. */
export const HEALTH_PATH = "/healthz";
/**
 * Seconds a stopping proxy keeps serving established agents (`worker_shutdown_timeout`); the pod's
 * grace period is a little longer. Agents reconnect on their own afterwards.
 */
export const DRAIN_SECONDS = 60;
/** Default connections per worker: ample for thousands of agents per replica. */
export const DEFAULT_WORKER_CONNECTIONS = 16384;

/**
 * Memory of one proxy replica, as measured on nginx 1.22 with this config (`npm run bench:proxy`
 * and an idle worker): the master, each idle worker (its preallocated connection table), and each
 * agent session held (two connections, buffers and the TLS state of the leg to the gateway:
 * measured 44 to 46 KiB with 10,000 sessions, rounded up with room for another allocator, as the
 * deployed image is Alpine's musl; see docs/agent-proxy-memory.md).
 */
export const PROXY_MEMORY = { masterMiB: 2, workerMiB: 12, sessionKiB: 48 } as const;

/**
 * Bytes nginx holds for the head of the controller's answer on the agent path, and twice for each
 * agent session (once per direction of the WebSocket). The whole head (status line and headers)
 * must fit, or nginx answers 502. What Jenkins 2.555 sends on `/wsagents/` (jenkinsci/jenkins:
 * core/src/main/java/jenkins/agents/WebSocketAgents.java, hudson/security/HudsonFilter.java,
 * jenkins/security/csp/impl/CspFilter.java and CspDecorator.java, lib/layout/layout.jelly):
 * - 101: `X-Content-Type-Options`, `Content-Security-Policy-Report-Only` and
 *   `Reporting-Endpoints` (both carry the root URL and a signed context of about 100
 *   characters), `X-Remoting-Capability`, `X-Remoting-Minimum-Version`, `Connection-Cookie` (64
 *   hex digits), the WebSocket headers, `Date`, and possibly a session cookie: 1.25 to 1.35 KiB
 *   with root URLs of 28 to 81 characters;
 * - 403 (wrong secret): the status alone with the filters' headers, about 1 KiB;
 * - 400 (missing headers, unknown agent): `sendError`, so Jenkins' error page with the layout's
 *   headers (`X-Jenkins`, `X-Frame-Options`, `Referrer-Policy`, a session cookie, and the
 *   instance-identity plugin's 392-character `X-Instance-Identity` when installed): 1.65 to
 *   1.75 KiB;
 * - 404 only for other paths, which the proxy refuses itself.
 * 2560 bytes hold the 101 with 85 % more room and the largest error page with 40 % more, and a
 * 4 KiB frame crosses in two reads, as with nginx's default 4k. A buffer holding a whole frame
 * (4104 bytes and up) shortens its round trip by about 5 % of direct and costs 3.2 KiB more per
 * session, more than the naive peer holds (docs/agent-proxy-memory.md). The test
 * test/integration/proxy-answers.test.ts sends these answers through a real nginx.
 */
export const AGENT_ANSWER_BUFFER = "2560";
/**
 * The same for `/login`, polled before every connect and answered with the login page's headers
 * (the layout's, cookies, CSP). Polls are short, so this costs nothing per held session; it is
 * sized for large header sets, which pass whole.
 */
export const LOGIN_ANSWER_BUFFER = "8k";
/**
 * Block size of each request's memory pool, which a held session keeps. With small blocks, the
 * two answer buffers and the request's larger structures are allocated on their own instead of
 * leaving most of a 4 KiB block unused, and fewer bytes go unused at the end of each block
 * (measured per session: 4k blocks about 2 KiB more than 1k, 1k about 0.7 KiB more than 640; see
 * docs/agent-proxy-memory.md). nginx refuses a size under 112 bytes or not a multiple of 16
 * (ngx_http_core_pool_size, NGX_MIN_POOL_SIZE).
 */
export const REQUEST_POOL_SIZE = "640";
/**
 * TLS to the gateway: TLS 1.2 with ECDHE and AES-GCM for the gateway's ECDSA certificate. Both
 * ciphers are in the gateway listener's policy (LISTENER_TLS_POLICY, ELBSecurityPolicy-TLS13-1-2-2021-06:
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html).
 * Measured on nginx 1.22 with OpenSSL 3, a TLS 1.3 session held about 7.5 KiB more than a TLS 1.2
 * one; TLS 1.2 with these suites keeps forward secrecy and authenticated encryption.
 */
export const UPSTREAM_TLS = {
  protocols: "TLSv1.2",
  ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384",
} as const;

/**
 * Worker processes for a pod's CPU: one per whole core of its limit, at least one. `auto` would
 * start one per CPU of the node, each with its own connection table, whatever the pod's limit.
 */
export function proxyWorkers(cpuMillicores: number): number {
  return Math.max(1, Math.floor(cpuMillicores / 1000));
}

/** Connections one replica needs for `sessions` agents: two each (agent and controller side), plus room for probes and polls. */
export function proxyConnectionsNeeded(sessions: number): number {
  return 2 * sessions + 64;
}

/** MiB one replica needs to hold `sessions` agents with `workers` worker processes. */
export function proxyMemoryNeedMiB(workers: number, sessions: number): number {
  return Math.ceil(
    PROXY_MEMORY.masterMiB + workers * PROXY_MEMORY.workerMiB + (sessions * PROXY_MEMORY.sessionKiB) / 1024,
  );
}

/** Parses and checks an upstream URL; throws on anything but http(s)://host[:port]. */
export function parseUpstream(upstream: string): { scheme: "http" | "https"; hostPort: string } {
  const match = /^(https?):\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(:\d{1,5})?\/?$/.exec(upstream);
  if (!match) {
    throw new Error(`upstream: got "${upstream}"; expected http(s)://host[:port]`);
  }
  return { scheme: match[1] as "http" | "https", hostPort: `${match[2]}${match[3] ?? ""}` };
}

/**
 * The upstream's scheme, port (the scheme's when none is given), `server` address, and the Host
 * header nginx would send for `proxy_pass` to that URL (the port only when it is not the scheme's).
 */
export function upstreamServer(upstream: string): {
  scheme: "http" | "https";
  port: string;
  server: string;
  host: string;
} {
  const { scheme, hostPort } = parseUpstream(upstream);
  const match = /^(.*?)(?::(\d+))?$/.exec(hostPort)!;
  const defaultPort = scheme === "https" ? "443" : "80";
  const port = match[2] ?? defaultPort;
  return {
    scheme,
    port,
    server: `${match[1]}:${port}`,
    host: port === defaultPort ? match[1] : `${match[1]}:${port}`,
  };
}

/** Renders the whole `nginx.conf`. */
export function renderNginxConf(inputs: NginxInputs): string {
  const { scheme, port, server, host } = upstreamServer(inputs.upstream);
  for (const address of inputs.upstreamAddresses ?? []) {
    if (!isIpv4Address(address)) {
      throw new Error(`upstream address: got "${address}"; expected an IPv4 address`);
    }
  }
  const servers = inputs.upstreamAddresses?.length
    ? [...inputs.upstreamAddresses].sort().map((address) => `${address}:${port}`)
    : [server];
  const dir = inputs.prefix ? inputs.prefix.replace(/\/+$/, "") : "/tmp";
  const errorLog = inputs.prefix ? `${dir}/error.log` : "/dev/stderr";
  const accessLog = inputs.prefix ? `${dir}/access.log` : "/dev/stdout";
  const timeout = `${inputs.timeoutMinutes}m`;
  const tls =
    scheme === "https"
      ? [
          "proxy_ssl_server_name on;",
          `proxy_ssl_name ${inputs.serverName};`,
          "proxy_ssl_verify on;",
          "proxy_ssl_verify_depth 2;",
          `proxy_ssl_trusted_certificate ${inputs.caFile};`,
          `proxy_ssl_protocols ${UPSTREAM_TLS.protocols};`,
          `proxy_ssl_ciphers ${UPSTREAM_TLS.ciphers};`,
          "proxy_ssl_session_reuse on;",
        ]
      : [];
  const proxy = (answerBuffer: string) => [
    `proxy_pass ${scheme}://controller;`,
    "proxy_http_version 1.1;",
    `proxy_set_header Host ${host};`,
    "proxy_set_header Upgrade $http_upgrade;",
    "proxy_set_header Connection $connection_upgrade;",
    "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    "proxy_set_header X-Forwarded-Proto $scheme;",
    "proxy_connect_timeout 10s;",
    `proxy_read_timeout ${timeout};`,
    `proxy_send_timeout ${timeout};`,
    "proxy_buffering off;",
    "proxy_request_buffering off;",
    `proxy_buffer_size ${answerBuffer};`,
    ...tls,
  ];
  const block = (lines: string[], indent: string) => lines.map((l) => `${indent}${l}`).join("\n");

  return `${inputs.origin ? `# ${inputs.origin}\n` : ""}worker_processes ${inputs.workerProcesses ?? "auto"};
pid ${dir}/nginx.pid;
error_log ${errorLog} notice;
# On reload or graceful stop, old workers keep serving established agents this long at most.
worker_shutdown_timeout ${DRAIN_SECONDS}s;
worker_rlimit_nofile ${2 * (inputs.workerConnections ?? DEFAULT_WORKER_CONNECTIONS) + 1024};

events {
    worker_connections ${inputs.workerConnections ?? DEFAULT_WORKER_CONNECTIONS};
}

http {
    server_tokens off;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;

    # Agents send small GET requests only. A 1k header buffer is held for each agent's whole
    # session; the rare larger header set moves to the large buffers.
    client_max_body_size 16k;
    client_header_buffer_size 1k;
    large_client_header_buffers 4 8k;

    # WebSocket requests get "Connection: upgrade"; plain requests an empty Connection header,
    # so nginx sends no "Connection: close" upstream.
    map $http_upgrade $connection_upgrade {
        default upgrade;
        "" "";
    }

    # Named fields only: the agent's Secret-Key header is never logged.
    log_format agents '$remote_addr [$time_local] "$request_method $uri $server_protocol" '
                      '$status $body_bytes_sent $request_time node="$http_node_name" '
                      'upstream=$upstream_addr upstream_status=$upstream_status';
    access_log ${accessLog} agents;

    # The controller: the endpoint's addresses, rendered by the program (a change of them rolls
    # the pods). A fixed upstream holds less per agent than a variable one with a resolver, and
    # keeps TLS sessions for resumption.
    upstream controller {
${servers.map((s) => `        server ${s};`).join("\n")}
    }

    server {
        listen ${inputs.listen};
        server_name _;
        # Each held agent keeps its request's pool: small blocks waste least.
        request_pool_size ${REQUEST_POOL_SIZE};

        location = ${HEALTH_PATH} {
            access_log off;
            default_type text/plain;
            return 200 "ok\\n";
        }

        # Exact paths only. The raw request line goes upstream, so it must be exactly the path
        # (no query, no encoded or dotted variant that the controller might read differently).
        location = ${AGENT_PATHS.websocket} {
            if ($request_uri != "${AGENT_PATHS.websocket}") {
                return 403;
            }
${block(proxy(AGENT_ANSWER_BUFFER), "            ")}
        }

        location = ${AGENT_PATHS.login} {
            if ($request_uri != "${AGENT_PATHS.login}") {
                return 403;
            }
${block(proxy(LOGIN_ANSWER_BUFFER), "            ")}
        }

        # Not even the redirect nginx would send for the agent path without its slash.
        location = /wsagents {
            return 403;
        }

        # Nothing else of the controller is reachable from the agent network.
        location / {
            return 403;
        }
    }
}
`;
}

/** Where the proxy's pod mounts its ConfigMap. */
export const PROXY_CONFIG_DIR = "/etc/nginx/agent-proxy";
/** The port the proxy listens on inside the cluster (unprivileged). */
export const PROXY_PORT = 8080;

/**
 * The inputs of a stack's proxy as deployed: listen on the unprivileged port, connect to the
 * endpoint's addresses on 443, TLS to the controller's private name verified with the mounted CA.
 */
export function deployedNginxInputs(p: {
  readonly stack: string;
  readonly privateName: string;
  readonly timeoutMinutes: number;
  /** The interface endpoint's private addresses. */
  readonly endpointAddresses: readonly string[];
  /** The pod's CPU limit; sets the worker count. */
  readonly cpuMillicores: number;
}): NginxInputs {
  return {
    workerProcesses: proxyWorkers(p.cpuMillicores),
    listen: `0.0.0.0:${PROXY_PORT}`,
    upstream: `https://${p.privateName}:443`,
    upstreamAddresses: p.endpointAddresses,
    serverName: p.privateName,
    caFile: `${PROXY_CONFIG_DIR}/ca.pem`,
    timeoutMinutes: p.timeoutMinutes,
    origin: `Agent proxy of stack ${p.stack}, rendered by jenkins-agent-bridge (npm run render:nginx -- --stack ${p.stack}). Do not edit.`,
  };
}
