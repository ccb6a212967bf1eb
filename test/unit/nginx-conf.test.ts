import * as assert from "assert";
import {
  AGENT_ANSWER_BUFFER,
  REQUEST_POOL_SIZE,
  deployedNginxInputs,
  LOGIN_ANSWER_BUFFER,
  NginxInputs,
  parseUpstream,
  proxyMemoryNeedMiB,
  renderNginxConf,
  upstreamServer,
} from "../../components/proxy/nginx-conf";
import { golden } from "../harness/golden";

const deployed = (stack: string, privateName: string) =>
  deployedNginxInputs({
    stack,
    privateName,
    timeoutMinutes: 10,
    endpointAddresses: ["10.20.16.17", "10.20.0.8"],
    cpuMillicores: 100,
  });

/** The directives of one `location` block, as written (nested blocks included, braces counted). */
function location(conf: string, match: string): string[] {
  const start = conf.indexOf(`location ${match} {`);
  assert.ok(start >= 0, `no location ${match}`);
  const lines: string[] = [];
  let depth = 0;
  for (const raw of conf.slice(start).split("\n")) {
    const line = raw.trim();
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    lines.push(line);
    if (depth === 0) break;
  }
  return lines.slice(1, -1).filter((l) => l && !l.startsWith("#"));
}

