/**
 * A public (internet-facing) UI is never open to everyone with only Jenkins' password in the way:
 * it needs an allow-list of client networks or the load balancer's OIDC sign-in in front, and it
 * keeps access logs. The OIDC settings name a Secrets Manager secret for the client secret; the
 * secret itself never appears in stack configuration.
 */
import { configKey } from "./keys";
import { Problems, show } from "./schema";
import type { StackConfig } from "./stack-schema";

/**
 * Issuer and endpoints of the identity provider. Source: Elastic Load Balancing API reference,
 * AuthenticateOidcActionConfig: "This must be a full URL, including the HTTPS protocol, the
 * domain, and the path."
 */
export function httpsUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "not a URL";
  }
  if (url.protocol !== "https:") return "the load balancer requires https";
  return /^[a-z0-9.-]+$/i.test(url.hostname) && !/\s/.test(value) ? undefined : "not a host name";
}

/**
 * Secrets Manager secret ARNs, full (`...:secret:name-AbCdEf`) or partial (`...:secret:name`).
 * Secret names: letters, digits and /_+=.@- (Secrets Manager API reference, CreateSecret Name).
 */
export function secretArnProblem(value: string): string | undefined {
  return /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$/.test(value)
    ? undefined
    : "not a Secrets Manager secret ARN";
}

/** The OIDC settings of the UI, and each key's name. */
export const OIDC_KEYS = [
  "issuer",
  "authorizationEndpoint",
  "tokenEndpoint",
  "userInfoEndpoint",
  "clientId",
  "clientSecretArn",
] as const;

/** The OIDC keys the UI sets. */
function oidcGiven(config: StackConfig): (typeof OIDC_KEYS)[number][] {
  return OIDC_KEYS.filter((k) => config.controller.ui.oidc[k] !== undefined);
}

/** Whether the UI signs users in at the load balancer (every OIDC key set). */
function signsIn(config: StackConfig): boolean {
  return oidcGiven(config).length === OIDC_KEYS.length;
}

/** The OIDC settings: all six keys or none. */
export function checkOidcComplete(config: StackConfig, problems: Problems): void {
  const oidcKey = configKey("controller.ui.oidc");
  const given = oidcGiven(config);
  if (given.length === 0 || given.length === OIDC_KEYS.length || problems.has(oidcKey)) return;
  for (const k of OIDC_KEYS.filter((k) => config.controller.ui.oidc[k] === undefined)) {
    problems.add(
      `${oidcKey}.${k}`,
      `missing while controller.ui.oidc.${given[0]} is set; expected every one of ${OIDC_KEYS.join(", ")}`,
    );
  }
}

/**
 * A setting needed while a condition holds: a problem for `path` when the condition (`text`, as
 * the message names it) holds, `value` is unset and nothing was reported for `path` yet.
 */
export function requiredWhile(
  problems: Problems,
  path: string,
  value: unknown,
  condition: { readonly holds: boolean; readonly text: string },
  expected: string,
): void {
  const key = configKey(path);
  if (condition.holds && value === undefined && !problems.has(key)) {
    problems.add(key, `got nothing with ${condition.text}; expected ${expected}`);
  }
}

/** OIDC sign-in needs a certificate: the load balancer authenticates on HTTPS listeners only. */
export function checkOidcCertificate(config: StackConfig, problems: Problems): void {
  requiredWhile(
    problems,
    "controller.ui.certificateArn",
    config.controller.ui.certificateArn,
    { holds: signsIn(config), text: "controller.ui.oidc set" },
    "a certificate: the load balancer signs users in on HTTPS listeners only",
  );
}

/** A public UI admits an allow-list of client networks, or signs users in with OIDC. */
export function checkPublicUiAllowList(config: StackConfig, problems: Problems): void {
  const ui = config.controller.ui;
  const cidrsKey = configKey("controller.ui.allowedCidrs");
  if (
    ui.internetFacing &&
    ui.allowedCidrs.length === 0 &&
    !signsIn(config) &&
    !problems.has(cidrsKey) &&
    !problems.has(configKey("controller.ui.oidc"))
  ) {
    problems.add(
      cidrsKey,
      "got [] with controller.ui.internetFacing true; expected the client networks allowed to reach the UI, or controller.ui.oidc to sign users in at the load balancer",
    );
  }
}

/** A public UI keeps access logs. */
export function checkPublicUiAccessLogs(config: StackConfig, problems: Problems): void {
  const ui = config.controller.ui;
  requiredWhile(
    problems,
    "controller.ui.accessLogsBucket",
    ui.accessLogsBucket,
    { holds: ui.internetFacing, text: "controller.ui.internetFacing true" },
    "an S3 bucket for the public load balancer's access logs",
  );
}

/** A public UI serves HTTPS, unless the stack is `throwaway` (a short-lived environment). */
export function checkPublicUiCertificate(config: StackConfig, problems: Problems): void {
  const ui = config.controller.ui;
  const key = configKey("controller.ui.certificateArn");
  if (ui.internetFacing && ui.certificateArn === undefined && !config.throwaway && !problems.has(key)) {
    problems.add(
      key,
      `got ${show(ui.certificateArn)} with controller.ui.internetFacing true; expected a certificate for a public UI (or throwaway: true for a short-lived environment)`,
    );
  }
}
