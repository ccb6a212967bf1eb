/**
 * Test harness: constructs one component on its own under the mock engine, with no configuration
 * and no other part of the program, and offers lookups over what it declared. The run is the one
 * `npm run plan` makes ({@link runProgram}): it sets the mocks and an empty configuration afresh,
 * waits for every registration (those inside `apply` too) and fails on the first rejected one, so
 * runs of the whole program before or after it see nothing of it.
 *
 * What these runs prove: the component's own logic for the arguments given, and the exact inputs
 * of what it declares. Not that the arguments are ones the program would pass.
 */
import * as assert from "assert";
import { PlannedResource, runProgram } from "../../offline/engine";
import { PlanView } from "./plan";

/** Region of the runs: its zone IDs are `use1-az1` and on. */
export const ALONE_REGION = "us-east-1";
/** Stack of the runs (part of every URN). */
export const ALONE_STACK = "alone";

/** A plan of one component and whatever the test declared for it to use. */
export class AloneView extends PlanView {
  /** Outputs the construction returned, resolved; secret ones as `[secret]`. */
  get outputs(): Record<string, unknown> {
    return this.plan.outputs;
  }

  /** Every resource under a component, at any depth. */
  descendantsOf(component: PlannedResource): PlannedResource[] {
    const below = this.childrenOf(component);
    return below.flatMap((child) => [child, ...this.descendantsOf(child)]);
  }
}

/**
 * Runs `construct` (which creates the component, and any stand-ins it needs, and returns outputs
 * to resolve) under the mock engine and returns what it declared.
 */
export async function constructAlone(construct: () => Record<string, unknown> | void): Promise<AloneView> {
  const plan = await runProgram(ALONE_STACK, { values: {}, secretKeys: [] }, ALONE_REGION, async () => {
    return construct() ?? {};
  });
  assert.ok(plan.resources.length > 0, "the construction declared nothing");
  return new AloneView(plan);
}
