/**
 * What every acceptance rule shares: the plan it reads, what it reports, and helpers for the
 * values a mock run leaves unknown and for names the provider generates.
 */
import { UNKNOWN } from "../../policy/lib/resources";
import type { PlannedResource } from "../engine";

/** A resource input AWS would refuse. */
export interface Violation {
  readonly kind: "violation";
  readonly rule: string;
  readonly resource: PlannedResource;
  /** The input's path, e.g. `description`, `vpcConfig.publicAccessCidrs`. */
  readonly input: string;
  readonly message: string;
}

/** A check that could not be decided offline (a value known only at deploy time). */
export interface Skip {
  readonly kind: "skip";
  readonly rule: string;
  readonly resource: PlannedResource;
  readonly input: string;
  readonly reason: string;
}

export type Finding = Violation | Skip;

/** The plan as rules read it: the resources, and lookups for references between them. */
export class PlanView {
  private readonly byId = new Map<string, PlannedResource>();

  constructor(readonly resources: readonly PlannedResource[]) {
    for (const r of resources) {
      if (r.id) this.byId.set(r.id, r);
      const arn = r.state?.arn;
      if (typeof arn === "string") this.byId.set(arn, r);
    }
  }

  /** Custom resources of one type. */
  ofType(type: string): PlannedResource[] {
    return this.resources.filter((r) => r.custom && r.type === type);
  }

  /** The planned resource an ID or ARN refers to, if the plan holds it. */
  resolve(ref: unknown): PlannedResource | undefined {
    return typeof ref === "string" ? this.byId.get(ref) : undefined;
  }
}

/** One rule: an id for the output, what it checks, and the check. */
export interface Rule {
  readonly id: string;
  readonly title: string;
  check(plan: PlanView): Finding[];
}

/** The marker the plan puts where a value is computed at deploy time (the policy pack's). */
export { UNKNOWN };

/** True when `value` is, or holds, a value only known at deploy time. */
export function isUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(isUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(isUnknown);
  return false;
}

/** Reads a dotted input path (`vpcConfig.subnetIds`). */
export function input(resource: PlannedResource, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], resource.inputs);
}

/** Why a check is skipped when the input it reads is computed at deploy time. */
export const AT_DEPLOY_TIME = "computed at deploy time";

/** Helpers bound to one rule, so each finding names its rule. */
export function findings(rule: string) {
  const skip = (resource: PlannedResource, path: string, reason: string): Skip => ({
    kind: "skip",
    rule,
    resource,
    input: path,
    reason,
  });
  return {
    violation: (resource: PlannedResource, path: string, message: string): Violation => ({
      kind: "violation",
      rule,
      resource,
      input: path,
      message,
    }),
    skip,
    /** The check of input `path` is skipped: its value is computed at deploy time. */
    unknown: (resource: PlannedResource, path: string): Skip => skip(resource, path, AT_DEPLOY_TIME),
  };
}

/** The helpers {@link findings} binds to a rule. */
export type RuleFindings = ReturnType<typeof findings>;

/**
 * A rule that judges every resource of `types` (in that order) on its own: `judge` receives the
 * resource and the rule's finding helpers.
 */
export function resourceRule(
  id: string,
  title: string,
  types: readonly string[],
  judge: (resource: PlannedResource, found: RuleFindings) => Finding[],
): Rule {
  const found = findings(id);
  return {
    id,
    title,
    check: (plan: PlanView) => types.flatMap((type) => plan.ofType(type)).flatMap((r) => judge(r, found)),
  };
}

/**
 * Length of the suffix Pulumi's default auto-naming appends to the resource's logical name when
 * no `name` is given: a hyphen and 7 random characters (https://www.pulumi.com/docs/iac/concepts/resources/names/#autonaming).
 */
export const AUTONAME_SUFFIX = 8;
/**
 * Length of the unique suffix the provider appends to a `namePrefix` (Terraform's
 * `id.PrefixedUniqueId`: a 26-character timestamp and counter); AWS IAM documents the resulting
 * 38-character prefix limit for 64-character role names.
 */
export const PREFIX_SUFFIX = 26;

/** The name a resource will have, as far as it is known offline. */
export type PlannedName =
  | {
      readonly from: "name" | "namePrefix" | "autoname";
      readonly path: string;
      readonly text: string;
      readonly length: number;
    }
  | { readonly from: "unknown"; readonly path: string };

/**
 * The name `resource` gets: its `name` input (or `nameField`), else its `namePrefix` plus the
 * provider's unique suffix, else the logical name plus Pulumi's auto-name suffix.
 */
export function plannedName(resource: PlannedResource, nameField = "name"): PlannedName {
  const name = resource.inputs[nameField];
  const prefix = resource.inputs.namePrefix;
  if (name !== undefined) {
    return typeof name === "string" && !isUnknown(name)
      ? { from: "name", path: nameField, text: name, length: name.length }
      : { from: "unknown", path: nameField };
  }
  if (prefix !== undefined) {
    return typeof prefix === "string" && !isUnknown(prefix)
      ? { from: "namePrefix", path: "namePrefix", text: prefix, length: prefix.length + PREFIX_SUFFIX }
      : { from: "unknown", path: "namePrefix" };
  }
  return {
    from: "autoname",
    path: nameField,
    text: resource.name,
    length: resource.name.length + AUTONAME_SUFFIX,
  };
}

/** How a planned name reads in a message. */
export function describeName(name: Exclude<PlannedName, { from: "unknown" }>): string {
  switch (name.from) {
    case "name":
      return JSON.stringify(name.text);
    case "namePrefix":
      return `prefix ${JSON.stringify(name.text)} (+${PREFIX_SUFFIX} characters the provider adds = ${name.length})`;
    case "autoname":
      return `auto-named ${JSON.stringify(`${name.text}-xxxxxxx`)} (${name.length} characters)`;
  }
}

/** The characters of `text` that `allowed` (a one-character pattern) refuses, each once. */
export function refusedCharacters(text: string, allowed: RegExp): string[] {
  return [...new Set([...text].filter((c) => !allowed.test(c)))];
}
