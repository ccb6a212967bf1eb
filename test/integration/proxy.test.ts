/**
 * The agent proxy as WebSocket agents use it: the stack's rendered config (`render:nginx`), a real
 * nginx on loopback from a temporary prefix, a stand-in controller speaking the `/wsagents/`
 * handshake over TLS with a certificate for the controller's private name, and stand-in agents.
 * What this does not prove: behaviour across the real NLB and endpoint (their idle timers are set
 * in the gateway), or Jenkins' own remoting protocol inside the frames.
 */
import * as assert from "assert";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as net from "net";
import { WebSocket } from "ws";
import {
  requireNginx,
  RunningProxy,
  serverCertificate,
  startRenderedProxy,
  temporaryCa,
} from "../harness/nginx";
import {
  REMOTING_CAPABILITY,
  REMOTING_MINIMUM_VERSION,
  StandInController,
} from "../harness/stand-in-controller";

const PRIVATE_NAME = "jenkins.dev.ci.internal";
const AGENTS = Object.fromEntries(
  Array.from({ length: 400 }, (_, i) => [`agent-${i}`, randomBytes(32).toString("hex")]),
);

interface Agent {
  readonly ws: WebSocket;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** Connects a stand-in agent the way remoting does; rejects with the HTTP status on refusal. */
function connect(
  proxy: RunningProxy,
  name: string,
  secret = AGENTS[name],
  extra: Record<string, string> = {},
): Promise<Agent> {
  return new Promise((resolve, reject) => {
    let headers: Agent["headers"] = {};
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/wsagents/`, {
      headers: {
        "Node-Name": name,
        "Secret-Key": secret,
        "X-Remoting-Capability": REMOTING_CAPABILITY,
        ...extra,
      },
      maxPayload: 64 * 1024 * 1024,
      perMessageDeflate: false,
    });
    ws.on("upgrade", (response) => (headers = response.headers));
    ws.once("open", () => resolve({ ws, headers }));
    ws.once("unexpected-response", (_req, res) =>
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
    );
    ws.once("error", reject);
  });
}

/** Sends a binary frame and resolves with the echo. */
function roundTrip(ws: WebSocket, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    ws.once("message", (data: Buffer) => resolve(Buffer.from(data)));
    ws.send(payload, { binary: true }, (err) => err && reject(err));
  });
}

/** A raw HTTP exchange on one socket: the head of what nginx answers to a hand-written request. */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    let data = "";
    const done = () => {
      socket.destroy();
      resolve(data);
    };
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      if (data.includes("\r\n\r\n")) setTimeout(done, 20);
    });
    socket.on("end", done);
    socket.on("error", (err) => (data ? done() : reject(err)));
    socket.setTimeout(10_000, () => reject(new Error(`no answer to ${request.split("\r\n")[0]}`)));
  });
}

const statusOf = (response: string) => Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1]);

describe("agent proxy with a real nginx", function () {
  this.timeout(120_000);
  let dir: string;
  let controller: StandInController;
  let proxy: RunningProxy;
  let idle: Agent;
  let idleSince = 0;

  before(async function () {
    const nginx = requireNginx(this);
    const ca = temporaryCa();
    dir = ca.dir;
    controller = new StandInController({
      agents: AGENTS,
      tls: serverCertificate(dir, ca.caFile, PRIVATE_NAME),
    });
    const upstreamPort = await controller.start();
    proxy = await startRenderedProxy({
      nginx,
      dir,
      caFile: ca.caFile,
      serverName: PRIVATE_NAME,
      upstreamPort: upstreamPort,
    });
    // An agent that stays silent through the whole suite: nginx's default 60 s read timeout
    // would have cut it.
    idle = await connect(proxy, "agent-399");
    idleSince = Date.now();
  });

  after(async () => {
    await proxy?.stop();
    await controller?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("connects hundreds of agents at once, with the controller's headers reaching each", async () => {
    const agents = await Promise.all(Array.from({ length: 300 }, (_, i) => connect(proxy, `agent-${i}`)));
    assert.strictEqual(controller.connections, 301);
    for (const agent of agents) {
      assert.strictEqual(agent.headers["x-remoting-capability"], REMOTING_CAPABILITY);
      assert.strictEqual(agent.headers["x-remoting-minimum-version"], REMOTING_MINIMUM_VERSION);
    }
    const echoes = await Promise.all(agents.map((a, i) => roundTrip(a.ws, Buffer.from(`frame ${i}`))));
    echoes.forEach((echo, i) => assert.strictEqual(echo.toString(), `frame ${i}`));
    agents.forEach((a) => a.ws.close());
  });

  it("carries binary frames of every size up to 4 MiB intact, both ways", async () => {
    const agent = await connect(proxy, "agent-300");
    for (const size of [0, 1, 125, 126, 127, 65535, 65536, 100_000, 1024 * 1024, 4 * 1024 * 1024]) {
      const payload = randomBytes(size);
      assert.ok((await roundTrip(agent.ws, payload)).equals(payload), `frame of ${size} bytes`);
    }
    agent.ws.close();
  });

  it("passes /login through, without closing the upstream connection", async () => {
    const before = controller.requests.length;
    const response = await fetch(`${proxy.url}/login`);
    assert.strictEqual(response.status, 200);
    assert.match(await response.text(), /Sign in to Jenkins/);
    const seen = controller.requests.slice(before);
    assert.deepStrictEqual(
      seen.map((r) => [r.method, r.url]),
      [["GET", "/login"]],
    );
    assert.notStrictEqual(String(seen[0].headers.connection ?? "").toLowerCase(), "close");
    assert.strictEqual(seen[0].headers.upgrade, undefined);
  });

  it("refuses every other path and every variant of the two agent paths", async () => {
    const before = controller.requests.length;
    for (const target of [
      "/",
      "/script",
      "/manage",
      "/cli",
      "/login?from=%2Fscript",
      "/wsagents/..;/script",
      "/wsagents/?x=1",
      "/wsagents//",
      "/%77sagents/",
      "/wsagents",
      "/loginx",
    ]) {
      const response = await raw(
        proxy.port,
        `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      assert.strictEqual(statusOf(response), 403, target);
    }
    assert.strictEqual(controller.requests.length, before, "a refused request reached the controller");
  });

