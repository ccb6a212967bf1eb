/**
 * The stack configuration of the whole product, as one module: the schema of every key
 * (config/stack-schema.ts), the parse into one typed object (config/parse.ts) and the checks that
 * span several keys (config/cross-checks.ts). Pure: values in, a typed config or a list of
 * one-line problems out. Components never read config; they take args.
 */
export { namespaceReservation } from "./capacity";
export { checkAcrossKeys, CROSS_CHECKS } from "./cross-checks";
export type { CheckContext, CrossCheck } from "./cross-checks";
export { configKey, NAMESPACE, PROJECT, REGION_KEY } from "./keys";
export { parseStackConfig, withThrowawayProtections } from "./parse";
export type { ParseResult } from "./parse";
export { LOG_RETENTION_DAYS } from "./aws-facts";
export { Transport } from "../components/shared/jenkins";
export { NETWORK_DEFAULTS, STACK_SCHEMA } from "./stack-schema";
export type { StackConfig } from "./stack-schema";
