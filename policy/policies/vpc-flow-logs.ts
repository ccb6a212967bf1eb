/**
 * vpc-flow-logs: every VPC of the stack has a flow log (`aws:ec2/flowLog:FlowLog` whose `vpcId`
 * is that VPC), as `Network` declares for both of its VPCs.
 *
 * Matching, in order:
 * 1. the engine recorded that the flow log's `vpcId` was computed from the VPC (policy runs);
 * 2. `vpcId` holds the VPC's known ID (existing resources, mock plans);
 * 3. `vpcId` is unknown and no dependency was recorded for it: a flow log with the same parent
 *    as the VPC counts (both children of one `Network`).
 * Limit: a flow log outside the stack, or one whose VPC cannot be matched by any of these, does
 * not count, so such a VPC is reported.
 */
import {
  hasDependencyRecord,
  isUnknown,
  mandatoryStackPolicy,
  refersTo,
  Resource,
  Violation,
  violation,
} from "../lib/resources";
import { TYPES } from "../lib/types";

/** Whether a flow log records a VPC's traffic. */
export function flowLogCovers(flowLog: Resource, vpc: Resource): boolean {
  if (refersTo(flowLog, "vpcId", vpc)) return true;
  return (
    isUnknown(flowLog.props.vpcId) &&
    !hasDependencyRecord(flowLog, "vpcId") &&
    flowLog.parent !== undefined &&
    flowLog.parent === vpc.parent
  );
}

/** Every VPC without a flow log. */
export function checkFlowLogs(resources: readonly Resource[]): Violation[] {
  const flowLogs = resources.filter((r) => r.type === TYPES.flowLog);
  return resources
    .filter((r) => r.type === TYPES.vpc)
    .filter((vpc) => !flowLogs.some((f) => flowLogCovers(f, vpc)))
    .map((vpc) => violation(vpc, `no ${TYPES.flowLog} records its traffic (VPC ID ${vpc.id ?? "unknown"})`));
}

export const vpcFlowLogs = mandatoryStackPolicy(
  "vpc-flow-logs",
  "Every VPC has a VPC flow log (aws:ec2/flowLog:FlowLog with its vpcId), so traffic on both sides " +
    "of the agent path can be audited.",
  checkFlowLogs,
);
