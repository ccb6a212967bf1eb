/**
 * The agent path check (components/smoke/agent-path-check.sh) run for real with sh and curl:
 * through the stack's rendered nginx config (a real nginx) to a stand-in that answers an agent's
 * upgrade as Jenkins' WebSocketAgents does (400 "no such agent" for a node it does not know, in
 * the servlet container's error page), over TLS with the gateway's kind of certificate; and
 * directly over plain HTTP as in tcp mode. It passes only on Jenkins' own refusal.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as net from "net";
import * as path from "path";
import {
  freePort,
  requireNginx,
  RunningProxy,
  serverCertificate,
  startRenderedProxy,
  temporaryCa,
} from "../harness/nginx";
import { ROOT } from "../harness/plan";

const PRIVATE_NAME = "jenkins.dev.ci.internal";
const SCRIPT = path.join(ROOT, "components/smoke/agent-path-check.sh");

/** How the stand-in answers an upgrade to /wsagents/. */
type Mode = "jenkins" | "bare-400" | "accept";

/** What Jenkins' servlet container sends for `sendError(400, "no such agent")`. */
const JENKINS_REFUSAL =
  '<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>\n<title>Error 400 no such agent</title>\n</head>\n<body>\n<h2>HTTP ERROR 400 no such agent</h2>\n</body>\n</html>\n';

/** The stand-in's answer to an agent's upgrade, as raw HTTP. */
function answer(mode: Mode, req: http.IncomingMessage): string {
  const complete =
    req.headers["node-name"] && req.headers["secret-key"] && req.headers["x-remoting-capability"];
  if (mode === "accept" && complete) {
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n";
  }
  const body = mode === "jenkins" && complete ? JENKINS_REFUSAL : "Bad Request";
  return `HTTP/1.1 400 Bad Request\r\nContent-Type: text/html;charset=iso-8859-1\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

function run(agentUrl: string, caFile?: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      "sh",
      [SCRIPT],
      {
        timeout: 40_000,
        env: { ...process.env, AGENT_URL: agentUrl, ...(caFile ? { CA_FILE: caFile } : {}) },
      },
      (err, stdout) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout.trim() }),
    );
  });
}

describe("agent path check, run with sh and curl", function () {
  this.timeout(120_000);
  let dir: string;
  let mode: Mode = "jenkins";
  let controller: https.Server;
  let plain: http.Server;
  let proxy: RunningProxy;
  let plainUrl: string;
  /** Headers of the last upgrade the stand-ins saw. */
  let seen: http.IncomingHttpHeaders = {};

  const onUpgrade = (req: http.IncomingMessage, socket: net.Socket) => {
    seen = req.headers;
    socket.end(answer(mode, req));
  };

  before(async function () {
    const nginx = requireNginx(this);
    const ca = temporaryCa();
    dir = ca.dir;
    const tls = serverCertificate(dir, ca.caFile, PRIVATE_NAME);
    controller = https.createServer({ key: tls.key, cert: tls.cert }, (_req, res) =>
      res.writeHead(404).end(),
    );
    controller.on("upgrade", onUpgrade);
    await new Promise<void>((resolve) => controller.listen(0, "127.0.0.1", resolve));
    plain = http.createServer((_req, res) => res.writeHead(404).end());
    plain.on("upgrade", onUpgrade);
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    plainUrl = `http://127.0.0.1:${(plain.address() as net.AddressInfo).port}/`;

    proxy = await startRenderedProxy({
      nginx,
      dir,
      caFile: ca.caFile,
      serverName: PRIVATE_NAME,
      upstreamPort: (controller.address() as net.AddressInfo).port,
    });
  });

  after(async () => {
    await proxy?.stop();
    controller?.close();
    plain?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("passes on Jenkins' refusal of an unknown agent, through the proxy and TLS to the controller", async () => {
    mode = "jenkins";
    const { code, out } = await run(`${proxy.url}/`);
    assert.match(
      out,
      new RegExp(
        `^AGENT-PATH-CHECK PASS GET ${proxy.url}/wsagents/ for unknown agent agent-path-check-\\d+-\\d+: Jenkins refused it \\(400 no such agent\\)$`,
      ),
    );
    assert.strictEqual(code, 0);
    // It asked as an agent does: an upgrade with the agent headers, which the proxy passed on.
    assert.strictEqual(seen.upgrade, "websocket");
    assert.match(String(seen["node-name"]), /^agent-path-check-\d+-\d+$/);
    assert.strictEqual(seen["secret-key"], "0".repeat(64));
    assert.ok(seen["x-remoting-capability"]);
  });

  it("fails with the proxy's own error when the controller is gone", async () => {
    const port = (controller.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => controller.close(() => resolve()));
    try {
      const { code, out } = await run(`${proxy.url}/`);
      assert.strictEqual(
        out,
        `AGENT-PATH-CHECK FAIL GET ${proxy.url}/wsagents/: 502: the proxy or the load balancer has no healthy controller behind it`,
      );
      assert.strictEqual(code, 1);
    } finally {
      await new Promise<void>((resolve) => controller.listen(port, "127.0.0.1", resolve));
    }
  });

  it("fails on a 400 that is not Jenkins' refusal, and on an upgrade some node accepted", async () => {
    mode = "bare-400";
    const bare = await run(plainUrl);
    assert.strictEqual(
      bare.out,
      `AGENT-PATH-CHECK FAIL GET ${plainUrl}wsagents/: 400 without Jenkins' message: not the controller's refusal`,
    );
    assert.strictEqual(bare.code, 1);
    mode = "accept";
    const accepted = await run(plainUrl);
    assert.match(
      accepted.out,
      /^AGENT-PATH-CHECK FAIL GET .*wsagents\/: the upgrade was accepted: a node named agent-path-check-\d+-\d+ exists$/,
    );
    assert.strictEqual(accepted.code, 1);
    mode = "jenkins";
  });

  it("passes directly against the controller over plain HTTP, as tcp stacks reach it through the endpoint", async () => {
    mode = "jenkins";
    const { code, out } = await run(plainUrl);
    assert.match(out, /^AGENT-PATH-CHECK PASS /);
    assert.strictEqual(code, 0);
  });

  it("fails when the proxy refuses the path, and when nothing answers", async () => {
    const refused = await run(`${proxy.url}/other/`);
    assert.strictEqual(
      refused.out,
      `AGENT-PATH-CHECK FAIL GET ${proxy.url}/other/wsagents/: 403: refused before Jenkins (the proxy's path filter?)`,
    );
    const closed = await freePort();
    const nothing = await run(`http://127.0.0.1:${closed}/`);
    assert.strictEqual(
      nothing.out,
      `AGENT-PATH-CHECK FAIL GET http://127.0.0.1:${closed}/wsagents/: no HTTP answer (curl exit 7): the proxy, the endpoint or the private name is unreachable`,
    );
    assert.strictEqual(nothing.code, 1);
  });
});
