/** Test harness for the policy pack: the offline runner, shared with `npm run plan -- --policy`. */
export * from "../../plan/policy-run";
export type { CheckedResource as TestResource } from "../../plan/policy-run";
