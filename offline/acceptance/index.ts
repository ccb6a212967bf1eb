/**
 * The offline AWS acceptance check: rules from the AWS API references and quota pages, run over
 * every resource a plan declares. A mock run accepts any input; these rules refuse what AWS
 * would. A rule that cannot decide (a value known only at deploy time) reports a skip, never a pass.
 */
import type { PlannedResource } from "../engine";
import { ec2Descriptions } from "./ec2-descriptions";
import { eksAddonOnce, eksNodeGroupSizes, eksPublicCidrs, eksSubnetZones } from "./eks";
import { elbNames } from "./elb-names";
import { endpointZones } from "./endpoint-zones";
import { fargateSizes, fargateSpot } from "./fargate";
import { iamRoles } from "./iam-names";
import { Finding, PlanView, Rule, Skip, Violation } from "./rule";
import { serviceNames } from "./service-names";
import { tags } from "./tags";

export type { Finding, Rule, Skip, Violation } from "./rule";

/** Every rule, in the order the output lists them. */
export const RULES: readonly Rule[] = [
  ec2Descriptions,
  elbNames,
  iamRoles,
  tags,
  serviceNames,
  fargateSizes,
  fargateSpot,
  eksPublicCidrs,
  eksSubnetZones,
  eksNodeGroupSizes,
  eksAddonOnce,
  endpointZones,
];

/** What the check found. */
export interface AcceptanceReport {
  readonly rules: number;
  readonly resources: number;
  readonly violations: Violation[];
  readonly skipped: Skip[];
}

/** Runs `rules` over the resources of a plan. */
export function checkAcceptance(
  resources: readonly PlannedResource[],
  rules: readonly Rule[] = RULES,
): AcceptanceReport {
  const plan = new PlanView(resources);
  const found: Finding[] = rules.flatMap((rule) => rule.check(plan));
  return {
    rules: rules.length,
    resources: resources.filter((r) => r.custom).length,
    violations: found.filter((f): f is Violation => f.kind === "violation"),
    skipped: found.filter((f): f is Skip => f.kind === "skip"),
  };
}

const subject = (f: Finding) => `${f.resource.name} (${f.resource.type}) ${f.input}`;

/** One line per violation, then one per skip, then the summary line. */
export function renderAcceptance(report: AcceptanceReport): string[] {
  const reasons = new Map<string, number>();
  for (const s of report.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
  const skippedText =
    report.skipped.length === 0
      ? "0 skipped"
      : `${report.skipped.length} skipped (${[...reasons].map(([reason, n]) => `${n} ${reason}`).join("; ")})`;
  return [
    ...report.violations.map((v) => `violation [${v.rule}] ${subject(v)}: ${v.message}`),
    ...report.skipped.map((s) => `skipped [${s.rule}] ${subject(s)}: ${s.reason}`),
    `acceptance check: ${report.rules} rules over ${report.resources} resources; ${report.violations.length} violation${report.violations.length === 1 ? "" : "s"}, ${skippedText}`,
  ];
}
