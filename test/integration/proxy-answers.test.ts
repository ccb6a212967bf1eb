/**
 * The agent proxy's config as deployed (only listen address, paths and the endpoint's addresses
 * moved to loopback), with a real nginx, against stand-in endpoints that answer like Jenkins 2.555:
 * - what Jenkins sends on the agent path (101, 400, 403) reaches agents whole, and so does an
 *   answer whose head just fits the agent path's buffer; a larger one is a 502 (the bound);
 * - `/login` answers with large headers are passed whole;
 * - the endpoint's addresses change while agents are connected: the program renders the new ones
 *   and the proxy reloads; agents already connected stay on the old address, new ones reach the
 *   new address, and TLS is still verified against the private name there.
 * What this does not prove: Jenkins itself (the answers are rebuilt from its sources; see
 * AGENT_ANSWER_BUFFER), or how Kubernetes rolls the pods when the ConfigMap changes.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as https from "https";
import { AddressInfo, Socket } from "net";
import * as path from "path";
import { WebSocket, WebSocketServer } from "ws";
import { AGENT_ANSWER_BUFFER, deployedNginxInputs, renderNginxConf } from "../../components/proxy/nginx-conf";
import { freePort, requireNginx, RunningProxy, serverCertificate, temporaryCa } from "../harness/nginx";
import { jenkinsAnswerHead, jenkinsAnswerHeaders, padHead } from "../harness/jenkins-answers";
import { REMOTING_CAPABILITY } from "../harness/stand-in-controller";

const PRIVATE_NAME = "jenkins.dev.ci.internal";
const AGENT_BUFFER_BYTES = Number(AGENT_ANSWER_BUFFER);
/**
 * The largest 101 head that passes: one byte less than the buffer. On nginx 1.22, a 101 whose head
 * fills the buffer exactly stalls the upgrade; one byte more is a 502.
 */
const FITS = AGENT_BUFFER_BYTES - 1;

/** What an endpoint answers on `/wsagents/`, chosen by the agent's `Node-Name`. */
type Answer = { status: 101; headers: string[] } | { head: string };

/**
 * A stand-in endpoint on one address: TLS with a certificate for `name`, WebSocket echo on
 * `/wsagents/` (with the answer `answers` gives for the agent), `/login` with `loginHeaders`.
 */
class Endpoint {
  readonly sockets = new Set<Socket>();
  logins = 0;
  private readonly wss = new WebSocketServer({ noServer: true });
  private server?: https.Server;

  constructor(
    readonly host: string,
    private readonly tls: { key: string; cert: string },
    private readonly answers: (node: string) => Answer = () => ({ status: 101, headers: [] }),
    private readonly loginHeaders: Record<string, string> = {},
  ) {
    this.wss.on("headers", (headers, req) => {
      const answer = this.answers(String(req.headers["node-name"]));
      if ("status" in answer) headers.push(...answer.headers);
    });
    this.wss.on("connection", (ws) => ws.on("message", (data, binary) => ws.send(data, { binary })));
  }

  /** WebSocket agents connected here now. */
  get agents(): number {
    return this.wss.clients.size;
  }

  async start(port: number): Promise<void> {
    const server = https.createServer(this.tls, (req, res) => {
      if (req.url === "/login") {
        this.logins++;
        res.writeHead(200, { "Content-Type": "text/html;charset=utf-8", ...this.loginHeaders });
        res.end("<html><body>Sign in to Jenkins</body></html>");
      } else {
        res.writeHead(404).end();
      }
    });
    server.on("secureConnection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    server.on("upgrade", (req, socket: Socket, head) => {
      const answer = this.answers(String(req.headers["node-name"]));
      if ("head" in answer) {
        socket.end(answer.head);
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit("connection", ws, req));
    });
    await new Promise<void>((resolve) => server.listen(port, this.host, resolve));
    this.server = server;
  }

  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }
}

interface Agent {
  readonly ws: WebSocket;
  readonly headers: Record<string, string | string[] | undefined>;
}

