import * as assert from "assert";
import { messages, Resource } from "../../policy/lib/resources";
import {
  checkEncryption,
  EFS_FILE_SYSTEM,
  EKS_CLUSTER,
  KMS_KEY,
  kmsEncryption,
  SECRET,
} from "../../policy/policies/kms-encryption";
import { runResourcePolicy, UNKNOWN_FROM_ENGINE } from "./harness";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/9e434739-2b79-4555-8c94-a1ab968abdb8";
const r = (type: string, name: string, props: Record<string, unknown>): Resource => ({ type, name, props });
const check = (type: string, name: string, props: Record<string, unknown>) =>
  messages(checkEncryption(r(type, name, props)));

describe("policy kms-encryption", () => {
  it("accepts what the controller and the agent cluster declare", () => {
    assert.deepStrictEqual(check(EFS_FILE_SYSTEM, "home", { encrypted: true, kmsKeyId: KEY_ARN }), []);
    assert.deepStrictEqual(check(SECRET, "admin", { kmsKeyId: KEY_ARN, recoveryWindowInDays: 30 }), []);
    assert.deepStrictEqual(
      check(EKS_CLUSTER, "agents", {
        encryptionConfig: { provider: { keyArn: KEY_ARN }, resources: ["secrets"] },
      }),
      [],
    );
    assert.deepStrictEqual(check(KMS_KEY, "key", { enableKeyRotation: true, deletionWindowInDays: 30 }), []);
  });

  it("requires EFS to be encrypted, with a KMS key", () => {
    assert.deepStrictEqual(check(EFS_FILE_SYSTEM, "home", { encrypted: false }), [
      `${EFS_FILE_SYSTEM} "home": encrypted is false; the file system must be encrypted`,
      `${EFS_FILE_SYSTEM} "home": kmsKeyId is unset; encrypt with a customer-managed KMS key`,
    ]);
    assert.deepStrictEqual(check(EFS_FILE_SYSTEM, "home", { encrypted: true, kmsKeyId: "" }), [
      `${EFS_FILE_SYSTEM} "home": kmsKeyId is ""; encrypt with a customer-managed KMS key`,
    ]);
  });

  it("requires secrets to name a KMS key (not the AWS-managed default)", () => {
    assert.deepStrictEqual(check(SECRET, "admin", { description: "x" }), [
      `${SECRET} "admin": kmsKeyId is unset; encrypt the secret with a customer-managed KMS key`,
    ]);
  });

  it("requires EKS to encrypt Kubernetes secrets with a key", () => {
    const problem = (value: string) =>
      `${EKS_CLUSTER} "agents": encryptionConfig is ${value}; Kubernetes secrets must be encrypted with a KMS key ` +
      `(resources ["secrets"], provider.keyArn)`;
    assert.deepStrictEqual(check(EKS_CLUSTER, "agents", { version: "1.34" }), [problem("unset")]);
    assert.deepStrictEqual(
      check(EKS_CLUSTER, "agents", {
        encryptionConfig: { provider: { keyArn: KEY_ARN }, resources: ["configmaps"] },
      }),
      [problem(`{"provider":{"keyArn":"${KEY_ARN}"},"resources":["configmaps"]}`)],
    );
    assert.deepStrictEqual(
      check(EKS_CLUSTER, "agents", { encryptionConfig: { provider: {}, resources: ["secrets"] } }),
      [problem(`{"provider":{},"resources":["secrets"]}`)],
    );
    assert.deepStrictEqual(
      check(EKS_CLUSTER, "agents", {
        encryptionConfig: [{ provider: { keyArn: KEY_ARN }, resources: ["secrets"] }],
      }),
      [],
    );
  });

  it("requires key rotation on every KMS key", () => {
    assert.deepStrictEqual(check(KMS_KEY, "key", {}), [
      `${KMS_KEY} "key": enableKeyRotation is unset; the key must rotate`,
    ]);
    assert.deepStrictEqual(check(KMS_KEY, "key", { enableKeyRotation: false }), [
      `${KMS_KEY} "key": enableKeyRotation is false; the key must rotate`,
    ]);
  });

  it("ignores other types", () => {
    assert.deepStrictEqual(check("aws:s3/bucket:Bucket", "b", {}), []);
  });

  describe("as a resource policy", () => {
    it("counts a key still to be created (unknown during a preview) as set", async () => {
      const home = {
        type: EFS_FILE_SYSTEM,
        name: "home",
        props: { encrypted: true, kmsKeyId: UNKNOWN_FROM_ENGINE },
      };
      assert.deepStrictEqual(await runResourcePolicy(kmsEncryption, home), []);
    });

    it("reports every problem of the resource", async () => {
      const key = { type: KMS_KEY, name: "key", props: { enableKeyRotation: false } };
      assert.deepStrictEqual(await runResourcePolicy(kmsEncryption, key), [
        `${KMS_KEY} "key": enableKeyRotation is false; the key must rotate`,
      ]);
    });
  });
});
