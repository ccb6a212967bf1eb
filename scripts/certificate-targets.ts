/**
 * `pulumi stack export | node -r ts-node/register/transpile-only scripts/certificate-targets.ts`
 *
 * Prints the URN of every TLS certificate in a stack's state, and of the controller's cluster
 * token, one a line: the targets of the scheduled refresh (`pulumi up --target URN ...
 * --target-dependents`). A certificate of `@pulumi/tls` reports `readyForRenewal` once it is inside
 * its `earlyRenewalHours`, and the next `pulumi up` that includes it replaces it; its dependents
 * (the ACM import, the load balancer's listener, the CA bundle on the agent side) follow through
 * `--target-dependents`. The token Secret is named after its rotation period, so an `up` that
 * includes it in a new period replaces it, the controller restarts with the new token (its task
 * pins the token's Secrets Manager version) and the old token is revoked: the weekly run bounds
 * the token's life to its period plus a week, with no other deploy.
 * Exit status: 0 done (possibly no line: no certificate yet), 2 input that is not a stack export.
 */
import { TYPES } from "../policy/lib/types";

/** Resource types whose instances expire and are renewed by replacement. */
export const CERTIFICATE_TYPES = [TYPES.selfSignedCert, TYPES.locallySignedCert] as const;

/** The controller's cluster token: a Kubernetes Secret whose logical name ends so. */
export const ROTATED_TOKEN = { type: TYPES.k8sSecret, nameSuffix: "-controller-token" } as const;

function isTarget(r: { urn: string; type: string }): boolean {
  if ((CERTIFICATE_TYPES as readonly string[]).includes(r.type)) return true;
  return r.type === ROTATED_TOKEN.type && r.urn.endsWith(ROTATED_TOKEN.nameSuffix);
}

/**
 * The URNs of the certificates and of the controller's token in a `pulumi stack export` document;
 * throws on another shape.
 */
export function certificateTargets(exported: unknown): string[] {
  const resources = (exported as { deployment?: { resources?: unknown } } | null)?.deployment?.resources;
  if (resources === undefined) return []; // a stack that was never deployed
  if (!Array.isArray(resources)) throw new Error("deployment.resources is not a list");
  return resources
    .filter(
      (r): r is { urn: string; type: string } =>
        typeof r?.urn === "string" && typeof r?.type === "string" && isTarget(r),
    )
    .map((r) => r.urn);
}

if (require.main === module) {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => {
    try {
      const urns = certificateTargets(JSON.parse(text));
      process.stdout.write(urns.map((u) => `${u}\n`).join(""));
    } catch (err) {
      process.stderr.write(`certificate-targets: not a stack export (${(err as Error).message})\n`);
      process.exit(2);
    }
  });
}
