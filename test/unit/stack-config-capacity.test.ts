/** Room for agents: the quota, and proxy replicas that hold every agent the container cap admits. */
import * as assert from "assert";
import { parseStackConfig } from "../../config";
import { decodeStated } from "../harness/config";

describe("stack config: room for the agents", () => {
  it("refuses a quota with no room for an agent beside the smoke and agent path checks", () => {
    const result = parseStackConfig(
      decodeStated({
        "aws:region": "us-east-1",
        "jenkins-agent-bridge:agentCluster": '{"quotaPods":2,"quotaCpuCores":1,"quotaMemoryGiB":1}',
      }),
    );
    assert.deepStrictEqual(!result.ok && result.problems, [
      "jenkins-agent-bridge:agentCluster.quotaPods: got a quota (2 pods, 1 cores, 1 GiB) with no room for one agent (1000m, 1536 MiB) beside the smoke and agent path checks; expected a larger quota",
    ]);
  });

  describe("proxy memory for the agents the quota admits", () => {
    // Enough CPU and memory for 5000 default agent pods (1 core, 1.5 GiB each), so pods bind, and
    // autoscaler limits high enough that the quota is what binds.
    const limits = '"agentNodes":{"cpuLimit":20000,"memoryLimitGiB":40000}';
    const big = `{"quotaPods":5000,"quotaCpuCores":5000,"quotaMemoryGiB":7500,${limits}}`;
    const parse = (extra: Record<string, string>) =>
      parseStackConfig(
        decodeStated({ "aws:region": "us-east-1", "jenkins-agent-bridge:agentCluster": big, ...extra }),
      );

    it("refuses a replica too small to hold every agent", () => {
      // 4998 agents fit beside the smoke pod and the agent path check's pod: 2 + 12 + 4998 * 48 / 1024 MiB.
      assert.deepStrictEqual(!parse({}).ok && (parse({}) as { problems: string[] }).problems, [
        "jenkins-agent-bridge:proxy.memoryMiB: got 128; a replica needs 249 MiB to hold all 4998 agents the container cap admits (48 KiB each, plus 14 MiB for nginx with 1 worker); expected 249 or more, or a smaller agentCluster.quotaPods",
      ]);
    });

    it("counts one worker per whole core of the proxy's CPU", () => {
      const result = parse({ "jenkins-agent-bridge:proxy": '{"cpuMillicores":2500,"memoryMiB":260}' });
      assert.ok(!result.ok);
      assert.match(result.problems[0], /needs 261 MiB .* plus 26 MiB for nginx with 2 workers/);
    });

    it("refuses a replica whose workers cannot hold two connections per agent", () => {
      const huge = `{"quotaPods":10000,"quotaCpuCores":10000,"quotaMemoryGiB":15000,${limits}}`;
      const result = parseStackConfig(
        decodeStated({
          "aws:region": "us-east-1",
          "jenkins-agent-bridge:agentCluster": huge,
          "jenkins-agent-bridge:proxy": '{"memoryMiB":1024}',
        }),
      );
      assert.deepStrictEqual(!result.ok && result.problems, [
        "jenkins-agent-bridge:proxy.cpuMillicores: got 100 (1 nginx worker of 16384 connections); a replica needs 20060 connections for all 9998 agents the container cap admits; expected 2000 or more, or a smaller agentCluster.quotaPods",
      ]);
      assert.ok(
        parseStackConfig(
          decodeStated({
            "aws:region": "us-east-1",
            "jenkins-agent-bridge:agentCluster": huge,
            "jenkins-agent-bridge:proxy": '{"memoryMiB":1024,"cpuMillicores":2000}',
          }),
        ).ok,
      );
    });

    it("accepts enough memory, and asks nothing of tcp stacks (no proxy)", () => {
      assert.ok(parse({ "jenkins-agent-bridge:proxy": '{"memoryMiB":249}' }).ok);
      assert.ok(parse({ "jenkins-agent-bridge:transport": "tcp" }).ok);
    });
  });
});
