/**
 * Names of log groups, secrets and KMS aliases.
 * - CloudWatch Logs CreateLogGroup `logGroupName`: 1-512 characters of `[\.\-_/#A-Za-z0-9]`
 *   (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html).
 * - Secrets Manager CreateSecret `Name`: 1-512 characters, ASCII letters, digits and `/_+=.@-`
 *   (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html).
 * - KMS CreateAlias `AliasName`: 1-256 characters, begins with `alias/`, letters, digits and
 *   `/_-`, never `alias/aws/` (reserved for AWS managed keys)
 *   (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html,
 *   https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html).
 * - EKS CreateCluster `name`: 1-100 characters, `^[0-9A-Za-z][A-Za-z0-9\-_]*`
 *   (https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html).
 * - ECS CreateCluster `clusterName`, CreateService `serviceName` and RegisterTaskDefinition
 *   `family`: up to 255 letters, digits, hyphens and underscores
 *   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html,
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html,
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html).
 *
 * Stack names flow into several of these, and Pulumi allows periods in stack names where EKS, ECS
 * and KMS do not.
 */
import type { PlannedResource } from "../engine";
import { describeName, Finding, findings, plannedName, PlanView, refusedCharacters, Rule } from "./rule";
import { TYPES } from "../../policy/lib/types";

/** One character of an EKS cluster or ECS name. */
const ECS_NAME_CHARACTER = /^[A-Za-z0-9_-]$/;

interface NameRule {
  readonly type: string;
  /** The input holding the name, when it is not `name`. */
  readonly field?: string;
  readonly what: string;
  readonly max: number;
  readonly character: RegExp;
  readonly characters: string;
  readonly extra?: (text: string) => string | undefined;
}

export const NAME_RULES: readonly NameRule[] = [
  {
    type: TYPES.logGroup,
    what: "log group",
    max: 512,
    character: /^[.\-_/#A-Za-z0-9]$/,
    characters: "letters, digits and . - _ / #",
  },
  {
    type: TYPES.secret,
    what: "secret",
    max: 512,
    character: /^[A-Za-z0-9/_+=.@-]$/,
    characters: "letters, digits and / _ + = . @ -",
  },
  {
    type: TYPES.kmsAlias,
    what: "KMS alias",
    max: 256,
    character: /^[A-Za-z0-9/_-]$/,
    characters: "letters, digits and / _ -",
    extra: (text) =>
      !text.startsWith("alias/")
        ? "does not begin with alias/"
        : text.startsWith("alias/aws/")
          ? "begins with alias/aws/, which AWS keeps for its own keys"
          : undefined,
  },
  {
    type: TYPES.eksCluster,
    what: "EKS cluster",
    max: 100,
    character: ECS_NAME_CHARACTER,
    characters: "letters, digits, _ and -",
    extra: (text) => (/^[0-9A-Za-z]/.test(text) ? undefined : "does not begin with a letter or digit"),
  },
  {
    type: TYPES.ecsCluster,
    what: "ECS cluster",
    max: 255,
    character: ECS_NAME_CHARACTER,
    characters: "letters, digits, _ and -",
  },
  {
    type: TYPES.ecsService,
    what: "ECS service",
    max: 255,
    character: ECS_NAME_CHARACTER,
    characters: "letters, digits, _ and -",
  },
  {
    type: TYPES.taskDefinition,
    field: "family",
    what: "task definition family",
    max: 255,
    character: ECS_NAME_CHARACTER,
    characters: "letters, digits, _ and -",
  },
];

const { violation, unknown } = findings("service-name");

function nameFindings(r: PlannedResource, rule: NameRule): Finding[] {
  const name = plannedName(r, rule.field);
  if (name.from === "unknown") return [unknown(r, name.path)];
  const shown = describeName(name);
  const out: Finding[] = [];
  if (name.length > rule.max) {
    out.push(
      violation(
        r,
        name.path,
        `${shown} is longer than the ${rule.max} characters ${rule.what} names may have`,
      ),
    );
  }
  const refused = refusedCharacters(name.text, rule.character);
  if (refused.length > 0) {
    out.push(
      violation(
        r,
        name.path,
        `${shown} has characters ${rule.what} names may not hold (${refused.join(" ")}); allowed: ${rule.characters}`,
      ),
    );
  }
  const extra = rule.extra?.(name.text);
  if (extra) out.push(violation(r, name.path, `${shown} ${extra}`));
  return out;
}

export const serviceNames: Rule = {
  id: "service-name",
  title: "log group, secret, KMS alias, EKS cluster and ECS names",
  check: (plan: PlanView) =>
    NAME_RULES.flatMap((rule) => plan.ofType(rule.type).flatMap((r) => nameFindings(r, rule))),
};
