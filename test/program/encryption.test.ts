/**
 * Every log group of every committed stack is encrypted with a key of the stack whose written
 * policy lets CloudWatch Logs use it for that very group, and no key is left with AWS's default
 * policy. What a mock run does not prove: that KMS and CloudWatch Logs accept the policies.
 */
import * as assert from "assert";
import { listStacks, readStack, STACKS_DIR } from "../../offline/stack-file";
import { planStack, T } from "../harness/plan";

const matches = (pattern: string, arn: string) =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&"))
      .join(".*")}$`,
  ).test(arn);

describe("encryption of logs, and written key policies", () => {
  for (const stack of listStacks(STACKS_DIR)) {
    it(`${stack}: each log group's key lets CloudWatch Logs use it for that group only`, async () => {
      const view = await planStack(stack);
      const region = readStack(STACKS_DIR, stack).values["aws:region"];
      const groups = view.byType(T.logGroup);
      assert.ok(groups.length >= 4, "flow logs twice, the controller, the control plane");
      for (const group of groups) {
        const key = view.byType(T.kmsKey).find((k) => k.state?.arn === group.inputs.kmsKeyId);
        assert.ok(key, `${group.name} is encrypted with a key of the stack`);
        const policy = JSON.parse(String(key.inputs.policy));
        const logs = policy.Statement.find((s: { Principal: { Service?: string } }) =>
          String(s.Principal.Service).startsWith("logs."),
        );
        assert.strictEqual(logs.Principal.Service, `logs.${region}.amazonaws.com`);
        const allowed: string[] = logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"];
        assert.ok(
          allowed.some((pattern) => matches(pattern, String(group.state?.arn))),
          `${group.name} (${group.state?.arn}) not in ${allowed}`,
        );
      }
      for (const key of view.byType(T.kmsKey)) {
        const policy = JSON.parse(String(key.inputs.policy));
        assert.strictEqual(policy.Statement[0].Sid, "AccountAdministersTheKey", key.name);
        assert.ok(!JSON.stringify(policy).includes('"kms:*"'), key.name);
      }
    });
  }
});
