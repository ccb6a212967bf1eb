/**
 * A public (internet-facing) UI is never open to everyone with only Jenkins' password in the way:
 * it needs an allow-list of client networks or the load balancer's OIDC sign-in in front, and it
 * keeps access logs. The OIDC settings name a Secrets Manager secret for the client secret; the
 * secret itself never appears in stack configuration.
 */
import { Problems } from "./schema";
import type { StackConfig } from "./stack-config";

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

/** Checks a public UI's protection and the OIDC settings' completeness. */
export function checkPublicUi(config: StackConfig, key: (path: string) => string, problems: Problems): void {
  const ui = config.controller.ui;
  const oidcKey = key("controller.ui.oidc");
  const given = OIDC_KEYS.filter((k) => ui.oidc[k] !== undefined);
  if (given.length > 0 && given.length < OIDC_KEYS.length && !problems.has(oidcKey)) {
    for (const k of OIDC_KEYS.filter((k) => ui.oidc[k] === undefined)) {
      problems.add(
        `${oidcKey}.${k}`,
        `missing while controller.ui.oidc.${given[0]} is set; expected every one of ${OIDC_KEYS.join(", ")}`,
      );
    }
  }
  const oidc = given.length === OIDC_KEYS.length;
  if (oidc && ui.certificateArn === undefined && !problems.has(key("controller.ui.certificateArn"))) {
    problems.add(
      key("controller.ui.certificateArn"),
      "got nothing with controller.ui.oidc set; expected a certificate: the load balancer signs users in on HTTPS listeners only",
    );
  }
  if (!ui.internetFacing) return;
  const cidrsKey = key("controller.ui.allowedCidrs");
  if (ui.allowedCidrs.length === 0 && !oidc && !problems.has(cidrsKey) && !problems.has(oidcKey)) {
    problems.add(
      cidrsKey,
      "got [] with controller.ui.internetFacing true; expected the client networks allowed to reach the UI, or controller.ui.oidc to sign users in at the load balancer",
    );
  }
  const logsKey = key("controller.ui.accessLogsBucket");
  if (ui.accessLogsBucket === undefined && !problems.has(logsKey)) {
    problems.add(
      logsKey,
      "got nothing with controller.ui.internetFacing true; expected an S3 bucket for the public load balancer's access logs",
    );
  }
}
