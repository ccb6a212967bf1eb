/**
 * EC2 security group and rule descriptions. CreateSecurityGroup `GroupDescription` and the rule
 * descriptions (IpRange, UserIdGroupPair, SecurityGroupRuleRequest `Description`) take up to 255
 * characters of a-z, A-Z, 0-9, spaces and `._-:/()#,@[]+=&;{}!$*`
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html,
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html); anything else, such
 * as an apostrophe, fails the call.
 */
import type { PlannedResource } from "../engine";
import { Finding, findings, isUnknown, PlanView, refusedCharacters, Rule } from "./rule";
import { SECURITY_GROUP_RULE_TYPES, SECURITY_GROUP_TYPES } from "../../policy/lib/types";

/** One character EC2 accepts in a group or rule description. */
export const EC2_DESCRIPTION_CHARACTER = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]$/;
export const EC2_DESCRIPTION_MAX = 255;

const { violation, unknown } = findings("ec2-description");

/** Problems of one description, or nothing. */
export function descriptionFindings(resource: PlannedResource, path: string, value: unknown): Finding[] {
  if (value === undefined) return [];
  if (isUnknown(value) || typeof value !== "string") {
    return [unknown(resource, path)];
  }
  const out: Finding[] = [];
  const refused = refusedCharacters(value, EC2_DESCRIPTION_CHARACTER);
  if (refused.length > 0) {
    out.push(
      violation(
        resource,
        path,
        `${JSON.stringify(value)} has characters EC2 refuses (${refused.map((c) => JSON.stringify(c)).join(" ")}); it accepts a-zA-Z0-9, space and ._-:/()#,@[]+=&;{}!$*`,
      ),
    );
  }
  if (value.length > EC2_DESCRIPTION_MAX) {
    out.push(
      violation(resource, path, `is ${value.length} characters; EC2 accepts at most ${EC2_DESCRIPTION_MAX}`),
    );
  }
  return out;
}

export const ec2Descriptions: Rule = {
  id: "ec2-description",
  title: "security group and rule descriptions: EC2's characters, at most 255",
  check(plan: PlanView): Finding[] {
    const out: Finding[] = [];
    for (const r of plan.resources.filter((r) => r.custom && SECURITY_GROUP_TYPES.includes(r.type))) {
      out.push(...descriptionFindings(r, "description", r.inputs.description));
      for (const direction of ["ingress", "egress"]) {
        const rules = r.inputs[direction];
        if (Array.isArray(rules)) {
          rules.forEach((rule: { description?: unknown }, i) =>
            out.push(...descriptionFindings(r, `${direction}[${i}].description`, rule?.description)),
          );
        }
      }
    }
    for (const r of plan.resources.filter((r) => r.custom && SECURITY_GROUP_RULE_TYPES.includes(r.type))) {
      out.push(...descriptionFindings(r, "description", r.inputs.description));
    }
    return out;
  },
};