  it("returns the controller's 403 for a wrong secret or an unknown agent, and 400 without Upgrade", async () => {
    await assert.rejects(connect(proxy, "agent-1", "wrong"), { status: 403 });
    await assert.rejects(connect(proxy, "nobody", "x"), { status: 403 });
    const plain = await raw(
      proxy.port,
      `GET /wsagents/ HTTP/1.1\r\nHost: x\r\nNode-Name: agent-1\r\nSecret-Key: ${AGENTS["agent-1"]}\r\nX-Remoting-Capability: x\r\nConnection: close\r\n\r\n`,
    );
    assert.strictEqual(statusOf(plain), 400);
    const headerless = await raw(
      proxy.port,
      "GET /wsagents/ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    );
    assert.strictEqual(statusOf(headerless), 400);
  });

  it("answers oversized and malformed requests with a 4xx and keeps serving", async () => {
    const huge = await raw(
      proxy.port,
      `GET /login HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    );
    assert.ok(statusOf(huge) >= 400 && statusOf(huge) < 500, huge.slice(0, 40));
    const garbage = await raw(proxy.port, "GARBAGE\r\n\r\n");
    assert.ok(statusOf(garbage) >= 400 && statusOf(garbage) < 500, garbage.slice(0, 40));
    const body = await raw(
      proxy.port,
      `POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n${"b".repeat(100_000)}`,
    );
    assert.strictEqual(statusOf(body), 413);
    assert.strictEqual((await fetch(`${proxy.url}/healthz`)).status, 200);
  });

  it("keeps an agent that stayed silent for longer than nginx's default 60 s timeout", async () => {
    const waited = Date.now() - idleSince;
    if (waited < 65_000) await new Promise((r) => setTimeout(r, 65_000 - waited));
    assert.strictEqual(idle.ws.readyState, WebSocket.OPEN);
    assert.strictEqual((await roundTrip(idle.ws, Buffer.from("still here"))).toString(), "still here");
    idle.ws.close();
  });

  it("keeps established agents connected through nginx -s reload", async () => {
    const agent = await connect(proxy, "agent-301");
    proxy.reload();
    await new Promise((r) => setTimeout(r, 500));
    assert.strictEqual((await roundTrip(agent.ws, Buffer.from("after reload"))).toString(), "after reload");
    assert.strictEqual((await fetch(`${proxy.url}/login`)).status, 200);
    agent.ws.close();
  });

  it("answers 502/504 within seconds while the controller is down, and agents reconnect when it is back", async () => {
    const agent = await connect(proxy, "agent-302");
    const closed = new Promise((resolve) => agent.ws.once("close", resolve));
    const port = controller.port;
    await controller.stop();
    await closed;
    const started = Date.now();
    const response = await fetch(`${proxy.url}/login`);
    assert.ok([502, 504].includes(response.status), String(response.status));
    assert.ok(Date.now() - started < 5_000, "the proxy took too long to answer");
    await assert.rejects(connect(proxy, "agent-302"), (err: { status?: number }) =>
      [502, 504].includes(err.status ?? 0),
    );

    await controller.start();
    assert.strictEqual(controller.port, port);
    // What a remoting agent does: poll <url>login until 200, then open the WebSocket again.
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await fetch(`${proxy.url}/login`)).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.strictEqual(status, 200);
    const again = await connect(proxy, "agent-302");
    assert.strictEqual((await roundTrip(again.ws, Buffer.from("back"))).toString(), "back");
    again.ws.close();
  });

  it("never writes an agent's secret to nginx's logs", () => {
    const { access, error } = proxy.logs();
    assert.ok(access.includes("/wsagents/"), "the access log recorded no agent");
    for (const secret of Object.values(AGENTS)) {
      assert.ok(!access.includes(secret) && !error.includes(secret), "a Secret-Key value reached the logs");
    }
  });
});
