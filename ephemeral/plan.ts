/**
 * Ephemeral stacks: short-lived copies of the dev stack for testing a change, planned by plain
 * functions. A stack `eph-NAME` gets the dev settings with the smallest sizes, no deletion
 * protection or retention (`throwaway: true`), its own pair of VPC blocks derived from the name
 * and clear of every committed stack, and an `expires-at` tag that `reap` goes by.
 */
import { createHash } from "crypto";
import { stringify } from "yaml";
import { mustParseCidr, overlaps } from "../components/network/cidr";
import { decodeConfig, decodeConfigValue } from "../config/decode";
import { NAMESPACE } from "../config/stack-config";
import { StackValues } from "../offline/stack-file";

/** Prefix of every ephemeral stack's name. */
export const EPHEMERAL_PREFIX = "eph-";
/** The tag (and stack config) that says when an ephemeral stack may be reaped. */
export const EXPIRES_TAG = "expires-at";
/** Hours an ephemeral stack lives by default, and at most. */
export const DEFAULT_TTL_HOURS = 24;
export const MAX_TTL_HOURS = 168;

const NAME = /^[a-z][a-z0-9-]{0,22}[a-z0-9]$/;

/** Problems with a requested name, one line each (empty when fine). */
export function nameProblems(name: string | undefined): string[] {
  if (name === undefined || name === "") return ["--name: missing; expected a short name such as pr-123"];
  if (!NAME.test(name) || name.includes("--")) {
    return [
      `--name: got "${name}"; expected 2 to 24 lowercase letters, digits and single hyphens, starting with a letter`,
    ];
  }
  return [];
}

/** The stack name for an ephemeral name. */
export function ephemeralStackName(name: string): string {
  return `${EPHEMERAL_PREFIX}${name}`;
}

/** A stack's own name, as a backend may list it `org/eph-x` or `org/project/eph-x`. */
export function shortStackName(stack: string): string {
  return stack.slice(stack.lastIndexOf("/") + 1);
}

/** Whether a stack name is an ephemeral one. */
export function isEphemeralStack(stack: string): boolean {
  return shortStackName(stack).startsWith(EPHEMERAL_PREFIX);
}

/** The pool ephemeral VPCs come from: pairs of /16 blocks, 10.100.0.0/16 to 10.227.0.0/16. */
const POOL = { firstOctet: 100, pairs: 64 } as const;

/**
 * The master and agent VPC blocks of an ephemeral stack: a pair of /16s chosen by a hash of the
 * name, moving on to the next pair while either block overlaps one that is `taken` (the committed
 * stacks' blocks, and other ephemeral stacks' when known). Throws when the pool is exhausted.
 */
export function ephemeralCidrs(name: string, taken: readonly string[]): { master: string; agent: string } {
  const start = createHash("sha256").update(name).digest().readUInt32BE(0) % POOL.pairs;
  const used = taken.map(mustParseCidr);
  for (let step = 0; step < POOL.pairs; step++) {
    const pair = (start + step) % POOL.pairs;
    const master = `10.${POOL.firstOctet + 2 * pair}.0.0/16`;
    const agent = `10.${POOL.firstOctet + 2 * pair + 1}.0.0/16`;
    if (![master, agent].some((c) => used.some((u) => overlaps(mustParseCidr(c), u))))
      return { master, agent };
  }
  throw new Error(`no free pair of /16 blocks left in 10.${POOL.firstOctet}.0.0 to 10.227.0.0 for ${name}`);
}

/** The VPC blocks a stack's config uses (project namespace; defaults where unset). */
export function stackCidrs(values: StackValues, defaults: { master: string; agent: string }): string[] {
  const block = (key: string, fallback: string) => {
    const network = decodeConfigValue(values.values[`${NAMESPACE}${key}`] ?? "{}") as { cidrBlock?: string };
    return network.cidrBlock ?? fallback;
  };
  return [block("masterNetwork", defaults.master), block("agentNetwork", defaults.agent)];
}

