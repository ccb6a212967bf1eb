/**
 * Allow-lists are judged by the address space they cover, not by their text: `0.0.0.0/1` plus
 * `128.0.0.0/1` is the whole internet as surely as `0.0.0.0/0`. A list that covers more public
 * IPv4 addresses than `allowListMaxPrefix` allows is refused with a message, never trimmed.
 */
import { allowListProblem } from "../policy/lib/address-space";
import { configKey } from "./keys";
import { Problems } from "./schema";
import type { StackConfig } from "./stack-schema";

/** Records a problem under `key` when `cidrs` together cover more public space than a /`maxPrefix`. */
export function checkAllowList(
  key: string,
  cidrs: readonly string[],
  maxPrefix: number,
  problems: Problems,
): void {
  if (problems.has(key)) return;
  const reason = allowListProblem(cidrs, maxPrefix);
  if (reason !== undefined) {
    problems.invalid(key, cidrs, `a narrower allow-list: ${reason} (${configKey("allowListMaxPrefix")})`);
  }
}

/** The UI's and the cluster API's allow-lists. */
export function checkAllowListCoverage(config: StackConfig, problems: Problems): void {
  if (problems.has(configKey("allowListMaxPrefix"))) return;
  const max = config.allowListMaxPrefix;
  const { ui } = config.controller;
  checkAllowList(configKey("controller.ui.allowedCidrs"), ui.allowedCidrs, max, problems);
  checkAllowList(
    configKey("agentCluster.apiAccess.cidrs"),
    config.agentCluster.apiAccess.cidrs,
    max,
    problems,
  );
}
