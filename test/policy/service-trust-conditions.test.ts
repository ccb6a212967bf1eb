import * as assert from "assert";
import { serviceTrustPolicy } from "../../components/shared/iam";
import { messages } from "../../policy/lib/resources";
import { TYPES } from "../../policy/lib/types";
import { checkServiceTrust, serviceTrustConditions } from "../../policy/policies/service-trust-conditions";
import { runResourcePolicy, UNKNOWN_FROM_ENGINE } from "./harness";

const scope = { accountId: "123456789012", partition: "aws", region: "eu-west-1" };
const role = (assumeRolePolicy: unknown) => ({ type: TYPES.role, name: "task", props: { assumeRolePolicy } });

describe("policy service-trust-conditions", () => {
  it("refuses an ECS task or flow-log role open to the service on behalf of any account", () => {
    for (const service of ["ecs-tasks.amazonaws.com", "vpc-flow-logs.amazonaws.com"]) {
      const bare = {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
      };
      assert.deepStrictEqual(messages(checkServiceTrust(role(JSON.stringify(bare)))), [
        `${TYPES.role} "task": trusts ${service} without aws:SourceAccount and aws:SourceArn conditions`,
      ]);
    }
  });

  it("accepts the blueprint's trust policies, and services that send no source", async () => {
    for (const service of [
      "ecs-tasks.amazonaws.com",
      "vpc-flow-logs.amazonaws.com",
      "eks.amazonaws.com",
      "backup.amazonaws.com",
    ] as const) {
      assert.deepStrictEqual(
        checkServiceTrust(role(JSON.stringify(serviceTrustPolicy(service, scope)))),
        [],
        service,
      );
    }
    assert.deepStrictEqual(await runResourcePolicy(serviceTrustConditions, role(UNKNOWN_FROM_ENGINE)), []);
  });
});
