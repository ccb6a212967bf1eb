/**
 * Reading a stack's config values into one typed {@link StackConfig}: the schema's parse with its
 * defaults, `aws:region` and the AWS CLI's credentials, the checks across keys, and what
 * `throwaway` means for the deletion protections. Pure: values in, a config or every problem out.
 */
import { regionPartition } from "./aws-facts";
import { checkStackName, REGION_PATTERN } from "./checks";
import { checkAcrossKeys } from "./cross-checks";
import { NAMESPACE, REGION_KEY } from "./keys";
import { Problems } from "./schema";
import { STACK_SCHEMA, StackConfig } from "./stack-schema";

/** Outcome of {@link parseStackConfig}. */
export type ParseResult = { ok: true; config: StackConfig } | { ok: false; problems: string[] };

/**
 * Parses the stack's config values (keys as `namespace:key`, values as the engine gives them:
 * scalars as text, objects decoded from JSON) into one typed object, or every problem found.
 * `secretKeys` names the keys whose values are secret; none of this project's may be.
 * Keys of other namespaces (`aws:profile`, ...) are ignored except `aws:region`. `stack`, when
 * given, is the stack's name, which becomes part of resource names.
 */
export function parseStackConfig(
  values: Readonly<Record<string, unknown>>,
  secretKeys: readonly string[] = [],
  stack?: string,
): ParseResult {
  const problems = new Problems();
  if (stack !== undefined) checkStackName(stack, problems);
  for (const key of secretKeys.filter((k) => k.startsWith(NAMESPACE)).sort()) {
    // Values read this way reach resource inputs and state as plain text: refuse rather than leak.
    problems.add(
      key,
      "holds a secret; expected a plain value: no setting of this project is secret (the admin password is generated)",
    );
  }
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key.startsWith(NAMESPACE) && !secretKeys.includes(key)) {
      own[key.slice(NAMESPACE.length)] = value;
    }
  }
  const parsed = STACK_SCHEMA.parse(own, NAMESPACE, problems);

  const region = values[REGION_KEY];
  if (region === undefined) {
    problems.add(
      REGION_KEY,
      "missing; expected an AWS region such as us-east-1 (pulumi config set aws:region us-east-1)",
    );
  } else if (typeof region !== "string" || !REGION_PATTERN.test(region) || !regionPartition(region)) {
    problems.invalid(REGION_KEY, region, "an AWS region the AWS SDK lists, such as us-east-1");
  }
  const config: StackConfig = {
    ...parsed,
    region: typeof region === "string" ? region : "",
    awsCli: awsCliSettings(values),
  };
  checkAcrossKeys(config, problems, { given: own, today: new Date().toISOString().slice(0, 10) });

  return problems.count === 0
    ? { ok: true, config: withThrowawayProtections(config) }
    : { ok: false, problems: problems.lines() };
}

/** The AWS provider's profile and assumed role, for the AWS CLI. */
function awsCliSettings(values: Readonly<Record<string, unknown>>): StackConfig["awsCli"] {
  const profile = values["aws:profile"];
  const roles = values["aws:assumeRoles"] ?? (values["aws:assumeRole"] ? [values["aws:assumeRole"]] : []);
  const first = Array.isArray(roles) ? (roles[0] as { roleArn?: unknown } | undefined) : undefined;
  return {
    ...(typeof profile === "string" && profile ? { profile } : {}),
    ...(typeof first?.roleArn === "string" ? { roleArn: first.roleArn } : {}),
  };
}

/**
 * The deletion protections as deployed: a `throwaway` stack has none, whatever the protection
 * keys say, so that `pulumi destroy` is never blocked. Components take these values as they are.
 */
export function withThrowawayProtections(config: StackConfig): StackConfig {
  if (!config.throwaway) return config;
  const { controller, gateway } = config;
  return {
    ...config,
    controller: {
      ...controller,
      homeDeletionProtection: false,
      ui: { ...controller.ui, deletionProtection: false },
    },
    gateway: { ...gateway, deletionProtection: false },
  };
}
