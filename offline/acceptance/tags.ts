/**
 * Tags: at most 50 user-created tags a resource, keys of 1-128 characters not beginning with
 * `aws:`, values of at most 256 (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html,
 * "Tag naming limits and requirements"; EC2: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions),
 * in the characters every service accepts (IAM and CloudWatch Logs are the strictest). Tags that
 * land on EC2 instances (a launch template's tag specifications, a Karpenter node class's tags)
 * must leave {@link INSTANCE_TAG_RESERVE} free for the tags EKS, auto scaling and Karpenter add.
 */
import { INSTANCE_TAG_RESERVE, MAX_TAGS_PER_RESOURCE, TAG_CHARACTERS } from "../../config/checks";
import type { PlannedResource } from "../engine";
import { TYPES } from "../../policy/lib/types";
import { Finding, findings, isUnknown, PlanView, Rule } from "./rule";

const { violation, skip, unknown } = findings("tags");

/** Problems of one tag map at `path`, allowed at most `max` tags. */
function tagFindings(r: PlannedResource, path: string, tags: unknown, max: number, why: string): Finding[] {
  if (tags === undefined) return [];
  if (typeof tags !== "object" || tags === null || isUnknown(tags)) {
    return [unknown(r, path)];
  }
  const out: Finding[] = [];
  const entries = Object.entries(tags as Record<string, unknown>);
  const counted = entries.filter(([k]) => !k.toLowerCase().startsWith("aws:")).length;
  if (counted > max) {
    out.push(violation(r, path, `has ${counted} tags; at most ${max} ${why}`));
  }
  for (const [key, value] of entries) {
    if (key.toLowerCase().startsWith("aws:")) {
      out.push(violation(r, `${path}.${key}`, "the aws: prefix is reserved for AWS"));
    }
    if (key.length < 1 || key.length > 128) {
      out.push(violation(r, `${path}.${key}`, `the key is ${key.length} characters; tag keys are 1 to 128`));
    }
    if (!TAG_CHARACTERS.test(key)) {
      out.push(
        violation(
          r,
          `${path}.${key}`,
          "the key has characters tags may not hold (letters, digits, spaces and _ . : / = + - @)",
        ),
      );
    }
    if (isUnknown(value)) {
      out.push(skip(r, `${path}.${key}`, "value computed at deploy time"));
    } else if (typeof value !== "string" || value.length > 256) {
      out.push(
        violation(
          r,
          `${path}.${key}`,
          `the value is ${String(value).length} characters; tag values are at most 256`,
        ),
      );
    } else if (!TAG_CHARACTERS.test(value)) {
      out.push(
        violation(
          r,
          `${path}.${key}`,
          `the value ${JSON.stringify(value)} has characters tags may not hold (letters, digits, spaces and _ . : / = + - @)`,
        ),
      );
    }
  }
  return out;
}

const INSTANCE_MAX = MAX_TAGS_PER_RESOURCE - INSTANCE_TAG_RESERVE;
const ON_INSTANCES = `(${MAX_TAGS_PER_RESOURCE} less ${INSTANCE_TAG_RESERVE} kept for the tags EKS, auto scaling and Karpenter add to instances)`;

export const tags: Rule = {
  id: "tags",
  title: `tags: at most ${MAX_TAGS_PER_RESOURCE} (${INSTANCE_MAX} on instances), keys 128, values 256, no aws: prefix`,
  check(plan: PlanView): Finding[] {
    const out: Finding[] = [];
    for (const r of plan.resources.filter((r) => r.custom && r.type.startsWith("aws:"))) {
      out.push(...tagFindings(r, "tags", r.inputs.tags, MAX_TAGS_PER_RESOURCE, "a resource"));
      const specs = r.inputs.tagSpecifications;
      if (Array.isArray(specs)) {
        specs.forEach((spec: { tags?: unknown }, i) =>
          out.push(...tagFindings(r, `tagSpecifications[${i}].tags`, spec?.tags, INSTANCE_MAX, ON_INSTANCES)),
        );
      }
    }
    for (const r of plan.resources.filter((r) => r.type === TYPES.nodeClass)) {
      const spec = r.inputs.spec as { tags?: unknown } | undefined;
      out.push(...tagFindings(r, "spec.tags", spec?.tags, INSTANCE_MAX, ON_INSTANCES));
    }
    return out;
  },
};
