import * as assert from "assert";
import { messages, Resource } from "../../policy/lib/resources";
import { TYPES } from "../../policy/lib/types";
import { checkEncryption, kmsEncryption } from "../../policy/policies/kms-encryption";
import { runResourcePolicy, UNKNOWN_FROM_ENGINE } from "./harness";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/9e434739-2b79-4555-8c94-a1ab968abdb8";
const r = (type: string, name: string, props: Record<string, unknown>): Resource => ({ type, name, props });
const check = (type: string, name: string, props: Record<string, unknown>) =>
  messages(checkEncryption(r(type, name, props)));

describe("policy kms-encryption", () => {
  it("accepts what the controller and the agent cluster declare", () => {
    assert.deepStrictEqual(check(TYPES.fileSystem, "home", { encrypted: true, kmsKeyId: KEY_ARN }), []);
    assert.deepStrictEqual(check(TYPES.secret, "admin", { kmsKeyId: KEY_ARN, recoveryWindowInDays: 30 }), []);
    assert.deepStrictEqual(
      check(TYPES.eksCluster, "agents", {
        encryptionConfig: { provider: { keyArn: KEY_ARN }, resources: ["secrets"] },
      }),
      [],
    );
    assert.deepStrictEqual(
      check(TYPES.kmsKey, "key", { enableKeyRotation: true, deletionWindowInDays: 30 }),
      [],
    );
  });

  it("requires EFS to be encrypted, with a KMS key", () => {
    assert.deepStrictEqual(check(TYPES.fileSystem, "home", { encrypted: false }), [
      `${TYPES.fileSystem} "home": encrypted is false; the file system must be encrypted`,
      `${TYPES.fileSystem} "home": kmsKeyId is unset; encrypt with a customer-managed KMS key`,
    ]);
    assert.deepStrictEqual(check(TYPES.fileSystem, "home", { encrypted: true, kmsKeyId: "" }), [
      `${TYPES.fileSystem} "home": kmsKeyId is ""; encrypt with a customer-managed KMS key`,
    ]);
  });

  it("requires secrets to name a KMS key (not the AWS-managed default)", () => {
    assert.deepStrictEqual(check(TYPES.secret, "admin", { description: "x" }), [
      `${TYPES.secret} "admin": kmsKeyId is unset; encrypt the secret with a customer-managed KMS key`,
    ]);
  });

  it("requires EKS to encrypt Kubernetes secrets with a key", () => {
    const problem = (value: string) =>
      `${TYPES.eksCluster} "agents": encryptionConfig is ${value}; Kubernetes secrets must be encrypted with a KMS key ` +
      `(resources ["secrets"], provider.keyArn)`;
    assert.deepStrictEqual(check(TYPES.eksCluster, "agents", { version: "1.34" }), [problem("unset")]);
    assert.deepStrictEqual(
      check(TYPES.eksCluster, "agents", {
        encryptionConfig: { provider: { keyArn: KEY_ARN }, resources: ["configmaps"] },
      }),
      [problem(`{"provider":{"keyArn":"${KEY_ARN}"},"resources":["configmaps"]}`)],
    );
    assert.deepStrictEqual(
      check(TYPES.eksCluster, "agents", { encryptionConfig: { provider: {}, resources: ["secrets"] } }),
      [problem(`{"provider":{},"resources":["secrets"]}`)],
    );
    assert.deepStrictEqual(
      check(TYPES.eksCluster, "agents", {
        encryptionConfig: [{ provider: { keyArn: KEY_ARN }, resources: ["secrets"] }],
      }),
      [],
    );
  });

  it("requires key rotation on every KMS key", () => {
    assert.deepStrictEqual(check(TYPES.kmsKey, "key", {}), [
      `${TYPES.kmsKey} "key": enableKeyRotation is unset; the key must rotate`,
    ]);
    assert.deepStrictEqual(check(TYPES.kmsKey, "key", { enableKeyRotation: false }), [
      `${TYPES.kmsKey} "key": enableKeyRotation is false; the key must rotate`,
    ]);
  });

  it("ignores other types", () => {
    assert.deepStrictEqual(check("aws:s3/bucket:Bucket", "b", {}), []);
  });

  describe("as a resource policy", () => {
    it("counts a key still to be created (unknown during a preview) as set", async () => {
      const home = {
        type: TYPES.fileSystem,
        name: "home",
        props: { encrypted: true, kmsKeyId: UNKNOWN_FROM_ENGINE },
      };
      assert.deepStrictEqual(await runResourcePolicy(kmsEncryption, home), []);
    });

    it("reports every problem of the resource", async () => {
      const key = { type: TYPES.kmsKey, name: "key", props: { enableKeyRotation: false } };
      assert.deepStrictEqual(await runResourcePolicy(kmsEncryption, key), [
        `${TYPES.kmsKey} "key": enableKeyRotation is false; the key must rotate`,
      ]);
    });
  });
});
