/**
 * The UI load balancer's listeners and who may reach them, as a pure plan. Rules:
 * - with a certificate: HTTPS 443 forwards to Jenkins, HTTP 80 only redirects to HTTPS;
 * - without one: HTTP 80 forwards, and is never opened to the whole internet;
 * - sources are the allowed CIDRs; else the whole internet on 443 for a public load balancer that
 *   signs users in through the identity provider first (`authenticate-oidc`); else the master VPC;
 * - with OIDC, the HTTPS listener authenticates every request before forwarding it.
 */

/** Anywhere. */
export const ANYWHERE = "0.0.0.0/0";

/**
 * The identity provider the load balancer signs users in with (its `authenticate-oidc` action).
 * Source: Elastic Load Balancing API reference, AuthenticateOidcActionConfig: issuer and the three
 * endpoints are required full https URLs; the client secret is required when the rule is created.
 */
export interface UiOidc {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userInfoEndpoint: string;
  readonly clientId: string;
  /** Secrets Manager secret holding the client secret (read at deploy time, never in config). */
  readonly clientSecretArn: string;
}

/** The OIDC settings when every one is given, else undefined (config validation refuses a part). */
export function completeOidc(
  oidc: Partial<Record<keyof UiOidc, string | undefined>> | undefined,
): UiOidc | undefined {
  if (!oidc) return undefined;
  const { issuer, authorizationEndpoint, tokenEndpoint, userInfoEndpoint, clientId, clientSecretArn } = oidc;
  return issuer && authorizationEndpoint && tokenEndpoint && userInfoEndpoint && clientId && clientSecretArn
    ? { issuer, authorizationEndpoint, tokenEndpoint, userInfoEndpoint, clientId, clientSecretArn }
    : undefined;
}

/** Inputs of {@link planUi}. */
export interface UiInputs {
  readonly internetFacing: boolean;
  readonly certificateArn?: string;
  /** The load balancer signs users in before forwarding (HTTPS only). */
  readonly authenticate?: boolean;
  readonly allowedCidrs: readonly string[];
  /** The master VPC's block: the default source of an internal load balancer. */
  readonly vpcCidrBlock: string;
}

/** One listener. */
export interface UiListener {
  readonly port: 80 | 443;
  readonly protocol: "HTTP" | "HTTPS";
  readonly action: "forward" | "authenticate-then-forward" | "redirect-to-https";
}

/** One ingress rule of the load balancer's security group. */
export interface UiIngress {
  readonly port: 80 | 443;
  readonly cidr: string;
  readonly description: string;
}

/** The plan. */
export interface UiPlan {
  readonly scheme: "http" | "https";
  readonly listeners: readonly UiListener[];
  readonly ingress: readonly UiIngress[];
}

/** Plans listeners and ingress for the UI load balancer. */
export function planUi(inputs: UiInputs): UiPlan {
  if (inputs.allowedCidrs.includes(ANYWHERE)) {
    // Config validation refuses it (config/address-space.ts); never drop it silently here.
    throw new Error(
      `allowedCidrs holds ${ANYWHERE}: an allow-list must name networks, not the whole internet`,
    );
  }
  const https = inputs.certificateArn !== undefined;
  if (inputs.authenticate && !https) {
    throw new Error("the load balancer authenticates only on an HTTPS listener: a certificate is needed");
  }
  // A public load balancer is opened to the internet only behind the identity provider.
  const sources =
    inputs.allowedCidrs.length > 0
      ? [...inputs.allowedCidrs]
      : https && inputs.internetFacing && inputs.authenticate
        ? [ANYWHERE]
        : [inputs.vpcCidrBlock];
  if (!https) {
    return {
      scheme: "http",
      listeners: [{ port: 80, protocol: "HTTP", action: "forward" }],
      ingress: sources.map((cidr) => ({ port: 80, cidr, description: `Jenkins UI over HTTP from ${cidr}` })),
    };
  }
  return {
    scheme: "https",
    listeners: [
      { port: 443, protocol: "HTTPS", action: inputs.authenticate ? "authenticate-then-forward" : "forward" },
      { port: 80, protocol: "HTTP", action: "redirect-to-https" },
    ],
    ingress: [
      ...sources.map((cidr) => ({
        port: 443 as const,
        cidr,
        description: `Jenkins UI over HTTPS from ${cidr}`,
      })),
      ...sources
        .filter((cidr) => cidr !== ANYWHERE)
        .map((cidr) => ({ port: 80 as const, cidr, description: `Redirect to HTTPS for ${cidr}` })),
    ],
  };
}

/** How the UI's target group checks Jenkins: the login page answers 200 without a session. */
export const UI_HEALTH_CHECK = {
  path: "/login",
  protocol: "HTTP",
  matcher: "200",
  interval: 30,
  timeout: 10,
  healthyThreshold: 2,
  unhealthyThreshold: 5,
} as const;

/**
 * A listener's default actions: a permanent redirect to HTTPS; or sign-in through the identity
 * provider first (order 1), then forward (order 2); or forward. `V` is how the target group's ARN
 * and the client secret are given (plain strings, or deploy-time values).
 */
export function listenerActions<V>(
  action: UiListener["action"],
  targetGroupArn: V,
  signIn?: { readonly oidc: UiOidc; readonly clientSecret: V },
) {
  const forward = { type: "forward", targetGroupArn };
  if (action === "redirect-to-https") {
    return [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }];
  }
  if (action === "authenticate-then-forward" && signIn) {
    const { oidc, clientSecret } = signIn;
    return [
      {
        type: "authenticate-oidc",
        order: 1,
        authenticateOidc: {
          issuer: oidc.issuer,
          authorizationEndpoint: oidc.authorizationEndpoint,
          tokenEndpoint: oidc.tokenEndpoint,
          userInfoEndpoint: oidc.userInfoEndpoint,
          clientId: oidc.clientId,
          clientSecret,
          onUnauthenticatedRequest: "authenticate",
          scope: "openid",
        },
      },
      { ...forward, order: 2 },
    ];
  }
  return [forward];
}
