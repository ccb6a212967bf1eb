/**
 * kms-encryption: data at rest is encrypted with customer-managed KMS keys that rotate. EFS file
 * systems are `encrypted` with a `kmsKeyId`; Secrets Manager secrets have a `kmsKeyId` (not the
 * AWS-managed default key); EKS clusters encrypt Kubernetes `secrets` with a key
 * (`encryptionConfig`); every KMS key has `enableKeyRotation: true`.
 *
 * A key reference that is unknown during a preview counts as set (it names a key still to be
 * created); any other unknown value is checked when `pulumi up` validates the resource again.
 */
import {
  asList,
  asObject,
  hasKey,
  isUnknown,
  Resource,
  show,
  Violation,
  violation,
  mandatoryResourcePolicy,
} from "../lib/resources";
import { TYPES } from "../lib/types";

/** The violations of one resource. */
export function checkEncryption(resource: Resource): Violation[] {
  const p = resource.props;
  const problems: string[] = [];
  switch (resource.type) {
    case TYPES.fileSystem:
      if (p.encrypted !== true && !isUnknown(p.encrypted)) {
        problems.push(`encrypted is ${show(p.encrypted)}; the file system must be encrypted`);
      }
      if (!hasKey(p.kmsKeyId)) {
        problems.push(`kmsKeyId is ${show(p.kmsKeyId)}; encrypt with a customer-managed KMS key`);
      }
      break;
    case TYPES.secret:
      if (!hasKey(p.kmsKeyId)) {
        problems.push(`kmsKeyId is ${show(p.kmsKeyId)}; encrypt the secret with a customer-managed KMS key`);
      }
      break;
    case TYPES.eksCluster: {
      if (isUnknown(p.encryptionConfig)) break;
      const configs = asList(p.encryptionConfig).map((c) => asObject(c) ?? {});
      const forSecrets = configs.filter((c) => asList(c.resources).includes("secrets"));
      const keyed = forSecrets.some((c) => hasKey(asObject(c.provider)?.keyArn) || isUnknown(c.provider));
      if (!keyed) {
        problems.push(
          `encryptionConfig is ${show(p.encryptionConfig)}; Kubernetes secrets must be encrypted with a KMS key ` +
            `(resources ["secrets"], provider.keyArn)`,
        );
      }
      break;
    }
    case TYPES.kmsKey:
      if (p.enableKeyRotation !== true && !isUnknown(p.enableKeyRotation)) {
        problems.push(`enableKeyRotation is ${show(p.enableKeyRotation)}; the key must rotate`);
      }
      break;
  }
  return problems.map((problem) => violation(resource, problem));
}

export const kmsEncryption = mandatoryResourcePolicy(
  "kms-encryption",
  "EFS file systems are encrypted with a KMS key, Secrets Manager secrets use a KMS key, EKS clusters " +
    "encrypt Kubernetes secrets with a KMS key, and every KMS key has rotation enabled.",
  checkEncryption,
);
