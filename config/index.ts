/**
 * Reads the stack's configuration from the Pulumi runtime and parses it. The only module that
 * touches `pulumi.runtime` config; everything else takes the typed {@link StackConfig}.
 */
import * as pulumi from "@pulumi/pulumi";
import { decodeConfig } from "./decode";
import { parseStackConfig, StackConfig } from "./stack-config";

export * from "./decode";
export * from "./stack-config";

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
