/** The labels of the blueprint's workloads. */
import * as assert from "assert";
import { appLabels } from "../../components/shared/labels";

describe("workload labels", () => {
  it("labels a workload with its name and the blueprint", () => {
    assert.deepStrictEqual(appLabels("agent-proxy"), {
      "app.kubernetes.io/name": "agent-proxy",
      "app.kubernetes.io/part-of": "jenkins-agent-bridge",
    });
  });
});
