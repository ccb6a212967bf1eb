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

/** A throwaway CA certificate (PEM) made with openssl, in a new temporary directory. */
export function temporaryCa(): { dir: string; caFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "proxy-test-"));
  const caFile = path.join(dir, "ca.pem");
  const result = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      path.join(dir, "ca.key"),
      "-out",
      caFile,
      "-days",
      "1",
      "-subj",
      "/CN=test agent gateway CA",
    ],
    { encoding: "utf8" },
  );
  if (result.status !== 0) {
    throw new Error(`openssl failed: ${result.stderr}`);
  }
  return { dir, caFile };
}
