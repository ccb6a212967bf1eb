/**
 * IAM role names and descriptions. CreateRole: `RoleName` 1-64 characters of `[\w+=,.@-]`,
 * `Description` at most 1000 characters of `[\t\n\r\u0020-\u007E\u00A1-\u00FF]`
 * (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html). A `namePrefix` gets
 * a 26-character unique suffix, so it may be at most 38 characters (the provider's documented
 * limit for `name_prefix`).
 */
import { describeName, Finding, isUnknown, plannedName, refusedCharacters, resourceRule } from "./rule";
import { TYPES } from "../../policy/lib/types";

export const ROLE_NAME_MAX = 64;
export const ROLE_DESCRIPTION_MAX = 1000;
const ROLE_NAME_CHARACTER = /^[\w+=,.@-]$/;
const ROLE_DESCRIPTION_CHARACTER = /^[\t\n\r\u0020-\u007E\u00A1-\u00FF]$/;

export const iamRoles = resourceRule(
  "iam-role",
  "IAM role names (64; prefixes 38) and descriptions",
  [TYPES.role],
  (r, { violation, unknown }) => {
    const out: Finding[] = [];
    const name = plannedName(r);
    if (name.from === "unknown") {
      out.push(unknown(r, name.path));
    } else {
      if (name.length > ROLE_NAME_MAX) {
        out.push(violation(r, name.path, `${describeName(name)} is longer than ${ROLE_NAME_MAX} characters`));
      }
      const refused = refusedCharacters(name.text, ROLE_NAME_CHARACTER);
      if (refused.length > 0) {
        out.push(
          violation(r, name.path, `${describeName(name)} has characters IAM refuses (${refused.join(" ")})`),
        );
      }
    }
    const description = r.inputs.description;
    if (typeof description === "string" && !isUnknown(description)) {
      if (description.length > ROLE_DESCRIPTION_MAX) {
        out.push(
          violation(
            r,
            "description",
            `is ${description.length} characters; IAM accepts at most ${ROLE_DESCRIPTION_MAX}`,
          ),
        );
      }
      const refused = refusedCharacters(description, ROLE_DESCRIPTION_CHARACTER);
      if (refused.length > 0) {
        out.push(
          violation(
            r,
            "description",
            `${JSON.stringify(description)} has characters IAM refuses (${refused.join(" ")})`,
          ),
        );
      }
    } else if (description !== undefined) {
      out.push(unknown(r, "description"));
    }
    return out;
  },
);
