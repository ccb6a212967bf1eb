/**
 * Runs the policy pack (policy/) offline, over a mock plan: calls each policy's
 * `validateResource` / `validateStack` the way the policy SDK's server does (properties behind its
 * unknown-checking proxy, parents and property dependencies as resource objects, policy config
 * through `getConfig`), without a Pulumi CLI. Used by `npm run plan -- --policy` and the tests.
 */
import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as policyProxy from "@pulumi/policy/proxy";
import { policies } from "../policy/pack";
import type { PlannedResource } from "./engine";

const sdk = policyProxy as unknown as {
  unknownCheckingProxy<T>(value: T): T;
  unknownStringValue: string;
};

/** The value the engine sends for an unknown property during a preview. */
export const UNKNOWN_FROM_ENGINE: string = sdk.unknownStringValue;

/** A resource as given to a policy: type, name, properties, and how it relates to others. */
export interface CheckedResource {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly urn?: string;
  /** URN of the parent. */
  readonly parent?: string;
  /** URNs each property was computed from. */
  readonly propertyDependencies?: Record<string, string[]>;
}

/** A URN as the engine builds it, with the parents' types in the type chain. */
export function urnOf(type: string, name: string, ...parentTypes: string[]): string {
  return `urn:pulumi:test::jenkins-agent-bridge::${[...parentTypes, type].join("$")}::${name}`;
}

function options(parent?: string): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(parent ? { parent } : {}),
  };
}

class NotApplicable extends Error {}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** The arguments `validateResource` receives for a resource. */
export function resourceArgs(resource: CheckedResource, config: object = {}): ResourceValidationArgs {
  const props = sdk.unknownCheckingProxy(clone(resource.props));
  return {
    type: resource.type,
    name: resource.name,
    urn: resource.urn ?? urnOf(resource.type, resource.name),
    props,
    opts: options(resource.parent),
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

/** The arguments `validateStack` receives for a stack of resources. */
export function stackArgs(resources: readonly CheckedResource[], config: object = {}): StackValidationArgs {
  const byUrn = new Map<string, PolicyResource>();
  const built = resources.map((r) => {
    const built: PolicyResource = {
      type: r.type,
      name: r.name,
      urn: r.urn ?? urnOf(r.type, r.name),
      props: sdk.unknownCheckingProxy(clone(r.props)),
      opts: options(r.parent),
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    };
    byUrn.set(built.urn, built);
    return built;
  });
  resources.forEach((r, i) => {
    if (r.parent && byUrn.has(r.parent)) built[i].parent = byUrn.get(r.parent);
    for (const [prop, urns] of Object.entries(r.propertyDependencies ?? {})) {
      built[i].propertyDependencies[prop] = urns.flatMap((u) => (byUrn.has(u) ? [byUrn.get(u)!] : []));
    }
  });
  return {
    resources: built,
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

/** A violation as reported to the SDK. */
export interface Reported {
  readonly message: string;
  readonly urn?: string;
}

/** Runs a resource policy's validations on one resource, as the SDK's server does. */
export async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  resource: CheckedResource,
  config: object = {},
): Promise<string[]> {
  const reported: string[] = [];
  const validations = policy.validateResource ?? [];
  for (const validate of Array.isArray(validations) ? validations : [validations]) {
    try {
      await validate(resourceArgs(resource, config), (message) => reported.push(message));
    } catch (e) {
      if (!(e instanceof NotApplicable)) throw e;
    }
  }
  return reported;
}

/** Runs a stack policy on a stack of resources, as the SDK's server does. */
export async function runStackPolicy(
  policy: StackValidationPolicy,
  resources: readonly CheckedResource[],
  config: object = {},
): Promise<Reported[]> {
  const reported: Reported[] = [];
  try {
    await policy.validateStack(stackArgs(resources, config), (message, urn) =>
      reported.push(urn ? { message, urn } : { message }),
    );
  } catch (e) {
    if (!(e instanceof NotApplicable)) throw e;
  }
  return reported;
}

/** Whether a policy validates resources one by one (otherwise it validates the stack). */
export function isResourcePolicy(
  policy: ResourceValidationPolicy | StackValidationPolicy,
): policy is ResourceValidationPolicy {
  return !("validateStack" in policy);
}

/** A violation found by running the whole pack. */
export interface PackViolation extends Reported {
  readonly policy: string;
  readonly enforcementLevel: EnforcementLevel;
}

/**
 * A planned resource as a policy run sees it: resource policies get the inputs; stack policies
 * get the outputs, which for a mock plan are the state the mock engine returned (inputs plus
 * computed values, the ID among them, as bridged providers report it).
 */
export function asResourceInput(r: PlannedResource): CheckedResource {
  return { type: r.type, name: r.name, urn: r.urn, parent: r.parent, props: r.inputs };
}
export function asStackResource(r: PlannedResource): CheckedResource {
  const props = { ...(r.state ?? {}), ...r.inputs, ...(r.id !== undefined ? { id: r.id } : {}) };
  return { type: r.type, name: r.name, urn: r.urn, parent: r.parent, props };
}

/**
 * Runs every policy of the pack over a plan's resources: resource policies on each resource,
 * stack policies once. `config` is the policy pack config (by policy name).
 */
export async function runPack(
  resources: readonly PlannedResource[],
  config: Record<string, object> = {},
  pack: Policies = policies,
): Promise<PackViolation[]> {
  const found: PackViolation[] = [];
  for (const policy of pack) {
    const level = policy.enforcementLevel ?? "advisory";
    const policyConfig = config[policy.name] ?? {};
    if (isResourcePolicy(policy)) {
      for (const r of resources) {
        for (const message of await runResourcePolicy(policy, asResourceInput(r), policyConfig)) {
          found.push({ policy: policy.name, enforcementLevel: level, message, urn: r.urn });
        }
      }
    } else {
      for (const v of await runStackPolicy(policy, resources.map(asStackResource), policyConfig)) {
        found.push({ policy: policy.name, enforcementLevel: level, ...v });
      }
    }
  }
  return found;
}
