/**
 * The resource model every rule of the pack works on, and the helpers the rules share.
 *
 * A rule sees a resource as its type, name, URN, provider ID and plain properties, the same
 * whether the resource comes from a policy run (`pulumi preview --policy-pack policy`, through
 * {@link fromArgs} and {@link fromPolicyResource}) or from the offline mock plan (through
 * {@link fromPlanned}). A value that is not known yet (during a preview, anything computed from a
 * resource still to be created) is the string {@link UNKNOWN}, the marker the mock plan uses too.
 *
 * This file imports nothing from the program: the pack runs on its own, next to the program.
 */
import type {
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as policyProxy from "@pulumi/policy/proxy";

/** A value that is not known during a preview. */
export const UNKNOWN = "[unknown]";

/** Plain properties of a resource. */
export type Props = Record<string, unknown>;

/** One resource as the rules see it. */
export interface Resource {
  /** Type token, e.g. `aws:ec2/vpc:Vpc`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** URN; its type chain names the parent components. */
  readonly urn?: string;
  /** Provider ID, when known (existing resources, mock plans). */
  readonly id?: string;
  /** URN of the parent resource. */
  readonly parent?: string;
  /** Properties: inputs for resource rules, outputs for stack rules. */
  readonly props: Props;
  /** URNs of the resources each top-level property was computed from. */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** One violation: its message, and the resource it is about. */
export interface Violation {
  readonly urn?: string;
  readonly message: string;
}

/** Messages of violations, for reports and assertions. */
export function messages(violations: readonly Violation[]): string[] {
  return violations.map((v) => v.message);
}

/** A violation about a resource: the message starts with the resource's type and name. */
export function violation(resource: Resource, problem: string): Violation {
  return { urn: resource.urn, message: `${label(resource)}: ${problem}` };
}

/** How messages name a resource: `aws:ec2/vpc:Vpc "master"`. */
export function label(resource: Pick<Resource, "type" | "name">): string {
  return `${resource.type} "${resource.name}"`;
}

// --- Conversion from the policy SDK's arguments.

const sdkInternals = policyProxy as unknown as Record<string, unknown>;
/** The property through which the SDK's unknown-checking proxy hands out its plain target. */
const PROXY_TARGET =
  typeof sdkInternals.getSpecialProxyTarget === "string"
    ? sdkInternals.getSpecialProxyTarget
    : "__getSpecialProxyTarget";
/** Sentinels the engine and the SDK use for unknown values (the engine sends the string one). */
const SENTINELS = new Set<string>([
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  ...Object.entries(sdkInternals)
    .filter(([key, value]) => /^unknown\w*Value$/.test(key) && typeof value === "string")
    .map(([, value]) => value as string),
]);

/**
 * Plain data from SDK properties: the proxy unwrapped (reading through it would throw on the
 * first unknown value), every unknown sentinel replaced by {@link UNKNOWN}.
 */
export function plain(value: unknown): unknown {
  if (typeof value === "string") {
    return SENTINELS.has(value) ? UNKNOWN : value;
  }
  if (Array.isArray(value)) {
    return Array.from(unproxied(value) as unknown[], plain);
  }
  if (typeof value === "object" && value !== null) {
    const target = unproxied(value) as Record<string, unknown>;
    const proto = Object.getPrototypeOf(target);
    if (proto !== Object.prototype && proto !== null) {
      return target; // assets and archives: kept as they are
    }
    return Object.fromEntries(Object.entries(target).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function unproxied(value: object): object {
  const target = (value as Record<string, unknown>)[PROXY_TARGET];
  return typeof target === "object" && target !== null ? target : value;
}

/** The resource a resource policy validates (its inputs). */
export function fromArgs(args: ResourceValidationArgs): Resource {
  return {
    type: args.type,
    name: args.name,
    urn: args.urn,
    parent: args.opts?.parent,
    props: plain(args.props) as Props,
  };
}

/** A resource of the stack a stack policy validates (its outputs, IDs and dependencies). */
export function fromPolicyResource(resource: PolicyResource): Resource {
  const props = plain(resource.props) as Props;
  const deps = resource.propertyDependencies ?? {};
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn,
    id: typeof props.id === "string" && props.id !== UNKNOWN ? props.id : undefined,
    parent: resource.parent?.urn,
    props,
    propertyDependencies: Object.fromEntries(
      Object.entries(deps).map(([key, list]) => [key, list.map((d) => d.urn)]),
    ),
  };
}

/** A resource as the offline mock plan records it (`offline/engine.ts`). */
export interface PlannedLike {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent?: string;
  readonly inputs: Record<string, unknown>;
  readonly id?: string;
  readonly state?: Record<string, unknown>;
}

/**
 * A resource of a mock plan: its inputs as registered (secrets masked) over the state the mock
 * engine returned (computed values such as `arn`). References between resources are resolved IDs.
 */
export function fromPlanned(resource: PlannedLike): Resource {
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn,
    id: resource.id,
    parent: resource.parent,
    props: { ...(resource.state ?? {}), ...resource.inputs },
  };
}

/** Reports every violation through the SDK's callback. */
export function reportAll(report: ReportViolation, violations: readonly Violation[], withUrn: boolean): void {
  for (const v of violations) {
    if (withUrn && v.urn) {
      report(v.message, v.urn);
    } else {
      report(v.message);
    }
  }
}

// --- Values.

/** Whether a value is unknown (during a preview). */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** A number from a number or a numeric string; undefined otherwise. */
export function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** A list from a list, a single object (one-element blocks), or nothing. */
export function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  return [value];
}

/** A plain object, or undefined. */
export function asObject(value: unknown): Props | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Props) : undefined;
}