/** `expires-at` of a stack created at `now` with a lifetime of `ttlHours`: ISO 8601, UTC, to the second. */
export function expiresAt(now: Date, ttlHours: number): string {
  return new Date(now.getTime() + ttlHours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The expiry an `up` sets: the stack's current one while it lies ahead and no `--ttl` was given,
 * so that updating a stack changes no tag (a new tag value would touch every resource and roll
 * the nodes); otherwise `ttlHours` from now.
 */
export function chooseExpiry(
  current: string | undefined,
  now: Date,
  ttlHours: number,
  ttlGiven: boolean,
): string {
  const time = current ? Date.parse(current) : NaN;
  if (!ttlGiven && !Number.isNaN(time) && time > now.getTime()) return current as string;
  return expiresAt(now, ttlHours);
}

/** The smallest sizes that still run the whole blueprint, and nothing that outlives `destroy`. */
const SMALLEST = {
  masterNetwork: { azCount: 2, natStrategy: "single", flowLogRetentionDays: 1 },
  agentNetwork: { azCount: 2, natStrategy: "single", flowLogRetentionDays: 1 },
  controller: {
    cpu: 512,
    memoryMiB: 2048,
    logRetentionDays: 1,
    homeDeletionProtection: false,
    backups: false,
    ui: { internetFacing: false, deletionProtection: false },
  },
  gateway: { deletionProtection: false },
  agentCluster: {
    systemNodes: { instanceTypes: ["t3.medium"], count: 1, capacityType: "ON_DEMAND", diskSizeGiB: 20 },
    agentNodes: { cpuLimit: 4, memoryLimitGiB: 16, diskSizeGiB: 20, expectedNodeHoursPerMonth: 10 },
    quotaPods: 6,
    quotaCpuCores: 2,
    quotaMemoryGiB: 4,
    logRetentionDays: 1,
  },
  monitoring: { clusterLogRetentionDays: 1 },
} as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** `over` merged into `base`, objects key by key, anything else replaced. */
function merge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = merge(base[key], value);
  return out;
}

/**
 * Who reaps: the role the nightly reaper deploys with (`EPHEMERAL_REAPER_ROLE_ARN`), and the role of
 * whoever runs `up` when known. The source stack's API access (`agentCluster.apiAccess`) is kept as
 * it is: `up` runs from where the source stack deploys from.
 */
export interface EphemeralAccess {
  readonly reaperRoleArn?: string;
  readonly deployerRoleArn?: string;
}

/**
 * The IAM role of an STS assumed-role session ARN (`arn:aws:sts::1:assumed-role/R/s` gives
 * `arn:aws:iam::1:role/R`); other ARNs as they are.
 */
export function roleOf(arn: string): string {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

/**
 * The cluster admins of an ephemeral stack: the source stack's, plus the reaper's role so that the
 * reaper, which did not create the stack, may still act on its cluster. Left out when the reaper is
 * the one running `up`: the cluster already gives the deploying principal an access entry, and
 * EKS refuses a second entry for the same principal.
 */
export function reaperAdmins(existing: readonly string[], access: EphemeralAccess): string[] {
  const reaper = access.reaperRoleArn;
  const deployer = access.deployerRoleArn ? roleOf(access.deployerRoleArn) : undefined;
  if (!reaper || reaper === deployer || existing.includes(reaper)) return [...existing];
  return [...existing, reaper];
}

/** What `up` sets: the stack name, its config (namespaced keys to structured values) and its expiry. */
export interface EphemeralPlan {
  readonly stack: string;
  readonly expiresAt: string;
  readonly config: Record<string, unknown>;
}

/**
 * The config of `eph-NAME` from the source stack's (dev's) values: every aws:* setting kept, the
 * project's settings overlaid with the smallest sizes, throwaway protections, the derived VPC
 * blocks, a private zone of its own and the expiry tag.
 */
export function planEphemeral(
  name: string,
  source: StackValues,
  taken: readonly string[],
  expires: string,
  access: EphemeralAccess = {},
): EphemeralPlan {
  const stack = ephemeralStackName(name);
  const cidrs = ephemeralCidrs(name, taken);
  const config = decodeConfig(source.values);
  const set = (key: string, value: unknown) => {
    config[`${NAMESPACE}${key}`] = merge(config[`${NAMESPACE}${key}`], value);
  };
  for (const [key, value] of Object.entries(SMALLEST)) set(key, value);
  set("throwaway", true);
  set("masterNetwork", { cidrBlock: cidrs.master });
  set("agentNetwork", { cidrBlock: cidrs.agent });
  set("gateway", { privateZoneName: `${name}.eph.ci.internal` });
  set("tags", { Environment: stack, [EXPIRES_TAG]: expires });
  const admins = reaperAdmins(
    (config[`${NAMESPACE}agentCluster`] as { adminPrincipalArns?: string[] } | undefined)
      ?.adminPrincipalArns ?? [],
    access,
  );
  if (admins.length > 0) set("agentCluster", { adminPrincipalArns: admins });
  return { stack, expiresAt: expires, config: Object.fromEntries(Object.entries(config).sort()) };
}

/** The plan's config as engine-shaped stack values (objects as JSON text), for validation and mock runs. */
export function ephemeralValues(plan: EphemeralPlan): StackValues {
  return {
    values: Object.fromEntries(
      Object.entries(plan.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
    secretKeys: [],
  };
}

/** The stack file `up` writes (stacks/Pulumi.eph-NAME.yaml, ignored by git). */
export function ephemeralStackFile(plan: EphemeralPlan): string {
  return `# Ephemeral stack ${plan.stack}, written by npm run ephemeral; expires ${plan.expiresAt}. Not committed.\n${stringify(
    { config: plan.config },
    { lineWidth: 0 },
  )}`;
}

/** The expiry recorded in a stack's values (its `tags` config), if any. */
export function recordedExpiry(values: StackValues): string | undefined {
  const tags = decodeConfigValue(values.values[`${NAMESPACE}tags`] ?? "{}");
  const expiry = isObject(tags) ? tags[EXPIRES_TAG] : undefined;
  return typeof expiry === "string" ? expiry : undefined;
}

/** The ephemeral stacks past their expiry at `now`; stacks without a readable expiry are listed apart. */
export function expiredStacks(
  stacks: readonly { readonly stack: string; readonly expiresAt?: string }[],
  now: Date,
): { expired: string[]; unknown: string[] } {
  const expired: string[] = [];
  const unknown: string[] = [];
  for (const { stack, expiresAt: at } of stacks) {
    if (!isEphemeralStack(stack)) continue;
    const time = at ? Date.parse(at) : NaN;
    if (Number.isNaN(time)) unknown.push(stack);
    else if (time <= now.getTime()) expired.push(stack);
  }
  return { expired, unknown };
}
