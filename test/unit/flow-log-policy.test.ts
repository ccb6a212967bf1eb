import * as assert from "assert";
import { flowLogTrustPolicy, flowLogWritePolicy } from "../../components/network/flow-log-policy";

const scope = { accountId: "123456789012", partition: "aws", region: "eu-west-1" };

describe("flow-log role policies", () => {
  it("lets only the flow-logs service assume the role, for this account's flow logs", () => {
    assert.deepStrictEqual(flowLogTrustPolicy(scope), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": "123456789012" },
            ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*" },
          },
        },
      ],
    });
  });

  it("grants writes to the one log group and nothing else", () => {
    const logGroupArn = "arn:aws:logs:eu-west-1:123456789012:log-group:/vpc-flow-logs/master-abc";
    assert.deepStrictEqual(flowLogWritePolicy({ ...scope, logGroupArn }), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteFlowLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [logGroupArn, `${logGroupArn}:*`],
        },
        {
          Sid: "FindLogGroup",
          Effect: "Allow",
          Action: "logs:DescribeLogGroups",
          Resource: "arn:aws:logs:eu-west-1:123456789012:log-group:*",
        },
      ],
    });
  });

  it("never grants a wildcard action or creating log groups", () => {
    const text = JSON.stringify(
      flowLogWritePolicy({ ...scope, logGroupArn: "arn:aws:logs:eu-west-1:1:log-group:x" }),
    );
    assert.ok(!text.includes('"logs:*"'));
    assert.ok(!text.includes("CreateLogGroup"));
    assert.ok(!text.includes('"Resource":"*"'));
  });
});
