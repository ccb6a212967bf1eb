import * as assert from "assert";
import { CONTROLLER_RULES, kubeconfig, podSecurityLabels, quotaHard } from "../../components/cluster/plan";

describe("agent cluster plan", () => {
  it("builds a kubeconfig that authenticates with aws eks get-token and holds no credential", () => {
    const config = JSON.parse(
      kubeconfig({
        clusterName: "agents-dev",
        endpoint: "https://api.example",
        certificateAuthorityData: "Q0E=",
        region: "us-east-1",
      }),
    );
    assert.deepStrictEqual(config.clusters, [
      {
        name: "agents-dev",
        cluster: { server: "https://api.example", "certificate-authority-data": "Q0E=" },
      },
    ]);
    assert.deepStrictEqual(config.users[0].user, {
      exec: {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "aws",
        args: [
          "eks",
          "get-token",
          "--cluster-name",
          "agents-dev",
          "--region",
          "us-east-1",
          "--output",
          "json",
        ],
        interactiveMode: "Never",
      },
    });
    assert.strictEqual(config["current-context"], "agents-dev");
  });

  it("grants the controller pods, pods/exec, pods/log and events in its namespace, nothing else", () => {
    assert.deepStrictEqual(
      CONTROLLER_RULES.map((r) => [r.apiGroups.join(), r.resources.join(), r.verbs.join()]),
      [
        ["", "pods", "create,delete,get,list,patch,update,watch"],
        ["", "pods/exec", "create,get"],
        ["", "pods/log", "get,list,watch"],
        ["", "events", "get,list,watch"],
      ],
    );
    assert.ok(!JSON.stringify(CONTROLLER_RULES).includes('"*"'));
    assert.ok(!JSON.stringify(CONTROLLER_RULES).includes("secrets"));
  });

  it("labels the agent namespace restricted for enforce, audit and warn", () => {
    assert.deepStrictEqual(podSecurityLabels(), {
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "latest",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/audit-version": "latest",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/warn-version": "latest",
    });
  });

  it("sizes the quota from config, limits at twice the requests", () => {
    assert.deepStrictEqual(quotaHard({ cpuCores: 8, memoryGiB: 32, pods: 20 }), {
      pods: "20",
      "requests.cpu": "8",
      "requests.memory": "32Gi",
      "limits.cpu": "16",
      "limits.memory": "64Gi",
    });
  });
});
