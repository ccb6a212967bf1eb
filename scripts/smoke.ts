/**
 * `npm run smoke -- --stack NAME [--dry-run] [--keep] [--image IMAGE]`
 * `npm run smoke -- --stack NAME --pipeline [--dry-run] [--timeout SECONDS]`
 *
 * The post-deploy smoke check, after `pulumi up`: reads the stack's outputs
 * (`pulumi stack output --json`), checks that kubectl's current context is the stack's agent
 * cluster, applies the smoke Job (components/smoke/job.ts) in the agent namespace, waits for it,
 * prints its log, deletes what it applied, and exits 0 when every check passed, 1 when one
 * failed. `--dry-run` takes the outputs from the offline plan instead and prints the manifests and
 * the steps; it needs neither the Pulumi CLI nor a cluster.
 *
 * `--pipeline` runs the pipeline check instead (scripts/lib/pipeline-check.ts): it starts the job the
 * controller's configuration defines through the Jenkins API, from where the UI is reachable, with
 * the admin password from Secrets Manager; it needs no kubectl.
 */
import { spawnSync } from "child_process";
import {
  SMOKE_DEADLINE_SECONDS,
  SMOKE_IMAGE,
  SMOKE_NAME,
  newRunId,
  smokeInputsFromOutputs,
  smokeYaml,
} from "../components/smoke/job";
import { fail, loadStackFromArgs } from "./lib/stack-args";
import { DEFAULT_TIMEOUT_SECONDS } from "./lib/pipeline-check";
import { parseTimeout, pipelineMain } from "./lib/smoke-pipeline";

const USAGE = `usage: npm run smoke -- --stack NAME [--dry-run] [--keep] [--image IMAGE]
       npm run smoke -- --stack NAME --pipeline [--dry-run] [--timeout SECONDS]
  --stack NAME     the deployed stack (kubectl's current context must be its agent cluster:
                   aws eks update-kubeconfig --name "$(pulumi stack output agentClusterName --stack NAME)")
  --dry-run        plan the stack offline and print the manifests and the steps; no Pulumi CLI, no cluster
  --keep           leave the Job and its objects in place after the run
  --image IMAGE    the check's image (default ${SMOKE_IMAGE})
  --pipeline       run the pipeline job the controller defines, through the Jenkins API, instead of
                   the in-cluster Job; run it where the UI is reachable (controller.ui.allowedCidrs)
  --timeout SECS   --pipeline: bound of the whole check (default ${DEFAULT_TIMEOUT_SECONDS})`;

/** A command that failed; its message is the one line printed. */
class CommandError extends Error {}

/**
 * Runs a command; returns its stdout, or throws a {@link CommandError} with its stderr (thrown, not
 * exited on, so the cleanup after `apply` still runs).
 */
