/** One trust policy for every role a service assumes, with the source conditions it supports. */
import * as assert from "assert";
import {
  accountRoot,
  awsManagedPolicyArn,
  denyWithoutTls,
  podIdentityTrustPolicy,
  principalKey,
  serviceTrustPolicy,
  TRUSTED_SERVICES,
} from "../../components/shared/iam";

const scope = { accountId: "123456789012", partition: "aws", region: "eu-west-1" };

describe("service trust policies", () => {
  it("narrow ECS tasks and flow logs to this account and their own resources of this region", () => {
    assert.deepStrictEqual(serviceTrustPolicy("ecs-tasks.amazonaws.com", scope).Statement, [
      {
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": "123456789012" },
          ArnLike: { "aws:SourceArn": "arn:aws:ecs:eu-west-1:123456789012:*" },
        },
      },
    ]);
    assert.deepStrictEqual(serviceTrustPolicy("vpc-flow-logs.amazonaws.com", scope).Statement[0].Condition, {
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*" },
    });
  });

  it("trust one service each, and add no condition a service does not send", () => {
    for (const service of Object.keys(TRUSTED_SERVICES) as (keyof typeof TRUSTED_SERVICES)[]) {
      const [statement, ...rest] = serviceTrustPolicy(service, scope).Statement;
      assert.deepStrictEqual(rest, []);
      assert.deepStrictEqual(statement.Principal, { Service: service });
      assert.strictEqual(statement.Action, "sts:AssumeRole");
      assert.strictEqual("Condition" in statement, TRUSTED_SERVICES[service] !== undefined, service);
    }
  });

  it("let EKS Pod Identity assume a role for this account, or for one service account of one cluster", () => {
    const statement = {
      Effect: "Allow",
      Principal: { Service: "pods.eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
    };
    assert.deepStrictEqual(podIdentityTrustPolicy(scope), {
      Version: "2012-10-17",
      Statement: [{ ...statement, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }],
    });
    assert.deepStrictEqual(
      podIdentityTrustPolicy(scope, { clusterName: "agents", namespace: "kube-system", name: "karpenter" })
        .Statement,
      [
        {
          ...statement,
          Condition: {
            StringEquals: {
              "aws:SourceAccount": "123456789012",
              "aws:RequestTag/eks-cluster-name": "agents",
              "aws:RequestTag/kubernetes-namespace": "kube-system",
              "aws:RequestTag/kubernetes-service-account": "karpenter",
            },
          },
        },
      ],
    );
  });
});

describe("principal keys", () => {
  it("name a principal by the first eight hex digits of its ARN's SHA-256, the same every run", () => {
    assert.strictEqual(principalKey("arn:aws:iam::123456789012:role/ci"), "fe6c5c08");
    assert.strictEqual(principalKey("arn:aws:iam::123456789012:role/ci"), "fe6c5c08");
    assert.strictEqual(principalKey("arn:aws:iam::123456789012:role/cd"), "e8bf4f11");
  });
});

describe("AWS managed policies", () => {
  it("are named in the scope's partition, with their path", () => {
    assert.strictEqual(
      awsManagedPolicyArn(scope, "AmazonEKS_CNI_Policy"),
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    );
    assert.strictEqual(
      awsManagedPolicyArn({ partition: "aws-cn" }, "service-role/AWSBackupServiceRolePolicyForBackup"),
      "arn:aws-cn:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    );
  });
});

describe("resource policy statements", () => {
  it("name the account's root principal in its partition", () => {
    assert.strictEqual(accountRoot(scope), "arn:aws:iam::123456789012:root");
    assert.strictEqual(
      accountRoot({ accountId: "210987654321", partition: "aws-cn" }),
      "arn:aws-cn:iam::210987654321:root",
    );
  });

  it("refuse an action on a resource to every request without TLS, for anyone as given", () => {
    assert.deepStrictEqual(denyWithoutTls("TlsOnly", "sns:Publish", "arn:aws:sns:eu-west-1:1:t"), {
      Sid: "TlsOnly",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: "arn:aws:sns:eu-west-1:1:t",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    assert.deepStrictEqual(denyWithoutTls("Deny", "*", "fs", { AWS: "*" }).Principal, { AWS: "*" });
  });
});
