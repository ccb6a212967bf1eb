/** Test harness for the policy pack: the offline runner, shared with `npm run plan -- --policy`. */
export * from "../../offline/policy-run";
export type { CheckedResource as TestResource } from "../../offline/policy-run";