describe("nginx agent proxy config", () => {
  const conf = renderNginxConf(deployed("dev", "jenkins.dev.ci.internal"));

  it("renders the dev proxy as in its golden file", () => {
    golden("nginx-dev.golden.conf", conf);
  });

  it("renders a local, unprivileged variant with files under a prefix", () => {
    const local: NginxInputs = {
      ...deployed("dev", "jenkins.dev.ci.internal"),
      listen: "127.0.0.1:18080",
      upstream: "https://127.0.0.1:18443",
      upstreamAddresses: [],
      caFile: "/tmp/run/ca.pem",
      prefix: "/tmp/run/",
    };
    golden("nginx-local.golden.conf", renderNginxConf(local));
  });

  for (const [path, buffer] of [
    ["/wsagents/", "2560"],
    ["/login", "8k"],
  ]) {
    it(`forwards exactly ${path} over HTTP/1.1 with Upgrade, a mapped Connection, long timeouts, a ${buffer} answer buffer and verified TLS 1.2`, () => {
      assert.deepStrictEqual(location(conf, `= ${path}`), [
        `if ($request_uri != "${path}") {`,
        "return 403;",
        "}",
        "proxy_pass https://controller;",
        "proxy_http_version 1.1;",
        "proxy_set_header Host jenkins.dev.ci.internal;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_connect_timeout 10s;",
        "proxy_read_timeout 10m;",
        "proxy_send_timeout 10m;",
        "proxy_buffering off;",
        "proxy_request_buffering off;",
        `proxy_buffer_size ${buffer};`,
        "proxy_ssl_server_name on;",
        "proxy_ssl_name jenkins.dev.ci.internal;",
        "proxy_ssl_verify on;",
        "proxy_ssl_verify_depth 2;",
        "proxy_ssl_trusted_certificate /etc/nginx/agent-proxy/ca.pem;",
        "proxy_ssl_protocols TLSv1.2;",
        "proxy_ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384;",
        "proxy_ssl_session_reuse on;",
      ]);
    });
  }

  it("sizes the agent path's answer buffer for Jenkins' answers and the login page's for large headers", () => {
    assert.deepStrictEqual([AGENT_ANSWER_BUFFER, LOGIN_ANSWER_BUFFER], ["2560", "8k"]);
    assert.match(conf, /^ {8}request_pool_size 640;$/m);
  });

  it("keeps the request pool size one nginx accepts: at least 112 bytes and a multiple of 16", () => {
    const bytes = Number(REQUEST_POOL_SIZE);
    assert.ok(Number.isInteger(bytes) && bytes >= 112 && bytes % 16 === 0, REQUEST_POOL_SIZE);
  });

  it("maps Connection to upgrade for WebSocket requests and to nothing for plain ones", () => {
    assert.ok(
      conf.includes(
        'map $http_upgrade $connection_upgrade {\n        default upgrade;\n        "" "";\n    }',
      ),
    );
    assert.ok(!/Connection\s+"?close/i.test(conf));
  });

  it("refuses every other path, and answers probes itself", () => {
    assert.deepStrictEqual(location(conf, "/"), ["return 403;"]);
    assert.deepStrictEqual(location(conf, "= /healthz"), [
      "access_log off;",
      "default_type text/plain;",
      'return 200 "ok\\n";',
    ]);
    assert.strictEqual((conf.match(/location /g) ?? []).length, 5);
    assert.deepStrictEqual(location(conf, "= /wsagents"), ["return 403;"]);
  });

  it("connects to the endpoint's addresses, sorted, on 443, and resolves no names", () => {
    assert.ok(
      conf.includes(
        "upstream controller {\n        server 10.20.0.8:443;\n        server 10.20.16.17:443;\n    }",
      ),
    );
    assert.ok(!/^\s*resolver\s|\$controller/m.test(conf));
    assert.strictEqual((conf.match(/proxy_pass https:\/\/controller;/g) ?? []).length, 2);
  });

  it("changes the rendered config when the endpoint's addresses change, whatever their order", () => {
    const render = (endpointAddresses: string[]) =>
      renderNginxConf(
        deployedNginxInputs({
          stack: "dev",
          privateName: "jenkins.dev.ci.internal",
          timeoutMinutes: 10,
          endpointAddresses,
          cpuMillicores: 100,
        }),
      );
    assert.strictEqual(render(["10.20.0.8", "10.20.16.17"]), conf);
    assert.notStrictEqual(render(["10.20.0.9", "10.20.16.17"]), conf);
  });

  it("refuses endpoint addresses that are not IPv4 addresses", () => {
    for (const bad of ["10.0.0.256", "010.0.0.4", "jenkins.internal", "10.0.0.1;", "::1", ""]) {
      assert.throws(
        () => renderNginxConf({ ...deployed("dev", "x.internal"), upstreamAddresses: [bad] }),
        /upstream address: got ".*"; expected an IPv4 address/,
        bad,
      );
    }
  });

  it("names the upstream's server with the scheme's port and sends the Host nginx would send", () => {
    assert.deepStrictEqual(upstreamServer("https://j.internal"), {
      scheme: "https",
      port: "443",
      server: "j.internal:443",
      host: "j.internal",
    });
    assert.deepStrictEqual(upstreamServer("https://j.internal:443"), {
      scheme: "https",
      port: "443",
      server: "j.internal:443",
      host: "j.internal",
    });
    assert.deepStrictEqual(upstreamServer("https://127.0.0.1:8443"), {
      scheme: "https",
      port: "8443",
      server: "127.0.0.1:8443",
      host: "127.0.0.1:8443",
    });
    assert.deepStrictEqual(upstreamServer("http://127.0.0.1"), {
      scheme: "http",
      port: "80",
      server: "127.0.0.1:80",
      host: "127.0.0.1",
    });
  });

  it("never logs the agent's Secret-Key", () => {
    assert.ok(!/secret/i.test(conf.slice(conf.indexOf("log_format"), conf.indexOf("access_log"))));
    assert.ok(!conf.includes("$http_secret_key"));
    assert.ok(!/log_format\s+\w+\s+[^;]*\$request[^_]/.test(conf), "$request could carry query strings");
  });

  it("keeps pid and temporary files in the writable /tmp, logs on stdout/stderr", () => {
    for (const line of [
      "pid /tmp/nginx.pid;",
      "error_log /dev/stderr notice;",
      "access_log /dev/stdout agents;",
      "client_body_temp_path /tmp/client_body;",
      "proxy_temp_path /tmp/proxy;",
    ]) {
      assert.ok(conf.includes(line), line);
    }
  });

  it("sends plain HTTP upstream without TLS directives when asked for an http upstream", () => {
    const plain = renderNginxConf({
      ...deployed("dev", "x.internal"),
      upstream: "http://127.0.0.1:9000",
      upstreamAddresses: [],
    });
    assert.ok(plain.includes("upstream controller {\n        server 127.0.0.1:9000;\n    }"));
    assert.ok(plain.includes("proxy_pass http://controller;"));
    assert.ok(!plain.includes("proxy_ssl_"));
  });

  it("starts one worker per whole core of the pod's CPU limit, never one per node CPU", () => {
    assert.match(conf, /^worker_processes 1;$/m);
    const workers = (cpuMillicores: number) =>
      renderNginxConf(
        deployedNginxInputs({
          stack: "dev",
          privateName: "j",
          timeoutMinutes: 10,
          endpointAddresses: ["10.0.0.5"],
          cpuMillicores,
        }),
      ).match(/^worker_processes (\S+);$/m)?.[1];
    assert.deepStrictEqual(
      [workers(10), workers(1000), workers(1999), workers(2000), workers(4500)],
      ["1", "1", "1", "2", "4"],
    );
  });

  it("sizes a replica's memory from nginx's base and the measured cost of a session", () => {
    assert.strictEqual(proxyMemoryNeedMiB(1, 0), 14);
    assert.strictEqual(proxyMemoryNeedMiB(1, 16), 15);
    assert.strictEqual(proxyMemoryNeedMiB(2, 10_000), 2 + 24 + 469);
  });

  it("refuses upstreams that are not http(s)://host[:port]", () => {
    for (const bad of ["ftp://x", "https://x/path", "x:443", "https://"]) {
      assert.throws(() => parseUpstream(bad), /expected http\(s\):\/\/host\[:port\]/, bad);
    }
  });
});
