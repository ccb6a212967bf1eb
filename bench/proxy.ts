/**
 * `npm run bench:proxy`: the agent proxy under load, measured in one run against two peers:
 * directly to the stand-in controller (the physical limit on this machine) and through a naive
 * nginx config (the one most guides show: `Connection "Upgrade"` on every request, default
 * timeouts). Writes bench/results/proxy.json and proxy.md, and the table into docs/benchmark.md.
 *
 * Round trips are measured in pairs: one through the path, one directly on a reference session
 * opened at the start, alternating which goes first. So each path's round trips are compared with
 * direct ones taken at the same moments, and drift of the machine between phases (other processes,
 * garbage collection after thousands of handshakes) falls on both sides of the ratio.
 *
 * Environment: BENCH_SESSIONS (default 10000), BENCH_RTT_SESSIONS (100), BENCH_RTT_ROUNDS (50),
 * BENCH_FRAME_BYTES (4096).
 */
import { ChildProcess, fork, spawnSync } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { WebSocket } from "ws";
import { deployedNginxInputs, renderNginxConf } from "../components/proxy/nginx-conf";
import { findNginx, freePort, RunningProxy, serverCertificate, temporaryCa } from "../test/harness/nginx";
import { REMOTING_CAPABILITY } from "../test/harness/stand-in-controller";

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
const RTT_SESSIONS = Number(process.env.BENCH_RTT_SESSIONS ?? 100);
const RTT_ROUNDS = Number(process.env.BENCH_RTT_ROUNDS ?? 50);
const CONCURRENCY = 250;
const FRAME = randomBytes(Number(process.env.BENCH_FRAME_BYTES ?? 4096)); // a remoting-sized frame
const PRIVATE_NAME = "jenkins.dev.ci.internal";
const ROOT = path.resolve(__dirname, "..");

/** Agents `agent-0` … for the sessions under test, then the direct reference sessions. */
const AGENT_COUNT = SESSIONS + RTT_SESSIONS;
const agents = Object.fromEntries(
  Array.from({ length: AGENT_COUNT }, (_, i) => [`agent-${i}`, `secret-${i}`]),
);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function open(url: string, name: string): Promise<{ ws: WebSocket; ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      headers: {
        "Node-Name": name,
        "Secret-Key": agents[name],
        "X-Remoting-Capability": REMOTING_CAPABILITY,
      },
      perMessageDeflate: false,
      rejectUnauthorized: false,
    });
    ws.once("open", () => resolve({ ws, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    ws.once("unexpected-response", (_q, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once("error", reject);
  });
}

async function inBatches<T>(
  count: number,
  work: (i: number) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = [];
  for (let start = 0; start < count; start += CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONCURRENCY, count - start) }, (_, i) => work(start + i));
    results.push(...(await Promise.allSettled(batch)));
  }
  return results;
}

function roundTrip(ws: WebSocket): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    ws.once("message", () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
    ws.send(FRAME, { binary: true });
  });
}

/** Busy and total CPU time of the machine so far, from /proc/stat (clock ticks). */
function cpuTicks(): { busy: number; total: number } {
  const fields = fs
    .readFileSync("/proc/stat", "utf8")
    .split("\n")[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = fields[3] + (fields[4] ?? 0); // idle and iowait
  return { busy: total - idle, total };
}

/**
 * Waits until the machine is quiet (under 10 % busy over half a second, at most 30 s), so that
 * round trips are not measured while the processes of an earlier phase still close thousands of
 * sockets or collect garbage: that load slows a path through more processes more.
 */
async function quiet(): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const before = cpuTicks();
    await new Promise((r) => setTimeout(r, 500));
    const after = cpuTicks();
    if ((after.busy - before.busy) / Math.max(1, after.total - before.total) < 0.1) return;
  }
}

