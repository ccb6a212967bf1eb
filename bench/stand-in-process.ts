/**
 * The stand-in controller in a process of its own, for the benchmark: each process has its own
 * open-file limit, so the controller's sockets and the agents' sockets don't share one, and the
 * controller's event loop doesn't share a thread with the agents' (as on a real network).
 *
 * Started by bench/proxy.ts with `fork`. Arguments: the number of agents (`agent-N` with secret
 * `secret-N`), the key and certificate files. It answers IPC messages `start` and `stop` with
 * `{ port }` and `{ stopped: true }`.
 */
import * as fs from "fs";
import { StandInController } from "../test/harness/stand-in-controller";

const [count, keyFile, certFile] = process.argv.slice(2);
const agents = Object.fromEntries(
  Array.from({ length: Number(count) }, (_, i) => [`agent-${i}`, `secret-${i}`]),
);
const controller = new StandInController({
  agents,
  tls: { key: fs.readFileSync(keyFile, "utf8"), cert: fs.readFileSync(certFile, "utf8") },
  recordRequests: false,
});

process.on("message", (message: string) => {
  const reply = (value: object) => process.send?.(value);
  if (message === "start") controller.start().then((port) => reply({ port }));
  else if (message === "stop") controller.stop().then(() => reply({ stopped: true }));
});
process.on("disconnect", () => process.exit(0));
