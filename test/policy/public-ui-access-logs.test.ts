import * as assert from "assert";
import { messages } from "../../policy/lib/resources";
import { checkPublicUiAccessLogs, publicUiAccessLogs } from "../../policy/policies/public-ui-access-logs";
import { runResourcePolicy, UNKNOWN_FROM_ENGINE } from "./harness";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const alb = (props: Record<string, unknown>) => ({
  type: LB,
  name: "ui",
  props: { loadBalancerType: "application", ...props },
});
const MISSING = `${LB} "ui": an internet-facing application load balancer without access logs; set accessLogs with a bucket and enabled true`;

describe("policy public-ui-access-logs", () => {
  it("refuses a public UI load balancer without access logs, or with them off", () => {
    assert.deepStrictEqual(messages(checkPublicUiAccessLogs(alb({ internal: false }))), [MISSING]);
    assert.deepStrictEqual(messages(checkPublicUiAccessLogs(alb({}))), [MISSING]);
    assert.deepStrictEqual(
      messages(
        checkPublicUiAccessLogs(alb({ internal: false, accessLogs: { bucket: "logs", enabled: false } })),
      ),
      [MISSING],
    );
  });

  it("accepts a public one that logs, and internal or network load balancers", async () => {
    assert.deepStrictEqual(
      checkPublicUiAccessLogs(
        alb({ internal: false, accessLogs: { bucket: "logs", prefix: "jenkins-prod", enabled: true } }),
      ),
      [],
    );
    assert.deepStrictEqual(checkPublicUiAccessLogs(alb({ internal: true })), []);
    assert.deepStrictEqual(
      checkPublicUiAccessLogs({
        type: LB,
        name: "gw",
        props: { loadBalancerType: "network", internal: false },
      }),
      [],
    );
    assert.deepStrictEqual(
      await runResourcePolicy(publicUiAccessLogs, alb({ internal: UNKNOWN_FROM_ENGINE })),
      [],
    );
    assert.deepStrictEqual(await runResourcePolicy(publicUiAccessLogs, alb({ internal: false })), [MISSING]);
  });
});
