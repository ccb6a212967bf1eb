/**
 * Mocha's settings. The test files run in parallel workers, each taking the next file of the list
 * when it finishes one, so the files that take longest start first and no worker is left alone
 * with one of them at the end: the real-nginx proxy suite, which waits over a minute (an agent
 * idle past nginx's 60 s timeout), and the `npm run plan` suite, which starts many processes.
 * Every other `*.test.ts` under test/ follows, in path order. A test may take up to 60 s: the
 * processes a test starts share the cores with the other worker and the type check.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
/* global __dirname */
const fs = require("fs");
const path = require("path");

const FIRST = ["integration/proxy.test.ts", "cli/plan.test.ts"];
const TEST = path.join(__dirname, "test");
const files = fs
  .readdirSync(TEST, { recursive: true })
  .filter((file) => file.endsWith(".test.ts"))
  .sort();

module.exports = {
  require: ["ts-node/register/transpile-only"],
  spec: [
    ...FIRST.filter((file) => files.includes(file)),
    ...files.filter((file) => !FIRST.includes(file)),
  ].map((file) => path.join(TEST, file)),
  extension: ["ts"],
  timeout: 60000,
  reporter: "spec",
  parallel: true,
  jobs: 2,
};
