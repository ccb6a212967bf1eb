/**
 * The rendered proxy config, checked by a real nginx (`nginx -t`), as `npm run render:nginx`
 * prints it. What this does not prove: how nginx behaves with agents; the proxy's integration
 * tests run it with traffic.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { deliveredNginxConf } from "../../offline/artifacts";
import { planStack, ROOT } from "../harness/plan";
import { requireNginx, temporaryCa } from "../harness/nginx";

function render(...args: string[]) {
  return spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "scripts/render-nginx.ts", ...args],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
}

describe("render:nginx and nginx -t", function () {
  let nginx: string;
  let dir: string;
  let caFile: string;
  before(function () {
    nginx = requireNginx(this);
    ({ dir, caFile } = temporaryCa());
  });
  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const stack of ["dev", "prod"]) {
    it(`prints exactly what the ${stack} proxy mounts, which nginx accepts`, async () => {
      const printed = render("--stack", stack);
      assert.strictEqual(printed.status, 0, printed.stderr);
      const view = await planStack(stack);
      assert.strictEqual(printed.stdout, deliveredNginxConf(view.plan));

      // The same config, with only the paths moved to a writable temporary prefix.
      const local = render(
        "--stack",
        stack,
        "--ca-file",
        caFile,
        "--prefix",
        dir,
        "--listen",
        "127.0.0.1:18080",
      );
      assert.strictEqual(local.status, 0, local.stderr);
      const file = path.join(dir, `${stack}.conf`);
      fs.writeFileSync(file, local.stdout);
      const test = spawnSync(nginx, ["-t", "-c", file, "-p", dir, "-e", path.join(dir, "error.log")], {
        encoding: "utf8",
      });
      assert.strictEqual(test.status, 0, test.stderr);
      assert.match(test.stderr, /syntax is ok/);
    });
  }

  it("accepts a plain-HTTP upstream for local debugging", () => {
    const local = render(
      "--stack",
      "dev",
      "--upstream",
      "http://127.0.0.1:19000",
      "--prefix",
      dir,
      "--listen",
      "127.0.0.1:18081",
    );
    assert.strictEqual(local.status, 0, local.stderr);
    const file = path.join(dir, "plain.conf");
    fs.writeFileSync(file, local.stdout);
    const test = spawnSync(nginx, ["-t", "-c", file, "-p", dir, "-e", path.join(dir, "error.log")], {
      encoding: "utf8",
    });
    assert.strictEqual(test.status, 0, test.stderr);
  });

  it("refuses a tcp stack and malformed overrides with exit 2", () => {
    const tcp = render("--stack", "tcp");
    assert.strictEqual(tcp.status, 2);
    assert.strictEqual(
      tcp.stderr,
      '--stack: "tcp" uses transport tcp; only websocket stacks have an agent proxy\n',
    );
    const bad = render("--stack", "dev", "--upstream", "ftp://x");
    assert.strictEqual(bad.status, 2);
    assert.strictEqual(bad.stderr, '--upstream: got "ftp://x"; expected http(s)://host[:port]\n');
  });
});
