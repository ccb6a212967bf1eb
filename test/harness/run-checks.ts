/**
 * `npm test`: the type check (`tsc --noEmit -p .`) and the mocha suite side by side, since the
 * type check needs one core for most of its run and the suite spends long stretches waiting on
 * real processes. Mocha's output streams as it comes; the type check's is held and printed after
 * it, under its own heading, so the two never interleave. Exits non-zero if either fails (mocha's
 * status first). Arguments are passed to mocha.
 *
 * Mocha, its workers and every TypeScript process the tests start run with `cached-transpiler.js`
 * (through `tsconfig.cached-transpile.json`), over a folder made for this run and removed after it,
 * so each file is transpiled once per run instead of once per process.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

interface Finished {
  code: number;
  seconds: number;
  output: string;
}

/** Runs a Node script of a package's bin; captures its output unless `inherit`. */
function run(script: string, args: string[], inherit: boolean, env = process.env): Promise<Finished> {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, "node_modules", script), ...args], {
    cwd: ROOT,
    env,
    stdio: inherit ? "inherit" : ["ignore", "pipe", "pipe"],
  });
  const chunks: Buffer[] = [];
  child.stdout?.on("data", (c: Buffer) => chunks.push(c));
  child.stderr?.on("data", (c: Buffer) => chunks.push(c));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => child.kill(signal));
  }
  return new Promise((resolve) => {
    child.on("error", (err) => chunks.push(Buffer.from(`${err.message}\n`)));
    child.on("close", (code, signal) =>
      resolve({
        code: code ?? (signal ? 128 : 1),
        seconds: (Date.now() - started) / 1000,
        output: Buffer.concat(chunks).toString("utf8"),
      }),
    );
  });
}

async function main(): Promise<number> {
  const pretty = process.stdout.isTTY ? ["--pretty"] : [];
  const typecheck = run("typescript/bin/tsc", ["--noEmit", "-p", ".", ...pretty], false);
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "transpiled-"));
  // Through a promise, so the folder goes also when spawning throws before run returns.
  const mocha = await Promise.resolve()
    .then(() =>
      run("mocha/bin/mocha.js", process.argv.slice(2), true, {
        ...process.env,
        TS_NODE_PROJECT: path.join(__dirname, "tsconfig.cached-transpile.json"),
        TS_TRANSPILE_CACHE_DIR: cache,
      }),
    )
    .finally(() => fs.rmSync(cache, { recursive: true, force: true }));
  const tsc = await typecheck;
  const status = tsc.code === 0 ? "passed" : `failed (exit status ${tsc.code})`;
  process.stdout.write(`\ntypecheck (tsc --noEmit -p .): ${status} in ${tsc.seconds.toFixed(1)} s\n`);
  if (tsc.output.trim()) process.stdout.write(tsc.output.endsWith("\n") ? tsc.output : `${tsc.output}\n`);
  process.stdout.write(
    `mocha: ${mocha.code === 0 ? "passed" : `failed (exit status ${mocha.code})`} in ${mocha.seconds.toFixed(1)} s\n`,
  );
  return mocha.code || tsc.code;
}

main().then((code) => process.exit(code));
