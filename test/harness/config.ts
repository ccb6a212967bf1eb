/**
 * Test helper for config values: every stack states where Pulumi runs from
 * (`agentCluster.apiAccess`), so values built for a test of another key get a stated one unless
 * they set `agentCluster.apiAccess` themselves.
 */
import * as assert from "assert";
import { decodeConfig } from "../../config/decode";
import { ParseResult, parseStackConfig, StackConfig } from "../../config/stack-config";

const KEY = "jenkins-agent-bridge:agentCluster";

/** A stated API access: Pulumi runs from a documentation-range block. */
export const STATED_API_ACCESS = { from: "cidrs", cidrs: ["192.0.2.0/24"] } as const;

/** Decoded config values with `agentCluster.apiAccess` stated when the values leave it out. */
export function withApiAccess(values: Record<string, unknown>): Record<string, unknown> {
  const cluster = values[KEY];
  if (cluster !== undefined && (typeof cluster !== "object" || cluster === null || Array.isArray(cluster))) {
    return values;
  }
  const own = (cluster ?? {}) as Record<string, unknown>;
  return "apiAccess" in own ? values : { ...values, [KEY]: { ...own, apiAccess: STATED_API_ACCESS } };
}

/** `decodeConfig`, then {@link withApiAccess}. */
export function decodeStated(values: Readonly<Record<string, string>>): Record<string, unknown> {
  return withApiAccess(decodeConfig(values));
}

/**
 * Parses engine-shaped values (objects given as JSON text, as the engine passes them) with
 * `agentCluster.apiAccess` stated.
 */
export function parseStated(values: Record<string, unknown>): ParseResult {
  const text = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
  return parseStackConfig(decodeStated(text));
}

/** The problem lines of values that must be refused. */
export function problemsOf(values: Record<string, unknown>): string[] {
  const result = parseStated(values);
  assert.strictEqual(result.ok, false, "expected the config to be refused");
  return result.ok ? [] : result.problems;
}

/** The parsed config of values that must be accepted. */
export function configOf(values: Record<string, unknown>): StackConfig {
  const result = parseStated(values);
  if (!result.ok) assert.fail(result.problems.join("\n"));
  return result.config;
}

/** Changes to a config: objects merge key by key, anything else (lists included) replaces. */
export type Patch<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? Patch<T[K]> : T[K];
};

export function merged<T>(base: T, patch: Patch<T>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    const nested = typeof value === "object" && value !== null && !Array.isArray(value);
    out[key] = nested && typeof current === "object" && current !== null ? merged(current, value) : value;
  }
  return out as T;
}