/** Resident memory of nginx's worker processes, KiB. */
function workersRssKiB(master: number): number {
  let total = 0;
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid !== master) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
      total += rss ? Number(rss[1]) : 0;
    } catch {
      // process went away
    }
  }
  return total;
}

/** The config most guides show: Upgrade headers on every request, default timeouts. */
function naiveConf(listen: string, upstream: string, prefix: string): string {
  return `worker_processes auto;
pid ${prefix}/naive.pid;
error_log ${prefix}/naive-error.log;
worker_rlimit_nofile 65536;
events { worker_connections 32768; }
http {
    client_body_temp_path ${prefix}/nb; proxy_temp_path ${prefix}/np; fastcgi_temp_path ${prefix}/nf;
    uwsgi_temp_path ${prefix}/nu; scgi_temp_path ${prefix}/ns;
    access_log off;
    server {
        listen ${listen};
        location = /healthz { return 200; }
        location / {
            proxy_pass ${upstream};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "Upgrade";
        }
    }
}
`;
}

interface PathResult {
  path: string;
  held: number;
  failed: number;
  handshakeP50: number;
  handshakeP99: number;
  rttP50: number;
  rttP99: number;
  /** The path's round-trip p50 over the direct reference's p50, measured in alternation. */
  rttAgainstDirect: number;
  reconnectSeconds: number | null;
  nginxKiBPerSession: number | null;
}

/** Direct sessions the round trips of every path are paired with; reopened after a controller restart. */
class DirectReference {
  private sockets: WebSocket[] = [];

  constructor(private readonly url: string) {}

  async ready(): Promise<WebSocket[]> {
    if (
      this.sockets.length === RTT_SESSIONS &&
      this.sockets.every((ws) => ws.readyState === WebSocket.OPEN)
    ) {
      return this.sockets;
    }
    this.close();
    const opened = await inBatches(RTT_SESSIONS, (i) => open(this.url, `agent-${SESSIONS + i}`));
    const failed = opened.find((r) => r.status === "rejected");
    if (failed) throw new Error(`direct reference sessions: ${(failed as PromiseRejectedResult).reason}`);
    this.sockets = opened.map((r) => (r as PromiseFulfilledResult<{ ws: WebSocket }>).value.ws);
    return this.sockets;
  }

  close(): void {
    this.sockets.forEach((ws) => ws.terminate());
    this.sockets = [];
  }
}

/** RTT_ROUNDS round trips on each of the first RTT_SESSIONS sessions, each paired with a direct one. */
async function pairedRoundTrips(
  sockets: { ws: WebSocket }[],
  reference: WebSocket[],
): Promise<{ path: number[]; direct: number[] }> {
  const pathRtts: number[] = [];
  const directRtts: number[] = [];
  for (let round = 0; round < RTT_ROUNDS; round++) {
    for (const [i, s] of sockets.slice(0, RTT_SESSIONS).entries()) {
      if ((round + i) % 2 === 0) {
        pathRtts.push(await roundTrip(s.ws));
        directRtts.push(await roundTrip(reference[i]));
      } else {
        directRtts.push(await roundTrip(reference[i]));
        pathRtts.push(await roundTrip(s.ws));
      }
    }
  }
  return { path: pathRtts, direct: directRtts };
}

