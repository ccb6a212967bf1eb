/**
 * log-and-key-policies: every CloudWatch log group is encrypted with a customer-managed key
 * (`kmsKeyId`), and every KMS key carries a written policy instead of AWS's default: no statement
 * allows `kms:*`, any statement for CloudWatch Logs is limited to named log groups by
 * `kms:EncryptionContext:aws:logs:arn`, and any data use by account principals goes through a
 * service (`kms:ViaService`).
 *
 * A policy or key reference that is unknown during a preview is checked when `pulumi up`
 * validates the resource again.
 */
import {
  asList,
  asObject,
  hasKey,
  isUnknown,
  mandatoryResourcePolicy,
  Resource,
  show,
  Violation,
  violation,
} from "../lib/resources";
import { TYPES } from "../lib/types";

/** Actions that use key material (not administration). */
const DATA_ACTIONS =
  /^kms:(Encrypt|Decrypt|ReEncrypt|GenerateDataKey|Sign|Verify|GenerateMac|VerifyMac|DeriveSharedSecret)/i;

/** What is wrong with one key policy statement, if anything. */
function statementProblems(statement: Record<string, unknown>, index: number): string[] {
  if (statement.Effect !== "Allow") return [];
  const actions = asList(statement.Action).map(String);
  const where = `statement ${String(statement.Sid ?? index)}`;
  const problems: string[] = [];
  if (actions.some((a) => a === "*" || a.toLowerCase() === "kms:*")) {
    problems.push(`${where} allows kms:*; write out the actions each principal needs`);
  }
  const principal = asObject(statement.Principal) ?? {};
  const conditions = JSON.stringify(statement.Condition ?? {});
  const services = asList(principal.Service).map(String);
  if (
    services.some((s) => s.startsWith("logs.")) &&
    !conditions.includes("kms:EncryptionContext:aws:logs:arn")
  ) {
    problems.push(
      `${where} lets CloudWatch Logs use the key without a kms:EncryptionContext:aws:logs:arn condition`,
    );
  }
  // A whole account (its root, or `*`) may use the key for data only through a service; a named
  // role may use it directly.
  const wholeAccount = asList(principal.AWS)
    .map(String)
    .some((p) => p === "*" || /:root$/.test(p) || /^\d{12}$/.test(p));
  if (wholeAccount && actions.some((a) => DATA_ACTIONS.test(a)) && !conditions.includes("kms:ViaService")) {
    problems.push(`${where} lets account principals use the key for data without a kms:ViaService condition`);
  }
  return problems;
}

/** The violations of one resource. */
export function checkLogAndKeyPolicies(resource: Resource): Violation[] {
  const p = resource.props;
  if (resource.type === TYPES.logGroup) {
    const key = p.kmsKeyId;
    return hasKey(key)
      ? []
      : [
          violation(
            resource,
            `kmsKeyId is ${show(key)}; encrypt the log group with a customer-managed KMS key`,
          ),
        ];
  }
  if (resource.type !== TYPES.kmsKey || isUnknown(p.policy)) return [];
  if (typeof p.policy !== "string" || p.policy.trim() === "") {
    return [
      violation(
        resource,
        "policy is unset, so AWS applies its default (kms:* for the whole account); write the key policy out",
      ),
    ];
  }
  let document: unknown;
  try {
    document = JSON.parse(p.policy);
  } catch {
    return [violation(resource, "policy is not JSON")];
  }
  return asList(asObject(document)?.Statement)
    .flatMap((s, i) => statementProblems(asObject(s) ?? {}, i))
    .map((problem) => violation(resource, problem));
}

export const logAndKeyPolicies = mandatoryResourcePolicy(
  "log-and-key-policies",
  "Log groups are encrypted with a customer-managed KMS key, and every KMS key has a written, least-privilege " +
    "policy: no kms:*, CloudWatch Logs limited to named log groups, data use only through services.",
  checkLogAndKeyPolicies,
);
