/** Pricing of what is charged by the month per resource: KMS keys, secrets and hosted zones. */
import { T } from "../resource-types";
import { addPerResource, Pricing } from "./context";

/** Keys (at the first year's price), secrets and hosted zones. */
export function priceKeysSecretsAndZones(c: Pricing): void {
  const { p } = c;
  addPerResource(c, "KMS customer managed key", p.kmsKeyMonth, T.kmsKey, (keys) => {
    const rotating = keys.filter((k) => k.inputs.enableKeyRotation === true).length;
    return ` (${rotating} with yearly rotation; first-year price)`;
  });
  addPerResource(c, "Secrets Manager secret", p.secretMonth, T.secret);
  addPerResource(c, "Route 53 hosted zone", p.route53HostedZoneMonth, T.zone);
}
