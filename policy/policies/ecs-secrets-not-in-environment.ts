/**
 * ecs-secrets-not-in-environment: no ECS container takes a secret-looking variable (a name that
 * contains PASSWORD, SECRET, TOKEN or KEY, in any case) from its plaintext `environment`; such
 * values come through `secrets` (`valueFrom` Secrets Manager or SSM), as the controller's admin
 * password and cluster token do. `containerDefinitions` is the JSON string the task definition
 * takes. Messages name the variable, never its value.
 *
 * Unknown or secret `containerDefinitions` during a preview are checked when `pulumi up`
 * validates the task definition again with its inputs resolved.
 */
import {
  asList,
  asObject,
  isUnknown,
  Resource,
  Violation,
  violation,
  mandatoryResourcePolicy,
} from "../lib/resources";
import { TYPES } from "../lib/types";

/** Variable names that look like secrets. */
export const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEY/i;
/** How the offline plan masks secret values. */
const MASKED = "[secret]";

/** The container definitions of a task definition, or a problem reading them. */
function containers(value: unknown): { list?: unknown[]; problem?: string } {
  if (value === undefined || isUnknown(value) || value === MASKED) return { list: [] };
  if (Array.isArray(value)) return { list: value };
  if (typeof value !== "string") return { problem: "containerDefinitions is not a JSON string" };
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? { list: parsed } : { problem: "containerDefinitions is not a JSON list" };
  } catch {
    return { problem: "containerDefinitions is not valid JSON" };
  }
}

/** The violations of one resource. */
export function checkTaskEnvironment(resource: Resource): Violation[] {
  if (resource.type !== TYPES.taskDefinition) return [];
  const { list, problem } = containers(resource.props.containerDefinitions);
  if (problem) return [violation(resource, `${problem}; its environment cannot be checked`)];
  return (list ?? []).flatMap((item, i) => {
    const container = asObject(item) ?? {};
    const name = typeof container.name === "string" ? container.name : `#${i}`;
    return asList(container.environment)
      .map((entry) => asObject(entry)?.name)
      .filter((variable): variable is string => typeof variable === "string" && SECRET_NAME.test(variable))
      .map((variable) =>
        violation(
          resource,
          `container "${name}" sets ${variable} in its plaintext environment; pass it through secrets (valueFrom)`,
        ),
      );
  });
}

export const ecsSecretsNotInEnvironment = mandatoryResourcePolicy(
  "ecs-secrets-not-in-environment",
  "ECS task definitions pass secret-looking variables (names containing PASSWORD, SECRET, TOKEN or " +
    "KEY) through secrets, never in a container's plaintext environment.",
  checkTaskEnvironment,
);
