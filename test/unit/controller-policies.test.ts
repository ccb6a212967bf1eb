import * as assert from "assert";
import {
  ecsTasksTrustPolicy,
  executionRolePolicy,
  fileSystemPolicy,
  taskRolePolicy,
} from "../../components/jenkins/controller-policies";

const scope = { accountId: "123456789012", partition: "aws", region: "us-east-1" };
const adminSecretArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-AbCdEf";

describe("controller IAM policies", () => {
  it("lets only ECS tasks of this account assume the roles", () => {
    assert.deepStrictEqual(ecsTasksTrustPolicy(scope).Statement, [
      {
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": "123456789012" },
          ArnLike: { "aws:SourceArn": "arn:aws:ecs:us-east-1:123456789012:*" },
        },
      },
    ]);
  });

  it("lets the execution role read its one secret, decrypt through Secrets Manager only, and log", () => {
    const keyArn = "arn:aws:kms:us-east-1:123456789012:key/k";
    const logArn = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/jenkins-abc";
    assert.deepStrictEqual(
      executionRolePolicy({
        scope: { accountId: "123456789012", partition: "aws", region: "us-east-1" },
        secretArns: [adminSecretArn],
        kmsKeyArn: keyArn,
        logGroupArn: logArn,
      }).Statement,
      [
        {
          Sid: "ReadOwnSecrets",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: [adminSecretArn],
        },
        {
          Sid: "DecryptOwnSecrets",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: keyArn,
          Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
        },
        {
          Sid: "WriteLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${logArn}:*`,
        },
      ],
    );
  });

  it("names Secrets Manager as the key's only way in by the partition's service name", () => {
    const decrypt = (partition: string, region: string) =>
      executionRolePolicy({
        scope: { accountId: "123456789012", partition, region },
        secretArns: [],
        kmsKeyArn: "k",
        logGroupArn: "l",
      }).Statement.find((st) => (st as { Sid?: string }).Sid === "DecryptOwnSecrets");
    assert.deepStrictEqual((decrypt("aws-cn", "cn-north-1") as { Condition: unknown }).Condition, {
      StringEquals: { "kms:ViaService": "secretsmanager.cn-north-1.amazonaws.com.cn" },
    });
  });

  it("lets the task role mount JENKINS_HOME only through its access point", () => {
    const p = { fileSystemArn: "arn:fs", accessPointArn: "arn:ap" };
    assert.deepStrictEqual(taskRolePolicy(p).Statement, [
      {
        Sid: "MountJenkinsHome",
        Effect: "Allow",
        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        Resource: "arn:fs",
        Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": "arn:ap" } },
      },
    ]);
  });

  it("makes the file system refuse connections without TLS", () => {
    const doc = fileSystemPolicy({
      fileSystemArn: "arn:fs",
      accessPointArn: "arn:ap",
      taskRoleArn: "arn:role",
    });
    assert.deepStrictEqual(doc.Statement[0], {
      Sid: "DenyWithoutTls",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "*",
      Resource: "arn:fs",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    assert.deepStrictEqual(doc.Statement[1].Principal, { AWS: "arn:role" });
  });
});
