/**
 * Runs the Pulumi program (`index.ts`) in-process under Pulumi's mock engine and records every
 * resource it declares: type, name, parent, provider and inputs as registered. Used by
 * `npm run plan` and by the tests, so both see the same thing.
 *
 * What a mock run proves: the program's logic, the exact inputs it would send, and that every
 * resource is declared. What it does not prove: that AWS accepts those inputs or the layout.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  specialResourceSig,
  specialSecretSig,
  specialSigKey,
  unknownValue,
} from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { PROJECT } from "../config";
import { PlanMocks } from "./mocks";
import { SECRET_PLACEHOLDER, StackValues } from "./stack-file";

/** One declared resource. */
export interface PlannedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** False for component resources. */
  readonly custom: boolean;
  /** URN of the explicit provider, if any. */
  readonly provider?: string;
  /** URN of the parent, if any. */
  readonly parent?: string;
  /** Whether Pulumi refuses to delete the resource (the `protect` option). */
  readonly protect: boolean;
  /** URN of the resource whose deletion deletes this one (the `deletedWith` option), if any. */
  readonly deletedWith?: string;
  /** Set when a replacement deletes the old resource before creating the new one (`deleteBeforeReplace`). */
  readonly deleteBeforeReplace?: true;
  /** Inputs as registered; secret values replaced by `[secret]`. */
  readonly inputs: Record<string, unknown>;
  /** ID the mock engine gave the resource (custom resources). */
  id?: string;
  /** State the mock engine returned (inputs plus computed values). */
  state?: Record<string, unknown>;
}

/** The result of a mock run. */
export interface Plan {
  readonly project: string;
  readonly stack: string;
  readonly resources: PlannedResource[];
  /** Stack outputs, resolved; secret ones as `[secret]`. */
  readonly outputs: Record<string, unknown>;
}

/** Turns a registered property struct into plain data, masking secrets. */
export function plainInputs(value: unknown): unknown {
  if (value === unknownValue) {
    return "[unknown]";
  }
  if (Array.isArray(value)) {
    return value.map(plainInputs);
  }
  if (typeof value === "object" && value !== null) {
    const object = value as Record<string, unknown>;
    const sig = object[specialSigKey];
    if (sig === specialSecretSig) {
      return SECRET_PLACEHOLDER;
    }
    if (sig === specialResourceSig) {
      return object.urn;
    }
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, plainInputs(v)]));
  }
  return value;
}

/** The resolved value of a stack output (outputs nested in plain values too), or `[secret]`. */
async function resolveOutput(value: unknown): Promise<unknown> {
  const output = pulumi.output(value) as pulumi.Output<unknown>;
  if (await pulumi.isSecret(output)) {
    return SECRET_PLACEHOLDER;
  }
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/**
 * Runs `work`, failing as soon as any promise of the run is rejected unhandled (a failed invoke
 * or registration surfaces only that way), so a broken run fails with its cause instead of
 * waiting forever.
 */
async function failFast<T>(work: () => Promise<T>): Promise<T> {
  let fail: (reason: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const onRejection = (reason: unknown) => fail(reason);
  process.on("unhandledRejection", onRejection);
  try {
    return await Promise.race([work(), failed]);
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getProvider(): string;
  getProtect(): boolean;
  getDeletedwith(): string;
  getDeletebeforereplace(): boolean;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/** Stable order for reading and diffing: providers first, then by name (a component before its namesake child), then by type. */
function byKindAndName(a: PlannedResource, b: PlannedResource): number {
  const provider = (r: PlannedResource) => (r.type.startsWith("pulumi:providers:") ? 0 : 1);
  const component = (r: PlannedResource) => (r.custom ? 1 : 0);
  return (
    provider(a) - provider(b) ||
    a.name.localeCompare(b.name) ||
    component(a) - component(b) ||
    a.type.localeCompare(b.type)
  );
}

/** A Pulumi program: declares resources and returns its outputs. */
export type Program = () => Promise<Record<string, unknown>>;

/**
 * Waits until the runtime has no registration or invoke in flight. Internal to the SDK (not in its
 * typings), so it is looked up once and checked: a missing one fails loudly instead of returning
 * a partial plan.
 */
const waitForRPCs: () => Promise<void> = (() => {
  const fn = (settings as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  if (typeof fn !== "function") {
    throw new Error(
      "@pulumi/pulumi no longer exports runtime/settings waitForRPCs; the plan cannot tell when a run ends",
    );
  }
  return fn;
})();

let running = false;

/**
 * Runs `index.ts` (or another checkout's program, `programFile`) for one stack's config and
 * returns everything it declared. Runs are serialised: the Pulumi runtime holds one program at a
 * time.
 */
export async function runPlan(
  stack: string,
  config: StackValues,
  region: string,
  programFile = "../index",
): Promise<Plan> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return runProgram(stack, config, region, () => (require(programFile) as Program)());
}

/**
 * Runs `program` under the mock engine with `config` as the whole configuration and returns
 * everything it declared and its outputs, resolved. Each run sets the mocks and the configuration
 * afresh, so no run sees another's; runs are serialised (the Pulumi runtime is process-global).
 */
export async function runProgram(
  stack: string,
  config: StackValues,
  region: string,
  program: Program,
): Promise<Plan> {
  if (running) {
    throw new Error("runProgram: one mock run at a time");
  }
  running = true;
  try {
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    const mocks = new PlanMocks(region || "us-east-1");
    await pulumi.runtime.setMocks(mocks, PROJECT, stack, false);

    // Record each registration as the engine receives it: the parent and the raw property
    // struct are only visible here (mock callbacks get inputs with secrets already unwrapped).
    const resources: PlannedResource[] = [];
    const monitor = settings.getMonitor() as unknown as {
      registerResource(req: RegisterRequest, callback: unknown): void;
      newUrn(parent: string, type: string, name: string): string;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      const parent = req.getParent() || undefined;
      const provider = req.getProvider() ? req.getProvider().split("::").slice(0, -1).join("::") : undefined;
      resources.push({
        urn: monitor.newUrn(req.getParent(), req.getType(), req.getName()),
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        provider,
        parent,
        protect: req.getProtect(),
        ...(req.getDeletedwith() ? { deletedWith: req.getDeletedwith() } : {}),
        ...(req.getDeletebeforereplace() ? { deleteBeforeReplace: true as const } : {}),
        inputs: plainInputs(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
      });
      register(req, callback);
    };

    const outputs = await failFast(async () => {
      const exported = await program();
      await waitForRPCs();
      const resolved: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(exported)) {
        resolved[key] = await resolveOutput(value);
      }
      await waitForRPCs();
      return resolved;
    });

    for (const resource of resources) {
      const recorded = mocks.states.get(`${resource.type}::${resource.name}`);
      if (resource.custom && recorded) {
        resource.id = recorded.id;
        resource.state = recorded.state;
      }
    }
    return { project: PROJECT, stack, resources: resources.sort(byKindAndName), outputs };
  } finally {
    running = false;
  }
}
