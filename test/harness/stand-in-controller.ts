/**
 * A stand-in for the Jenkins controller's side of WebSocket agents, for tests and benchmarks:
 * - `GET /login`: 200 (agents poll it before every connect);
 * - `GET /wsagents/`: 400 without `Upgrade: websocket` or without `Node-Name`, `Secret-Key` and
 *   `X-Remoting-Capability`; 403 for an unknown agent or a wrong secret; otherwise 101 with
 *   `X-Remoting-Capability` and `X-Remoting-Minimum-Version`, then binary frames are echoed;
 * - anything else: 404.
 * Served over TLS (a certificate for the controller's private name) like the gateway's NLB, or
 * over plain HTTP. It records every plain request's headers for assertions.
 */
import * as http from "http";
import * as https from "https";
import { AddressInfo, Socket } from "net";
import { WebSocket, WebSocketServer } from "ws";

export interface StandInOptions {
  /** Agent names and their secrets. */
  readonly agents: Readonly<Record<string, string>>;
  /** TLS key and certificate (PEM); plain HTTP without. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Port to listen on (0: any free port). */
  readonly port?: number;
  /** Keep every plain request's headers in {@link StandInController.requests} (default true). */
  readonly recordRequests?: boolean;
}

/** Remoting capabilities the stand-in announces (an opaque value agents echo back). */
export const REMOTING_CAPABILITY = "rO0ABXNyABpodWRzb24ucmVtb3RpbmcuQ2FwYWJpbGl0eQ==";
export const REMOTING_MINIMUM_VERSION = "3107.v665000b_51092";

export class StandInController {
  /** Headers of every plain (non-upgrade) request, in order. */
  readonly requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[] = [];
  private server?: http.Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly options: StandInOptions) {
    this.wss.on("headers", (headers) => {
      headers.push(`X-Remoting-Capability: ${REMOTING_CAPABILITY}`);
      headers.push(`X-Remoting-Minimum-Version: ${REMOTING_MINIMUM_VERSION}`);
    });
    this.wss.on("connection", (ws: WebSocket) => {
      ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
    });
  }

  /** Agents connected right now. */
  get connections(): number {
    return this.wss.clients.size;
  }

  /** Starts listening on 127.0.0.1; resolves with the port. */
  async start(): Promise<number> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => this.onRequest(req, res);
    const server = this.options.tls
      ? https.createServer(this.options.tls, handler)
      : http.createServer(handler);
    server.keepAliveTimeout = 65_000;
    server.on("upgrade", (req, socket, head) => this.onUpgrade(req, socket as Socket, head));
    server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    server.on("secureConnection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(this.options.port ?? this.port, "127.0.0.1", resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  /** Stops at once, dropping every connection (a controller that dies). */
  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.options.recordRequests !== false)
      this.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    if (req.method === "GET" && req.url === "/login") {
      res.writeHead(200, { "Content-Type": "text/html;charset=utf-8" });
      res.end("<html><body>Sign in to Jenkins</body></html>");
    } else if (req.url === "/wsagents/") {
      res.writeHead(400, { "Content-Type": "text/plain" });
      res.end("This endpoint is only for WebSocket connections.");
    } else {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("Not found");
    }
  }

  private onUpgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    const refuse = (status: number, text: string) => {
      socket.end(
        `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`,
      );
    };
    if (req.url !== "/wsagents/") return refuse(404, "Not Found");
    if ((req.headers.upgrade ?? "").toLowerCase() !== "websocket") return refuse(400, "Bad Request");
    const name = req.headers["node-name"];
    const secret = req.headers["secret-key"];
    if (typeof name !== "string" || typeof secret !== "string" || !req.headers["x-remoting-capability"]) {
      return refuse(400, "Bad Request");
    }
    if (this.options.agents[name] === undefined || this.options.agents[name] !== secret) {
      return refuse(403, "Forbidden");
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit("connection", ws, req));
  }
}