/** Whether a CIDR block is a whole address space (`0.0.0.0/0`, `::/0`). */
export function isWorldCidr(cidr: unknown): boolean {
  return typeof cidr === "string" && /\/0$/.test(cidr.trim());
}

/** How a value is shown in messages. */
export function show(value: unknown): string {
  return value === undefined ? "unset" : JSON.stringify(value);
}

/** Every string inside a value. */
export function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === "object" && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

// --- Types and references.

/**
 * Whether a type token is a component's or a provider's rather than a cloud resource's: cloud
 * resource tokens carry a module path (`aws:ec2/vpc:Vpc`, `kubernetes:apps/v1:Deployment`),
 * component and provider tokens do not (`jenkins-agent-bridge:jenkins:Controller`).
 */
export function isComponentType(type: string): boolean {
  const module = type.split(":")[1];
  return module === undefined || !module.includes("/");
}

/** The type chain of a URN, outermost parent first, the resource's own type last. */
export function typeChain(urn: string | undefined): string[] {
  const qualified = urn?.split("::")[2];
  return qualified ? qualified.split("$") : [];
}

/** Known values that other resources use to refer to this one: its ID and ARN. */
export function identifiers(resource: Resource): string[] {
  return [resource.id, resource.props.id, resource.props.arn].filter(
    (v): v is string => typeof v === "string" && v !== "" && v !== UNKNOWN,
  );
}

/**
 * Whether property `prop` of `from` refers to `target`: the property holds one of the target's
 * known identifiers, or the engine recorded that the property was computed from the target.
 */
export function refersTo(from: Resource, prop: string, target: Resource): boolean {
  if (target.urn && from.propertyDependencies?.[prop]?.includes(target.urn)) {
    return true;
  }
  const ids = identifiers(target);
  return ids.length > 0 && strings(from.props[prop]).some((s) => ids.includes(s));
}

/** Whether the engine recorded dependencies for a property (policy runs do; mock plans do not). */
export function hasDependencyRecord(resource: Resource, prop: string): boolean {
  return resource.propertyDependencies?.[prop] !== undefined;
}

/**
 * A mandatory resource policy whose rule is a plain function of one resource: the function is
 * what the tests call directly, the policy only adapts the SDK's arguments to it.
 */
export function mandatoryResourcePolicy(
  name: string,
  description: string,
  check: (resource: Resource) => Violation[],
): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
      reportAll(report, check(fromArgs(args)), false);
    },
  };
}

/**
 * A mandatory stack policy whose rule is a plain function of the stack's resources and the
 * policy's config (`{}` when none is given): the function is what the tests call directly, the
 * policy only adapts the SDK's arguments to it. `configSchema` names the config it accepts.
 */
export function mandatoryStackPolicy<Config extends object = Record<string, never>>(
  name: string,
  description: string,
  check: (resources: readonly Resource[], config: Partial<Config>) => Violation[],
  configSchema?: PolicyConfigSchema,
): StackValidationPolicy {
  return {
    name,
    description,
    enforcementLevel: "mandatory",
    ...(configSchema ? { configSchema } : {}),
    validateStack: (args, report) => {
      reportAll(
        report,
        check(args.resources.map(fromPolicyResource), args.getConfig<Partial<Config>>()),
        true,
      );
    },
  };
}

/** Whether a key reference is set: a non-blank string, or a value known only at deploy time. */
export function hasKey(value: unknown): boolean {
  return (typeof value === "string" && value.trim() !== "") || isUnknown(value);
}

/**
 * Whether a load balancer is an internet-facing application load balancer (`internal` unset means
 * internet-facing, the provider's default; an unknown `internal` is not taken for public).
 */
export function isPublicAlb(lb: Resource): boolean {
  const type = lb.props.loadBalancerType ?? "application";
  return type === "application" && (lb.props.internal === false || lb.props.internal === undefined);
}
