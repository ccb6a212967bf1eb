/**
 * Real nginx for tests. Locally, tests that need it skip with a message when it is missing; with
 * `CI=true` a missing nginx fails them (`.ci/run` installs Debian's nginx-light).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The nginx binary, or undefined when none is installed. */
export function findNginx(): string | undefined {
  for (const candidate of [process.env.NGINX_BIN, "/usr/sbin/nginx", "nginx"].filter(Boolean) as string[]) {
    if (spawnSync(candidate, ["-v"]).status === 0) return candidate;
  }
  return undefined;
}

/** Skips the current suite when nginx is missing, unless running in CI, where that is an error. */
export function requireNginx(ctx: Mocha.Context): string {
  const nginx = findNginx();
  if (nginx) return nginx;
  if (process.env.CI === "true") {
    throw new Error("nginx is required when CI=true (apt-get install -y nginx-light)");
  }
  console.log("      (skipped: nginx is not installed; apt-get install -y nginx-light to run these tests)");
  ctx.skip();
  throw new Error("unreachable");
}

/** openssl arguments for a new P-256 key without a passphrase. */
const NEW_EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

function openssl(args: string[]): void {
  const result = spawnSync("openssl", args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
}

/** A throwaway CA certificate (PEM) made with openssl, in a new temporary directory. */
export function temporaryCa(): { dir: string; caFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "proxy-test-"));
  // nginx started as root runs its workers as nobody, which must reach the temporary files here.
  fs.chmodSync(dir, 0o755);
  const caFile = path.join(dir, "ca.pem");
  openssl([
    "req",
    "-x509",
    ...NEW_EC_KEY,
    "-keyout",
    path.join(dir, "ca.key"),
    "-out",
    caFile,
    "-days",
    "1",
    "-subj",
    "/CN=test agent gateway CA",
  ]);
  return { dir, caFile };
}

/** A CA and a server certificate for `name`, issued by it (openssl), in `dir`. */
export function serverCertificate(
  dir: string,
  caFile: string,
  name: string,
): { key: string; cert: string; keyFile: string; certFile: string } {
  const key = path.join(dir, "server.key");
  const csr = path.join(dir, "server.csr");
  const cert = path.join(dir, "server.pem");
  const ext = path.join(dir, "server.ext");
  fs.writeFileSync(ext, `subjectAltName=DNS:${name}\nextendedKeyUsage=serverAuth\n`);
  openssl(["req", "-new", ...NEW_EC_KEY, "-keyout", key, "-out", csr, "-subj", `/CN=${name}`]);
  openssl([
    "x509",
    "-req",
    "-in",
    csr,
    "-CA",
    caFile,
    "-CAkey",
    path.join(dir, "ca.key"),
    "-CAcreateserial",
    "-out",
    cert,
    "-days",
    "1",
    "-extfile",
    ext,
  ]);
  return {
    key: fs.readFileSync(key, "utf8"),
    cert: fs.readFileSync(cert, "utf8"),
    keyFile: key,
    certFile: cert,
  };
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const net = await import("net");
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** A running nginx with a rendered config, from a temporary prefix. */
export class RunningProxy {
  private process?: import("child_process").ChildProcess;

  constructor(
    private readonly nginx: string,
    readonly prefix: string,
    readonly configFile: string,
    readonly port: number,
  ) {}

  /** The master process's pid. */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const { spawn } = await import("child_process");
    this.process = spawn(
      this.nginx,
      [
        "-p",
        this.prefix,
        "-c",
        this.configFile,
        "-e",
        path.join(this.prefix, "error.log"),
        "-g",
        "daemon off;",
      ],
      {
        stdio: "ignore",
      },
    );
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`${this.url}/healthz`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`nginx did not start: ${this.logs().error}`);
  }

  /** `nginx -s reload`: new workers take the config, old ones keep established connections. */
  reload(): void {
    const result = spawnSync(
      this.nginx,
      ["-p", this.prefix, "-c", this.configFile, "-e", path.join(this.prefix, "error.log"), "-s", "reload"],
      {
        encoding: "utf8",
      },
    );
    if (result.status !== 0) throw new Error(`reload failed: ${result.stderr}`);
  }

  async stop(): Promise<void> {
    if (!this.process || this.process.exitCode !== null) return;
    const exited = new Promise((resolve) => this.process!.once("exit", resolve));
    this.process.kill("SIGTERM");
    await exited;
  }

  /** The access and error logs so far. */
  logs(): { access: string; error: string } {
    const read = (file: string) =>
      fs.existsSync(path.join(this.prefix, file))
        ? fs.readFileSync(path.join(this.prefix, file), "utf8")
        : "";
    return { access: read("access.log"), error: read("error.log") };
  }
}

/**
 * Renders a stack's proxy config with `npm run render:nginx` (listening on a free local port, the
 * upstream at 127.0.0.1:`upstreamPort` over TLS verified with `caFile` for `serverName`), writes it
 * into `dir` and starts a real nginx with it.
 */
export async function startRenderedProxy(p: {
  readonly nginx: string;
  readonly dir: string;
  readonly caFile: string;
  readonly serverName: string;
  readonly upstreamPort: number;
  readonly stack?: string;
}): Promise<RunningProxy> {
  const port = await freePort();
  const rendered = spawnSync(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      "scripts/render-nginx.ts",
      "--stack",
      p.stack ?? "dev",
      "--listen",
      `127.0.0.1:${port}`,
      "--upstream",
      `https://127.0.0.1:${p.upstreamPort}`,
      "--server-name",
      p.serverName,
      "--ca-file",
      p.caFile,
      "--resolver",
      "127.0.0.1",
      "--prefix",
      p.dir,
    ],
    { cwd: path.resolve(__dirname, "../.."), encoding: "utf8" },
  );
  if (rendered.status !== 0) throw new Error(`render:nginx failed: ${rendered.stderr}`);
  const configFile = path.join(p.dir, "nginx.conf");
  fs.writeFileSync(configFile, rendered.stdout);
  const proxy = new RunningProxy(p.nginx, p.dir, configFile, port);
  await proxy.start();
  return proxy;
}
