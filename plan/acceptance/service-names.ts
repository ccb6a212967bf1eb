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
 */
import type { PlannedResource } from "../engine";
import { describeName, Finding, findings, plannedName, PlanView, refusedCharacters, Rule } from "./rule";

interface NameRule {
  readonly type: string;
  readonly what: string;
  readonly max: number;
  readonly character: RegExp;
  readonly characters: string;
  readonly extra?: (text: string) => string | undefined;
}

export const NAME_RULES: readonly NameRule[] = [
  {
    type: "aws:cloudwatch/logGroup:LogGroup",
    what: "log group",
    max: 512,
    character: /^[.\-_/#A-Za-z0-9]$/,
    characters: "letters, digits and . - _ / #",
  },
  {
    type: "aws:secretsmanager/secret:Secret",
    what: "secret",
    max: 512,
    character: /^[A-Za-z0-9/_+=.@-]$/,
    characters: "letters, digits and / _ + = . @ -",
  },
  {
    type: "aws:kms/alias:Alias",
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
];

const { violation, skip } = findings("service-name");

function nameFindings(r: PlannedResource, rule: NameRule): Finding[] {
  const name = plannedName(r);
  if (name.from === "unknown") return [skip(r, name.path, "computed at deploy time")];
  const shown = describeName(name);
  const out: Finding[] = [];
  if (name.length > rule.max) {
    out.push(
      violation(
        r,
        name.path,
        `${shown} is longer than the ${rule.max} characters a ${rule.what} name may have`,
      ),
    );
  }
  const refused = refusedCharacters(name.text, rule.character);
  if (refused.length > 0) {
    out.push(
      violation(
        r,
        name.path,
        `${shown} has characters a ${rule.what} name may not (${refused.join(" ")}); allowed: ${rule.characters}`,
      ),
    );
  }
  const extra = rule.extra?.(name.text);
  if (extra) out.push(violation(r, name.path, `${shown} ${extra}`));
  return out;
}

export const serviceNames: Rule = {
  id: "service-name",
  title: "log group (512), secret (512) and KMS alias (256) names",
  check: (plan: PlanView) =>
    NAME_RULES.flatMap((rule) => plan.ofType(rule.type).flatMap((r) => nameFindings(r, rule))),
};