function run(command: string, args: string[], input?: string): string {
  const result = spawnSync(command, args, { encoding: "utf8", input, maxBuffer: 16 * 1024 * 1024 });
  if (result.error) throw new CommandError(`${command}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new CommandError(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

async function main(): Promise<void> {
  const parsed = loadStackFromArgs(
    {
      "dry-run": { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      image: { type: "string", default: SMOKE_IMAGE },
      pipeline: { type: "boolean", default: false },
      timeout: { type: "string" },
    } as const,
    USAGE,
  );
  if (!parsed) return;
  const { loaded, args } = parsed;
  const { stack, values, config } = loaded;
  const image = String(args.image);
  // Usage mistakes stop the command before it reads any output.
  const timeout = args.pipeline ? parseTimeout(args.timeout) : undefined;
  if (typeof timeout === "string") fail([timeout]);
  if (args.pipeline && (args.keep || image !== SMOKE_IMAGE)) {
    fail(["--keep and --image apply to the in-cluster Job, not --pipeline", USAGE]);
  }
  if (!args.pipeline && args.timeout !== undefined) fail(["--timeout applies to --pipeline only", USAGE]);

  let outputs: Record<string, unknown>;
  if (args["dry-run"]) {
    const { runPlan } = await import("../offline/engine");
    outputs = (await runPlan(stack, values, config.region)).outputs;
  } else {
    outputs = JSON.parse(run("pulumi", ["stack", "output", "--json", "--stack", stack])) as Record<
      string,
      unknown
    >;
  }
  if (timeout !== undefined) {
    return pipelineMain(loaded, outputs, { dryRun: Boolean(args["dry-run"]), timeoutSeconds: timeout });
  }
  const built = smokeInputsFromOutputs(stack, outputs, image);
  if (!built.ok) fail(built.problems);
  // This run's pod alone gets the Job's extra egress, whatever labels a build copies.
  const inputs = { ...built.inputs, runId: newRunId() };
  const manifests = smokeYaml(inputs);
  const ns = ["--namespace", inputs.namespace];
  const selector = `app.kubernetes.io/name=${SMOKE_NAME}`;
  const clean = [
    "delete",
    "networkpolicy,configmap,job",
    "-l",
    selector,
    ...ns,
    "--ignore-not-found",
    "--wait",
  ];
  const steps = [
    `kubectl config view --minify -o jsonpath={.clusters[0].cluster.server}  (must be ${String(outputs.agentClusterEndpoint)})`,
    `kubectl ${clean.join(" ")}  (an earlier run)`,
    "kubectl apply -f -  (the manifests below)",
    `kubectl get job ${SMOKE_NAME} ${ns.join(" ")}  (every 2 s, until its Complete or Failed condition; at most ${SMOKE_DEADLINE_SECONDS + 60} s)`,
    `kubectl logs job/${SMOKE_NAME} ${ns.join(" ")}  (and the Job's events when it did not complete)`,
    ...(args.keep ? [] : [`kubectl ${clean.join(" ")}  (also on failure or interruption)`]),
  ];

  if (args["dry-run"]) {
    process.stdout.write(
      `smoke check of stack ${stack} (transport ${inputs.transport}), dry run: outputs from the offline plan\n\nsteps:\n${steps.map((s, i) => `  ${i + 1}. ${s}`).join("\n")}\n\n---\n${manifests}`,
    );
    return;
  }

  const server = run("kubectl", [
    "config",
    "view",
    "--minify",
    "-o",
    "jsonpath={.clusters[0].cluster.server}",
  ]).trim();
  if (server !== outputs.agentClusterEndpoint) {
    fail([
      `kubectl's current context points at ${server || "no cluster"}, not stack ${stack}'s agent cluster ${String(outputs.agentClusterEndpoint)}; run: aws eks update-kubeconfig --name ${String(outputs.agentClusterName)} --region ${config.region}`,
    ]);
  }
  run("kubectl", clean);
  // From here on, whatever happens (a failed command, Ctrl-C, a cancelled CI job), the objects go.
  const cleanUp = () => {
    if (!args.keep) spawnSync("kubectl", clean, { stdio: "ignore" });
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanUp();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  let outcome = "";
  try {
    run("kubectl", ["apply", "-f", "-"], manifests);
    const deadline = Date.now() + (SMOKE_DEADLINE_SECONDS + 60) * 1000;
    // The Job's Complete or Failed condition (a pod the quota or admission refuses never fails on
    // its own: the Job fails when its deadline passes).
    const conditions = `jsonpath={range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}`;
    while (Date.now() < deadline && !/\b(Complete|Failed)\b/.test(outcome)) {
      await new Promise((r) => setTimeout(r, 2000));
      outcome = run("kubectl", ["get", "job", SMOKE_NAME, ...ns, "-o", conditions]);
    }
    const logs = spawnSync("kubectl", ["logs", `job/${SMOKE_NAME}`, ...ns], { encoding: "utf8" });
    process.stdout.write(logs.stdout || logs.stderr);
    if (!/\bComplete\b/.test(outcome)) {
      const events = spawnSync(
        "kubectl",
        [
          "get",
          "events",
          ...ns,
          "--field-selector",
          `involvedObject.name=${SMOKE_NAME}`,
          "-o",
          "custom-columns=REASON:.reason,MESSAGE:.message",
        ],
        { encoding: "utf8" },
      );
      process.stdout.write(events.stdout);
    }
  } finally {
    cleanUp();
  }
  if (!/\bComplete\b/.test(outcome)) {
    fail(
      [
        `smoke check of stack ${stack} failed (job conditions: ${outcome.trim() || "none within the deadline"})`,
      ],
      1,
    );
  }
}

main().catch((err: Error) =>
  fail([err instanceof CommandError ? err.message : `smoke failed: ${err.stack ?? err.message}`], 1),
);