function connect(proxy: RunningProxy, name: string): Promise<Agent> {
  return new Promise((resolve, reject) => {
    let headers: Agent["headers"] = {};
    const ws = new WebSocket(`ws://127.0.0.1:${proxy.port}/wsagents/`, {
      headers: { "Node-Name": name, "Secret-Key": "s", "X-Remoting-Capability": REMOTING_CAPABILITY },
      perMessageDeflate: false,
    });
    ws.on("upgrade", (response) => (headers = response.headers));
    ws.once("open", () => resolve({ ws, headers }));
    ws.once("unexpected-response", (_req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        reject(
          Object.assign(new Error(`HTTP ${res.statusCode}`), {
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        ),
      );
    });
    ws.once("error", reject);
  });
}

function roundTrip(ws: WebSocket, text: string): Promise<string> {
  return new Promise((resolve) => {
    ws.once("message", (data: Buffer) => resolve(data.toString()));
    ws.send(Buffer.from(text), { binary: true });
  });
}

/** The stack's config as deployed, with only listen, paths and the endpoint's addresses moved. */
function deployedConfig(
  dir: string,
  caFile: string,
  listen: number,
  endpointPort: number,
  addresses: string[],
) {
  return renderNginxConf({
    ...deployedNginxInputs({
      stack: "dev",
      privateName: PRIVATE_NAME,
      timeoutMinutes: 10,
      endpointAddresses: addresses,
      cpuMillicores: 1000,
    }),
    listen: `127.0.0.1:${listen}`,
    upstream: `https://${PRIVATE_NAME}:${endpointPort}`,
    caFile,
    prefix: dir,
  });
}

describe("agent proxy answers and endpoint changes, with a real nginx", function () {
  this.timeout(120_000);
  let nginx: string;
  let dir: string;
  let caFile: string;
  let tls: { key: string; cert: string };
  const running: { stop(): Promise<void> }[] = [];

  before(function () {
    nginx = requireNginx(this);
    ({ dir, caFile } = temporaryCa());
    tls = serverCertificate(dir, caFile, PRIVATE_NAME);
  });

  afterEach(async () => {
    for (const r of running.splice(0).reverse()) await r.stop();
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function proxyTo(
    endpointPort: number,
    addresses: string[],
  ): Promise<{ proxy: RunningProxy; file: string }> {
    const port = await freePort();
    const file = path.join(dir, "nginx.conf");
    fs.writeFileSync(file, deployedConfig(dir, caFile, port, endpointPort, addresses));
    const proxy = new RunningProxy(nginx, dir, file, port);
    await proxy.start();
    running.push(proxy);
    return { proxy, file };
  }

  it("passes Jenkins' answers on the agent path whole, and an answer whose head just fits the buffer", async () => {
    const heads = {
      "jenkins-101": jenkinsAnswerHead(101),
      "jenkins-400": jenkinsAnswerHead(400),
      "jenkins-403": jenkinsAnswerHead(403),
    };
    for (const head of Object.values(heads)) {
      assert.ok(Buffer.byteLength(head) * 1.15 < AGENT_BUFFER_BYTES, `${head.split("\r\n")[0]}: no margin`);
    }
    const endpoint = new Endpoint("127.0.0.1", tls, (node) => {
      if (node === "jenkins-101") return { status: 101, headers: jenkinsAnswerHeaders(101) };
      if (node === "fits") return { status: 101, headers: padHead(FITS) };
      if (node === "too-big") return { status: 101, headers: padHead(AGENT_BUFFER_BYTES + 1) };
      if (node in heads) return { head: heads[node as keyof typeof heads] };
      return { status: 101, headers: [] };
    });
    await endpoint.start(0);
    running.push(endpoint);
    const { proxy } = await proxyTo(endpoint.port, ["127.0.0.1"]);

    const upgraded = await connect(proxy, "jenkins-101");
    // nginx sends its own Date, as for every answer.
    for (const line of jenkinsAnswerHeaders(101).filter((l) => !l.startsWith("Date:"))) {
      const [name, value] = [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)];
      assert.strictEqual(String(upgraded.headers[name.toLowerCase()]), value, name);
    }
    assert.strictEqual(await roundTrip(upgraded.ws, "frame"), "frame");
    upgraded.ws.close();

    const fits = await connect(proxy, "fits");
    assert.strictEqual(
      String(fits.headers["x-filler"]).length,
      padHead(FITS)[0].length - "X-Filler: ".length,
    );
    assert.strictEqual(await roundTrip(fits.ws, "fits"), "fits");
    fits.ws.close();
    await assert.rejects(connect(proxy, "too-big"), { status: 502 });

    await assert.rejects(
      connect(proxy, "jenkins-403"),
      (err: { status: number; headers: Record<string, string> }) => {
        assert.strictEqual(err.status, 403);
        assert.match(err.headers["content-security-policy-report-only"], /report-uri https:\/\//);
        return true;
      },
    );
    await assert.rejects(
      connect(proxy, "jenkins-400"),
      (err: { status: number; headers: Record<string, string> }) => {
        assert.strictEqual(err.status, 400);
        assert.strictEqual(err.headers["x-instance-identity"].length, 392);
        assert.strictEqual(err.headers["x-jenkins"], "2.555.1");
        return true;
      },
    );
  });

  it("passes /login answers with large headers whole", async () => {
    const large = Object.fromEntries(
      Array.from({ length: 6 }, (_, i) => [`X-Large-${i}`, `${i}`.repeat(1000)]),
    );
    const endpoint = new Endpoint("127.0.0.1", tls, undefined, large);
    await endpoint.start(0);
    running.push(endpoint);
    const { proxy } = await proxyTo(endpoint.port, ["127.0.0.1"]);
    const response = await fetch(`${proxy.url}/login`);
    assert.strictEqual(response.status, 200);
    for (const [name, value] of Object.entries(large))
      assert.strictEqual(response.headers.get(name), value, name);
    assert.match(await response.text(), /Sign in to Jenkins/);
  });

  it("follows a change of the endpoint's addresses: established agents stay, new ones reach the new address", async () => {
    const port = await freePort();
    const before = new Endpoint("127.0.0.1", tls);
    const after = new Endpoint("127.0.0.2", tls);
    await before.start(port);
    await after.start(port);
    running.push(before, after);
    const { proxy, file } = await proxyTo(port, ["127.0.0.1"]);

    const established = await Promise.all(Array.from({ length: 20 }, (_, i) => connect(proxy, `agent-${i}`)));
    assert.deepStrictEqual([before.agents, after.agents], [20, 0]);

    // What a change of the endpoint's network interfaces does: a new config, a rolled proxy. A
    // reload is the same for established agents (the old workers keep them until they close).
    fs.writeFileSync(file, deployedConfig(dir, caFile, proxy.port, port, ["127.0.0.2"]));
    proxy.reload();
    await new Promise((r) => setTimeout(r, 1000));

    const echoes = await Promise.all(established.map((a, i) => roundTrip(a.ws, `still ${i}`)));
    echoes.forEach((echo, i) => assert.strictEqual(echo, `still ${i}`));
    const joined = await Promise.all(Array.from({ length: 20 }, (_, i) => connect(proxy, `agent-${20 + i}`)));
    assert.deepStrictEqual([before.agents, after.agents], [20, 20]);
    assert.strictEqual((await fetch(`${proxy.url}/login`)).status, 200);
    assert.deepStrictEqual([before.logins, after.logins], [0, 1]);
    [...established, ...joined].forEach((a) => a.ws.close());
  });

  it("still verifies the private name at a new address", async () => {
    const port = await freePort();
    const impostor = new Endpoint("127.0.0.3", serverCertificate(dir, caFile, "other.internal"));
    await impostor.start(port);
    running.push(impostor);
    const { proxy } = await proxyTo(port, ["127.0.0.3"]);
    await assert.rejects(connect(proxy, "agent-0"), { status: 502 });
    assert.strictEqual((await fetch(`${proxy.url}/login`)).status, 502);
    assert.strictEqual(impostor.logins, 0);
  });
});