async function measure(
  label: string,
  url: string,
  controller: ControllerProcess,
  reference: DirectReference,
  master?: number,
  reconnect = false,
): Promise<PathResult> {
  const referenceSockets = await reference.ready();
  const before = master ? workersRssKiB(master) : 0;
  const results = await inBatches(SESSIONS, (i) => open(url, `agent-${i}`));
  const sockets = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failed = results.length - sockets.length;
  await new Promise((r) => setTimeout(r, 1000));
  const held = sockets.filter((s) => s.ws.readyState === WebSocket.OPEN).length;
  const after = master ? workersRssKiB(master) : 0;
  await quiet();
  const rtts = await pairedRoundTrips(sockets, referenceSockets);
  let reconnectSeconds: number | null = null;
  if (reconnect) {
    const closed = sockets.map(
      (s) => new Promise((r) => (s.ws.readyState === WebSocket.CLOSED ? r(null) : s.ws.once("close", r))),
    );
    await controller.stop();
    await Promise.all(closed);
    const restarted = Date.now();
    await controller.start();
    // Every agent polls <url>login until 200, then opens its WebSocket again.
    const login = url.replace(/^ws/, "http").replace(/wsagents\/$/, "login");
    const again = await inBatches(SESSIONS, async (i) => {
      for (;;) {
        const status = await fetch(login)
          .then((r) => r.status)
          .catch(() => 0);
        if (status === 200) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      return open(url, `agent-${i}`);
    });
    reconnectSeconds = (Date.now() - restarted) / 1000;
    again.forEach((r) => r.status === "fulfilled" && r.value.ws.terminate());
  }
  sockets.forEach((s) => s.ws.terminate());
  await new Promise((r) => setTimeout(r, 1000));
  const handshakes = sockets.map((s) => s.ms);
  return {
    path: label,
    held,
    failed,
    handshakeP50: percentile(handshakes, 50),
    handshakeP99: percentile(handshakes, 99),
    rttP50: percentile(rtts.path, 50),
    rttP99: percentile(rtts.path, 99),
    rttAgainstDirect: percentile(rtts.path, 50) / percentile(rtts.direct, 50),
    reconnectSeconds,
    nginxKiBPerSession: master ? (after - before) / Math.max(1, held) : null,
  };
}

/** The stand-in controller in a child process (bench/stand-in-process.ts). */
class ControllerProcess {
  private readonly child: ChildProcess;
  port = 0;

  constructor(keyFile: string, certFile: string) {
    this.child = fork(path.join(__dirname, "stand-in-process.ts"), [String(AGENT_COUNT), keyFile, certFile], {
      execArgv: ["-r", "ts-node/register/transpile-only"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
  }

  private ask(message: "start" | "stop"): Promise<{ port?: number }> {
    return new Promise((resolve, reject) => {
      this.child.once("message", resolve);
      this.child.once("exit", (code) => reject(new Error(`stand-in controller exited with ${code}`)));
      this.child.send(message);
    });
  }

  async start(): Promise<number> {
    this.port = (await this.ask("start")).port ?? 0;
    return this.port;
  }

  async stop(): Promise<void> {
    await this.ask("stop");
  }

  close(): void {
    this.child.disconnect();
  }
}

async function main(): Promise<void> {
  const nginx = findNginx();
  if (!nginx) throw new Error("nginx is required (apt-get install -y nginx-light)");
  const limit = spawnSync("bash", ["-c", "ulimit -n"], { encoding: "utf8" }).stdout.trim();
  const { dir, caFile } = temporaryCa();
  const certificate = serverCertificate(dir, caFile, PRIVATE_NAME);
  const controller = new ControllerProcess(certificate.keyFile, certificate.certFile);
  const upstreamPort = await controller.start();

  const proxyPort = await freePort();
  const proxyFile = path.join(dir, "proxy.conf");
  fs.writeFileSync(
    proxyFile,
    renderNginxConf({
      ...deployedNginxInputs({
        stack: "bench",
        privateName: PRIVATE_NAME,
        timeoutMinutes: 10,
        // The stand-in controller plays the endpoint: its address, the private name for TLS.
        endpointAddresses: ["127.0.0.1"],
        cpuMillicores: 2000,
      }),
      listen: `127.0.0.1:${proxyPort}`,
      upstream: `https://${PRIVATE_NAME}:${upstreamPort}`,
      caFile,
      prefix: dir,
      workerConnections: 32768,
    }),
  );
  const naivePort = await freePort();
  const naiveFile = path.join(dir, "naive.conf");
  fs.writeFileSync(naiveFile, naiveConf(`127.0.0.1:${naivePort}`, `https://127.0.0.1:${upstreamPort}`, dir));

  const directUrl = `wss://127.0.0.1:${upstreamPort}/wsagents/`;
  const reference = new DirectReference(directUrl);
  const results: PathResult[] = [];
  results.push(await measure("direct (physical limit)", directUrl, controller, reference));
  const proxy = new RunningProxy(nginx, dir, proxyFile, proxyPort);
  await proxy.start();
  results.push(
    await measure(
      "agent proxy (this blueprint)",
      `${proxy.url.replace(/^http/, "ws")}/wsagents/`,
      controller,
      reference,
      proxy.pid,
      true,
    ),
  );
  await proxy.stop();
  const naive = new RunningProxy(nginx, dir, naiveFile, naivePort);
  await naive.start();
  results.push(
    await measure(
      "naive guide config",
      `ws://127.0.0.1:${naivePort}/wsagents/`,
      controller,
      reference,
      naive.pid,
      true,
    ),
  );
  await naive.stop();
  reference.close();
  await controller.stop();
  controller.close();

  const ours = results[1];
  const naivePeer = results[2];
  const targets = {
    sessionsHeld: ours.held === SESSIONS && ours.failed === 0,
    memoryBelowNaive: (ours.nginxKiBPerSession ?? Infinity) < (naivePeer.nginxKiBPerSession ?? -Infinity),
    rttWithin1_3xDirect: ours.rttAgainstDirect <= 1.3,
  };
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}, ${spawnSync(nginx, ["-v"], { encoding: "utf8" }).stderr.trim()}, open files ${limit}`;
  const date = new Date().toISOString().slice(0, 10);
  const report = { date, machine, sessions: SESSIONS, frameBytes: FRAME.length, results, targets };
  const fmt = (n: number | null, digits = 2) => (n === null ? "–" : n.toFixed(digits));
  const table = [
    `Measured ${date} on ${machine}; ${SESSIONS} sessions, ${FRAME.length}-byte frames.`,
    "",
    "| path | sessions held | failed | handshake p50 / p99 (ms) | frame round trip p50 / p99 (ms) | round trip p50 against direct at the same moments | reconnect all (s) | nginx KiB per session |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...results.map(
      (r) =>
        `| ${r.path} | ${r.held} | ${r.failed} | ${fmt(r.handshakeP50)} / ${fmt(r.handshakeP99)} | ${fmt(r.rttP50, 3)} / ${fmt(r.rttP99, 3)} | ${fmt(r.rttAgainstDirect)}x | ${fmt(r.reconnectSeconds, 1)} | ${fmt(r.nginxKiBPerSession, 1)} |`,
    ),
    "",
    `Targets for one replica: ${SESSIONS} sessions held with none failed: ${targets.sessionsHeld ? "met" : "missed"}; less nginx memory per session than the naive config: ${targets.memoryBelowNaive ? "met" : "missed"}; frame round trip p50 within 1.3x of direct: ${targets.rttWithin1_3xDirect ? "met" : "missed"}.`,
  ].join("\n");
  const out = path.join(ROOT, "bench", "results");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "proxy.json"), `${JSON.stringify(report, null, 2)}\n`);
  fs.writeFileSync(path.join(out, "proxy.md"), `${table}\n`);
  const pageFile = path.join(ROOT, "docs", "benchmark.md");
  const page = fs.readFileSync(pageFile, "utf8");
  const begin = "<!-- bench:proxy:begin (written by npm run bench:proxy) -->";
  const end = "<!-- bench:proxy:end -->";
  if (page.includes(begin) && page.includes(end)) {
    fs.writeFileSync(
      pageFile,
      `${page.slice(0, page.indexOf(begin) + begin.length)}\n${table}\n${page.slice(page.indexOf(end))}`,
    );
  } else {
    process.stderr.write(`docs/benchmark.md has no ${begin} ... ${end} section; table not written there\n`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`${table}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:proxy failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
