/**
 * Reads the stack's configuration from the Pulumi runtime and parses it. The only module that
 * touches `pulumi.runtime` config; everything else takes the typed {@link StackConfig}.
 */
import * as pulumi from "@pulumi/pulumi";
import { decodeConfig } from "./decode";
import { parseStackConfig, StackConfig } from "./stack-config";

export * from "./agent-pod";
export * from "./decode";
export * from "./stack-config";

/**
 * Whether the engine marked a key secret. The SDK keeps this internal, so it is looked up and
 * checked; without it no key counts as secret.
 */
function isConfigSecret(key: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtimeConfig = require("@pulumi/pulumi/runtime/config") as {
    isConfigSecret?: (k: string) => boolean;
  };
  return typeof runtimeConfig.isConfigSecret === "function" && runtimeConfig.isConfigSecret(key);
}

/**
 * The stack's configuration. On any mistake it throws a `RunError` listing every problem, one per
 * line: Pulumi prints such errors without a stack trace, and nothing has been created yet.
 */
export function readStackConfig(): StackConfig {
  const all = pulumi.runtime.allConfig();
  const secretKeys = Object.keys(all).filter((key) => isConfigSecret(key));
  const result = parseStackConfig(decodeConfig(all), secretKeys, pulumi.getStack());
  if (!result.ok) {
    throw new pulumi.RunError(`invalid stack configuration:\n${result.problems.join("\n")}`);
  }
  return result.config;
}
