/**
 * Reads the stack's configuration from the Pulumi runtime and parses it. The only module that
 * touches `pulumi.runtime` config; everything else takes the typed {@link StackConfig}.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, StackConfig } from "./stack-config";

export * from "./stack-config";

/**
 * Decodes a value as the engine hands it over: structured values (objects, lists) arrive as JSON
 * text, scalars as plain text.
 */
export function decodeConfigValue(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text;
    }
  }
  return text;
}

/** Decodes every value of an engine config map (`namespace:key` to text). */
export function decodeConfig(all: Readonly<Record<string, string>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, decodeConfigValue(v)]));
}

/**
 * The stack's configuration. On any mistake it throws a `RunError` listing every problem, one per
 * line: Pulumi prints such errors without a stack trace, and nothing has been created yet.
 */
export function readStackConfig(): StackConfig {
  const result = parseStackConfig(decodeConfig(pulumi.runtime.allConfig()));
  if (!result.ok) {
    throw new pulumi.RunError(`invalid stack configuration:\n${result.problems.join("\n")}`);
  }
  return result.config;
}
