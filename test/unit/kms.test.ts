/** Key policies written out: the account administers, services use, CloudWatch Logs per log group. */
import * as assert from "assert";
import { controllerKeyPolicy } from "../../components/jenkins/controller-policies";
import {
  KEY_ADMIN_ACTIONS,
  keyAdministration,
  keyPolicy,
  LOGS_ACTIONS,
  logsKeyUse,
  regionalService,
} from "../../components/shared/kms";

const scope = { accountId: "123456789012", partition: "aws", region: "eu-west-1" };

describe("KMS key policies", () => {
  it("give the account root administration only, never kms:*", () => {
    const [admin] = keyPolicy(scope, { services: [], logGroups: [] }).Statement;
    assert.deepStrictEqual(admin, {
      Sid: "AccountAdministersTheKey",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::123456789012:root" },
      Action: [...KEY_ADMIN_ACTIONS],
      Resource: "*",
    });
    assert.ok(!KEY_ADMIN_ACTIONS.some((a) => /Encrypt|Decrypt|GenerateDataKey/.test(a)));
    assert.strictEqual(keyPolicy(scope, { services: [], logGroups: [] }).Statement.length, 1);
  });

  it("let the controller's data be used only through EFS, Secrets Manager and AWS Backup, and its logs by CloudWatch Logs", () => {
    const [, use, logs] = controllerKeyPolicy(scope, "jenkins").Statement;
    assert.deepStrictEqual(use.Condition, {
      StringEquals: {
        "kms:CallerAccount": "123456789012",
        "kms:ViaService": [
          "elasticfilesystem.eu-west-1.amazonaws.com",
          "secretsmanager.eu-west-1.amazonaws.com",
          "backup.eu-west-1.amazonaws.com",
        ],
      },
    });
    assert.deepStrictEqual(logs.Principal, { Service: "logs.eu-west-1.amazonaws.com" });
    assert.deepStrictEqual(logs.Condition, {
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": [
          "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/jenkins-*",
        ],
      },
    });
  });

  it("let a named role use the key itself, for encryption only", () => {
    const role = "arn:aws:iam::123456789012:role/agents-cluster";
    const statements = keyPolicy(scope, { services: ["eks"], logGroups: [], directUsers: [role] }).Statement;
    assert.deepStrictEqual(statements.at(-1), {
      Sid: "NamedRolesUseTheKey",
      Effect: "Allow",
      Principal: { AWS: [role] },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:ListGrants"],
      Resource: "*",
    });
  });

  it("name the China partition's service endpoints", () => {
    assert.strictEqual(
      regionalService("logs", { accountId: "1", partition: "aws-cn", region: "cn-north-1" }),
      "logs.cn-north-1.amazonaws.com.cn",
    );
  });

  it("let CloudWatch Logs of the region use a key for the named log groups only", () => {
    const arns = ["arn:aws-cn:logs:cn-north-1:1:log-group:/ecs/jenkins-*"];
    assert.deepStrictEqual(
      logsKeyUse("Logs", { accountId: "1", partition: "aws-cn", region: "cn-north-1" }, arns),
      {
        Sid: "Logs",
        Effect: "Allow",
        Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" },
        Action: [...LOGS_ACTIONS],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": arns } },
      },
    );
  });

  it("state the account's administration the same in every key policy", () => {
    assert.deepStrictEqual(
      keyAdministration(scope),
      keyPolicy(scope, { services: ["eks"], logGroups: [] }).Statement[0],
    );
    assert.deepStrictEqual(keyAdministration({ accountId: "1", partition: "aws-cn" }).Principal, {
      AWS: "arn:aws-cn:iam::1:root",
    });
  });
});
