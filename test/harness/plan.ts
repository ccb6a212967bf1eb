/**
 * Test harness: runs the whole program for a committed stack under the mock engine (the same run
 * `npm run plan` makes) and offers lookups over what it declared. `runPlan` waits for every
 * registration, including those made inside `apply`, before it returns.
 *
 * What these runs do not prove: that AWS accepts the inputs, that names are free in an account,
 * or that the network behaves as planned. They prove the program's logic and its exact inputs.
 */
import * as assert from "assert";
import * as path from "path";
import { TOKENS } from "../../components/shared/tokens";
import { decodeConfig, parseStackConfig } from "../../config";
import { Plan, PlannedResource, runPlan } from "../../offline/engine";
import { applyOverrides, readStack, STACKS_DIR } from "../../offline/stack-file";
import { TYPES } from "../../policy/lib/types";

/** The repository root. */
export const ROOT = path.resolve(__dirname, "../..");

/**
 * Plans already made in this process, by everything a run depends on: the stack's name, its
 * values after the overrides (read afresh each call, so an edited stack file is planned anew) and
 * its region. A run is deterministic (same inputs, same plan, byte for byte), and many test files
 * plan the same committed stacks, so each is run once per process.
 */
const plans = new Map<string, Plan>();

/**
 * Plans a committed stack, with optional `KEY=VALUE` overrides; fails on invalid config. Each
 * caller gets its own copy of the plan, so no test sees another's changes to it.
 */
export async function planStack(stack: string, overrides: string[] = []): Promise<PlanView> {
  const values = applyOverrides(readStack(STACKS_DIR, stack), overrides);
  const parsed = parseStackConfig(decodeConfig(values.values), values.secretKeys);
  if (!parsed.ok) {
    assert.fail(`stack ${stack} is invalid:\n${parsed.problems.join("\n")}`);
  }
  const key = JSON.stringify([stack, values.values, [...values.secretKeys].sort(), parsed.config.region]);
  let plan = plans.get(key);
  if (!plan) {
    plan = await runPlan(stack, values, parsed.config.region);
    plans.set(key, plan);
  }
  return new PlanView(structuredClone(plan));
}

/** Lookups over a plan. */
export class PlanView {
  constructor(readonly plan: Plan) {}

  get resources(): PlannedResource[] {
    return this.plan.resources;
  }

  /** Every resource of a type. */
  byType(type: string): PlannedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The one resource of a type and name; fails if absent. */
  one(type: string, name: string): PlannedResource {
    const found = this.resources.filter((r) => r.type === type && r.name === name);
    assert.strictEqual(found.length, 1, `expected one ${type} named ${name}, found ${found.length}`);
    return found[0];
  }

  /** Direct children of a resource. */
  childrenOf(parent: PlannedResource): PlannedResource[] {
    return this.resources.filter((r) => r.parent === parent.urn);
  }

  /** Name of the resource with this ID or ARN, for readable assertions on references. */
  nameOf(idOrArn: unknown): string | undefined {
    return this.resources.find((r) => r.id === idOrArn || r.state?.arn === idOrArn)?.name;
  }

  /** Names of the resources of a type, sorted. */
  names(type: string): string[] {
    return this.byType(type)
      .map((r) => r.name)
      .sort();
  }
}

/** Resource type tokens used in assertions: the pack's table, and the blueprint's components. */
export const T = {
  ...TYPES,
  network: TOKENS.network,
  controller: TOKENS.jenkinsController,
  gateway: TOKENS.agentGateway,
  agentCluster: TOKENS.agentCluster,
  agentAutoscaler: TOKENS.agentAutoscaler,
  agentProxy: TOKENS.agentProxy,
  monitoring: TOKENS.monitoring,
} as const;
