import * as assert from "assert";
import { CLUSTER_DNS_IP } from "../../components/cluster/plan";
import {
  deployedNginxInputs,
  NginxInputs,
  parseUpstream,
  proxyMemoryNeedMiB,
  renderNginxConf,
} from "../../components/proxy/nginx-conf";
import { golden } from "../harness/golden";

const deployed = (stack: string, privateName: string) =>
  deployedNginxInputs({
    stack,
    privateName,
    timeoutMinutes: 10,
    resolver: CLUSTER_DNS_IP,
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
      caFile: "/tmp/run/ca.pem",
      resolver: "127.0.0.1",
      prefix: "/tmp/run/",
    };
    golden("nginx-local.golden.conf", renderNginxConf(local));
  });

  for (const path of ["/wsagents/", "/login"]) {
    it(`forwards exactly ${path} over HTTP/1.1 with Upgrade, a mapped Connection, long timeouts and verified TLS`, () => {
      assert.deepStrictEqual(location(conf, `= ${path}`), [
        `if ($request_uri != "${path}") {`,
        "return 403;",
        "}",
        "proxy_pass $controller;",
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $connection_upgrade;",
        "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        "proxy_connect_timeout 10s;",
        "proxy_read_timeout 10m;",
        "proxy_send_timeout 10m;",
        "proxy_buffering off;",
        "proxy_request_buffering off;",
        "proxy_ssl_server_name on;",
        "proxy_ssl_name jenkins.dev.ci.internal;",
        "proxy_ssl_verify on;",
        "proxy_ssl_verify_depth 2;",
        "proxy_ssl_trusted_certificate /etc/nginx/agent-proxy/ca.pem;",
        "proxy_ssl_protocols TLSv1.2 TLSv1.3;",
        "proxy_ssl_session_reuse on;",
      ]);
    });
  }

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

  it("resolves the controller through a resolver and a variable, never once at start", () => {
    assert.ok(conf.includes(`resolver ${CLUSTER_DNS_IP} valid=30s ipv6=off;`));
    assert.ok(conf.includes("set $controller https://jenkins.dev.ci.internal:443;"));
    assert.ok(!/proxy_pass https?:\/\//.test(conf));
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
    const plain = renderNginxConf({ ...deployed("dev", "x.internal"), upstream: "http://127.0.0.1:9000" });
    assert.ok(plain.includes("set $controller http://127.0.0.1:9000;"));
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
          resolver: "10.0.0.2",
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
    assert.strictEqual(proxyMemoryNeedMiB(2, 10_000), 2 + 24 + 625);
  });

  it("refuses upstreams that are not http(s)://host[:port]", () => {
    for (const bad of ["ftp://x", "https://x/path", "x:443", "https://"]) {
      assert.throws(() => parseUpstream(bad), /expected http\(s\):\/\/host\[:port\]/, bad);
    }
  });
});
