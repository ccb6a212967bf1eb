import * as assert from "assert";
import {
  controllerTokenRotatesAt,
  controllerTokenSecretName,
  proxyNetworkPolicySpec,
} from "../../components/cluster/isolation";
import { parseStackConfig } from "../../config";
import { decodeStated } from "../harness/config";

const DAY = 24 * 60 * 60 * 1000;

describe("controller token rotation", () => {
  it("names the token after its rotation period, counted from the epoch", () => {
    const start = Date.UTC(2026, 10, 30, 12);
    const period = Math.floor(start / (30 * DAY));
    assert.strictEqual(
      controllerTokenSecretName("jenkins-controller", 30, start),
      `jenkins-controller-token-${period}`,
    );
    // Same period: same Secret, nothing replaced.
    const periodEnd = Date.parse(controllerTokenRotatesAt(30, start));
    assert.strictEqual(
      controllerTokenSecretName("jenkins-controller", 30, periodEnd - 1),
      `jenkins-controller-token-${period}`,
    );
    // The first instant of the next period: a new Secret, which replaces (and so deletes) the old one.
    assert.strictEqual(
      controllerTokenSecretName("jenkins-controller", 30, periodEnd),
      `jenkins-controller-token-${period + 1}`,
    );
    assert.strictEqual(periodEnd % (30 * DAY), 0);
    assert.ok(periodEnd > start && periodEnd - start <= 30 * DAY);
  });

  it("rotates daily with one day, and keeps names valid Kubernetes names", () => {
    const now = Date.UTC(2026, 10, 30, 23, 59);
    assert.strictEqual(controllerTokenRotatesAt(1, now), "2026-12-01T00:00:00.000Z");
    const name = controllerTokenSecretName("jenkins-controller", 1, now);
    assert.match(name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    assert.ok(name.length <= 253);
  });
});

describe("proxy network policy", () => {
  it("selects every pod of the proxy namespace and admits the agent namespace by its name only", () => {
    const spec = proxyNetworkPolicySpec({
      agentNamespace: "ci-agents",
      port: 8080,
      endpointAddresses: ["10.20.0.4", "10.20.16.4"],
    });
    assert.deepStrictEqual(spec.podSelector, {});
    assert.deepStrictEqual(spec.ingress, [
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ci-agents" } } }],
        ports: [{ protocol: "TCP", port: 8080 }],
      },
    ]);
    // Out: TLS to the endpoint's own addresses, and nothing of the VPC while they are unknown.
    const egress = spec.egress as unknown[];
    assert.deepStrictEqual(egress[0], {
      to: [{ ipBlock: { cidr: "10.20.0.4/32" } }, { ipBlock: { cidr: "10.20.16.4/32" } }],
      ports: [{ protocol: "TCP", port: 443 }],
    });
    const none = proxyNetworkPolicySpec({ agentNamespace: "ci-agents", port: 8080, endpointAddresses: [] });
    assert.strictEqual((none.egress as unknown[]).length, 1);
  });
});

describe("agent namespace config", () => {
  const parse = (namespace: string) =>
    parseStackConfig(
      decodeStated({
        "aws:region": "us-east-1",
        "jenkins-agent-bridge:agentCluster": JSON.stringify({ namespace }),
      }),
    );

  it("refuses the proxy's, the controller's and Kubernetes' own namespaces", () => {
    for (const namespace of ["jenkins-agent-proxy", "jenkins-controller", "kube-system", "default"]) {
      const result = parse(namespace);
      assert.deepStrictEqual(!result.ok && result.problems, [
        `jenkins-agent-bridge:agentCluster.namespace: got "${namespace}"; expected a namespace of the agents' own, not one of jenkins-agent-proxy, jenkins-controller, default, kube-system, kube-public, kube-node-lease`,
      ]);
    }
    assert.ok(parse("ci-agents").ok);
  });

  it("takes the token rotation period in days, 30 by default, 1 to 365", () => {
    const days = (value: unknown) =>
      parseStackConfig(
        decodeStated({
          "aws:region": "us-east-1",
          "jenkins-agent-bridge:agentCluster": JSON.stringify({ controllerTokenRotationDays: value }),
        }),
      );
    const defaults = parseStackConfig(decodeStated({ "aws:region": "us-east-1" }));
    assert.strictEqual(defaults.ok && defaults.config.agentCluster.controllerTokenRotationDays, 30);
    const refused = days(0);
    assert.strictEqual(refused.ok, false);
    assert.match(
      String(!refused.ok && refused.problems[0]),
      /^jenkins-agent-bridge:agentCluster\.controllerTokenRotationDays: got 0; /,
    );
    assert.ok(days(7).ok);
  });
});
