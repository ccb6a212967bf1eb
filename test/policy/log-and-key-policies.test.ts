import * as assert from "assert";
import { messages } from "../../policy/lib/resources";
import { TYPES } from "../../policy/lib/types";
import { checkLogAndKeyPolicies, logAndKeyPolicies } from "../../policy/policies/log-and-key-policies";
import { keyPolicy } from "../../components/shared/kms";
import { runResourcePolicy, UNKNOWN_FROM_ENGINE } from "./harness";

const scope = { accountId: "123456789012", partition: "aws", region: "eu-west-1" };
const key = (policy: unknown) => ({
  type: TYPES.kmsKey,
  name: "k",
  props: { enableKeyRotation: true, policy },
});
const check = (r: { type: string; name: string; props: Record<string, unknown> }) =>
  messages(checkLogAndKeyPolicies(r));

describe("policy log-and-key-policies", () => {
  it("refuses a log group without a customer-managed key", () => {
    assert.deepStrictEqual(check({ type: TYPES.logGroup, name: "logs", props: { retentionInDays: 30 } }), [
      `${TYPES.logGroup} "logs": kmsKeyId is unset; encrypt the log group with a customer-managed KMS key`,
    ]);
    assert.deepStrictEqual(
      check({
        type: TYPES.logGroup,
        name: "logs",
        props: { kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/x" },
      }),
      [],
    );
  });

  it("refuses a key left with the default policy, or one that allows kms:*", () => {
    assert.deepStrictEqual(check(key(undefined)), [
      `${TYPES.kmsKey} "k": policy is unset, so AWS applies its default (kms:* for the whole account); write the key policy out`,
    ]);
    const wide = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Root",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    };
    assert.deepStrictEqual(check(key(JSON.stringify(wide))), [
      `${TYPES.kmsKey} "k": statement Root allows kms:*; write out the actions each principal needs`,
    ]);
  });

  it("refuses data use by a whole account without kms:ViaService, and allows it to a named role", () => {
    const statement = (AWS: string) => ({
      Version: "2012-10-17",
      Statement: [
        { Sid: "Use", Effect: "Allow", Principal: { AWS }, Action: ["kms:Decrypt"], Resource: "*" },
      ],
    });
    assert.deepStrictEqual(check(key(JSON.stringify(statement("arn:aws:iam::123456789012:root")))), [
      `${TYPES.kmsKey} "k": statement Use lets account principals use the key for data without a kms:ViaService condition`,
    ]);
    assert.deepStrictEqual(
      check(key(JSON.stringify(statement("arn:aws:iam::123456789012:role/eks-cluster")))),
      [],
    );
  });

  it("refuses CloudWatch Logs on a key without the log-group encryption context", () => {
    const logs = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "logs.eu-west-1.amazonaws.com" },
          Action: ["kms:Encrypt*"],
          Resource: "*",
        },
      ],
    };
    assert.deepStrictEqual(check(key(JSON.stringify(logs))), [
      `${TYPES.kmsKey} "k": statement 0 lets CloudWatch Logs use the key without a kms:EncryptionContext:aws:logs:arn condition`,
    ]);
  });

  it("accepts the blueprint's written key policies, and waits for unknown ones", async () => {
    const written = keyPolicy(scope, { services: ["secretsmanager"], logGroups: ["/ecs/jenkins-*"] });
    assert.deepStrictEqual(check(key(JSON.stringify(written))), []);
    assert.deepStrictEqual(await runResourcePolicy(logAndKeyPolicies, key(UNKNOWN_FROM_ENGINE)), []);
  });
});
