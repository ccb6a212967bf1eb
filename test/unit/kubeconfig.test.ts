import * as assert from "assert";
import { agentEgressRules } from "../../components/cluster/isolation";
import {
  agentCapacity,
  CONTROLLER_RULES,
  controlPlaneLogGroup,
  kubeconfig,
  podSecurityLabels,
  publicAccessCidrs,
  quotaHard,
} from "../../components/cluster/plan";

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

  it("authenticates as the AWS provider does: its profile and assumed role", () => {
    const config = JSON.parse(
      kubeconfig({
        clusterName: "c",
        endpoint: "https://api",
        certificateAuthorityData: "Q0E=",
        region: "eu-west-1",
        profile: "ci",
        roleArn: "arn:aws:iam::123456789012:role/deploy",
      }),
    );
    assert.deepStrictEqual(config.users[0].user.exec.args, [
      "eks",
      "get-token",
      "--cluster-name",
      "c",
      "--region",
      "eu-west-1",
      "--role-arn",
      "arn:aws:iam::123456789012:role/deploy",
      "--profile",
      "ci",
      "--output",
      "json",
    ]);
  });

  it("caps agents at what the quota leaves beside the proxy, counting every container of an agent pod", () => {
    const quota = { cpuCores: 8, memoryGiB: 32, pods: 20 };
    const jnlpOnly = { cpuMillicores: 500, memoryMiB: 512 };
    assert.strictEqual(agentCapacity(quota, { pods: 0, cpuMillicores: 0, memoryMiB: 0 }, jnlpOnly), 16);
    assert.strictEqual(agentCapacity(quota, { pods: 2, cpuMillicores: 200, memoryMiB: 256 }, jnlpOnly), 15);
    // The default pod template: jnlp (500m, 512 MiB) and build (500m, 1 GiB) containers.
    const pod = { cpuMillicores: 1000, memoryMiB: 1536 };
    assert.strictEqual(agentCapacity(quota, { pods: 2, cpuMillicores: 200, memoryMiB: 256 }, pod), 7);
    assert.strictEqual(
      agentCapacity(
        { cpuCores: 64, memoryGiB: 256, pods: 10 },
        { pods: 3, cpuMillicores: 300, memoryMiB: 384 },
        pod,
      ),
      7,
    );
    // Memory binds: 4 GiB less 256 MiB holds two pods of 1.5 GiB.
    assert.strictEqual(
      agentCapacity(
        { cpuCores: 64, memoryGiB: 4, pods: 50 },
        { pods: 2, cpuMillicores: 200, memoryMiB: 256 },
        pod,
      ),
      2,
    );
    assert.strictEqual(
      agentCapacity(
        { cpuCores: 1, memoryGiB: 1, pods: 2 },
        { pods: 2, cpuMillicores: 200, memoryMiB: 256 },
        pod,
      ),
      0,
    );
  });

  it("lets websocket agents out to DNS, the internet outside the VPC, and the proxy only", () => {
    const rules = agentEgressRules({
      vpcCidr: "10.20.0.0/16",
      proxy: { namespace: "jenkins-agent-proxy", port: 8080 },
    }) as { podSelector: unknown; egress: { to: unknown[]; ports?: unknown[] }[] };
    // Every pod of the namespace: no label a build could copy exempts it.
    assert.deepStrictEqual(rules.podSelector, {});
    assert.deepStrictEqual(rules.egress.slice(1), [
      { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.20.0.0/16"] } }] },
      {
        to: [
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "jenkins-agent-proxy" } } },
        ],
        ports: [{ protocol: "TCP", port: 8080 }],
      },
    ]);
  });

  it("lets tcp agents reach the endpoint's own addresses on its agent ports, and nothing else in the VPC", () => {
    const rules = agentEgressRules({
      vpcCidr: "10.60.0.0/16",
      endpoint: { addresses: ["10.60.0.4", "10.60.16.4"], ports: [8080, 50000] },
    }) as { podSelector: unknown; egress: unknown[] };
    assert.deepStrictEqual(rules.podSelector, {});
    assert.deepStrictEqual(rules.egress.slice(1), [
      { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.60.0.0/16"] } }] },
      {
        to: [{ ipBlock: { cidr: "10.60.0.4/32" } }, { ipBlock: { cidr: "10.60.16.4/32" } }],
        ports: [
          { protocol: "TCP", port: 8080 },
          { protocol: "TCP", port: 50000 },
        ],
      },
    ]);
  });

  it("opens nothing in the VPC while the endpoint has no addresses or no ports", () => {
    for (const endpoint of [
      { addresses: [], ports: [8080] },
      { addresses: ["10.60.0.4"], ports: [] },
    ]) {
      const rules = agentEgressRules({ vpcCidr: "10.60.0.0/16", endpoint }) as { egress: unknown[] };
      assert.deepStrictEqual(rules.egress.slice(1), [
        { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.60.0.0/16"] } }] },
      ]);
    }
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

  it("opens the public endpoint to each master NAT address as a /32, then the configured blocks", () => {
    assert.deepStrictEqual(publicAccessCidrs(["198.51.100.7", "198.51.100.9"], ["192.0.2.0/24"]), [
      "198.51.100.7/32",
      "198.51.100.9/32",
      "192.0.2.0/24",
    ]);
    assert.deepStrictEqual(publicAccessCidrs([], []), []);
  });

  it("names the control-plane log group as EKS writes it", () => {
    assert.strictEqual(controlPlaneLogGroup("agents-dev"), "/aws/eks/agents-dev/cluster");
  });
});
