/**
 * AgentProxy, constructed on its own under the mock engine with a stand-in Kubernetes provider.
 * What this does not prove: that nginx runs with this configuration (the nginx integration tests
 * do) or that the cluster enforces the NetworkPolicy.
 */
import * as k8s from "@pulumi/kubernetes";
import * as assert from "assert";
import { createHash } from "crypto";
import { AgentProxy } from "../../../components/proxy/proxy";
import { AloneView, constructAlone } from "../../harness/alone";
import { T } from "../../harness/plan";

const CONF = "events {}\nhttp { server { listen 8080; } }\n";
const CA = "-----BEGIN CERTIFICATE-----\nMOCK\n-----END CERTIFICATE-----\n";

function build(nginxConf = CONF): Promise<AloneView> {
  return constructAlone(() => {
    const provider = new k8s.Provider("stand-in", { kubeconfig: "{}" });
    const proxy = new AgentProxy("proxy", {
      provider,
      namespace: "jenkins-agent-proxy",
      agentNamespace: "jenkins-agents",
      image: "nginxinc/nginx-unprivileged:1.29.1-alpine",
      replicas: 2,
      cpuMillicores: 100,
      memoryMiB: 64,
      nginxConf,
      caPem: CA,
      endpointAddresses: ["10.20.0.4", "10.20.16.4"],
    });
    return { url: proxy.url };
  });
}

type Json = Record<string, unknown>;
interface DeploymentSpec {
  readonly replicas: number;
  readonly template: {
    readonly metadata: { readonly annotations: Record<string, string> };
    readonly spec: {
      readonly automountServiceAccountToken: boolean;
      readonly nodeSelector: unknown;
      readonly securityContext: unknown;
      readonly containers: {
        readonly securityContext: unknown;
        readonly resources: unknown;
        readonly volumeMounts: { readonly name: string; readonly readOnly?: boolean }[];
      }[];
    };
  };
}
const deploymentOf = (view: AloneView) => view.one(T.deployment, "proxy").inputs.spec as DeploymentSpec;

describe("AgentProxy alone", () => {
  let view: AloneView;
  before(async () => {
    view = await build();
  });

  it("declares every object through the given provider, in a restricted namespace of its own", () => {
    const provider = view.one(T.k8sProvider, "stand-in");
    const objects = view.resources.filter((r) => r.type.startsWith("kubernetes:"));
    assert.deepStrictEqual(
      objects.map((r) => r.type).sort(),
      [T.configMap, T.deployment, T.namespace, T.networkPolicy, T.pdb, T.k8sService].sort(),
    );
    assert.deepStrictEqual(
      objects.filter((r) => r.provider !== provider.urn),
      [],
    );
    const ns = view.one(T.namespace, "proxy").inputs.metadata as {
      name: string;
      labels: Record<string, string>;
    };
    assert.deepStrictEqual(ns.name, "jenkins-agent-proxy");
    assert.strictEqual(ns.labels["pod-security.kubernetes.io/enforce"], "restricted");
    for (const r of objects.filter((o) => o.type !== T.namespace)) {
      assert.strictEqual((r.inputs.metadata as Json).namespace, "jenkins-agent-proxy", r.type);
    }
    assert.strictEqual(view.outputs.url, "http://agent-proxy.jenkins-agent-proxy.svc.cluster.local:8080/");
  });

  it("runs unprivileged nginx on system nodes, with no service account token and a read-only root", () => {
    const pod = deploymentOf(view).template.spec;
    assert.deepStrictEqual(
      [pod.automountServiceAccountToken, pod.nodeSelector, pod.securityContext],
      [
        false,
        { "jenkins-agent-bridge/capacity": "system" },
        { runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, seccompProfile: { type: "RuntimeDefault" } },
      ],
    );
    assert.strictEqual(pod.containers.length, 1);
    const [nginx] = pod.containers;
    assert.deepStrictEqual(nginx.securityContext, {
      runAsNonRoot: true,
      runAsUser: 101,
      runAsGroup: 101,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepStrictEqual(nginx.resources, {
      requests: { cpu: "100m", memory: "64Mi" },
      limits: { cpu: "100m", memory: "64Mi" },
    });
    assert.deepStrictEqual(
      nginx.volumeMounts.map((m) => [m.name, m.readOnly ?? false]),
      [
        ["config", true],
        ["tmp", false],
      ],
    );
  });

  it("exposes itself inside the cluster only and keeps one pod through disruptions", () => {
    const service = view.one(T.k8sService, "proxy").inputs.spec as Json;
    assert.deepStrictEqual(
      [service.type, service.ports],
      ["ClusterIP", [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" }]],
    );
    assert.strictEqual((view.one(T.pdb, "proxy").inputs.spec as Json).minAvailable, 1);
    assert.strictEqual(deploymentOf(view).replicas, 2);
  });

  it("admits the agent namespace only, and lets out TLS to the endpoint block and cluster DNS only", () => {
    assert.deepStrictEqual(view.one(T.networkPolicy, "proxy").inputs.spec, {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "jenkins-agents" } } }],
          ports: [{ protocol: "TCP", port: 8080 }],
        },
      ],
      egress: [
        {
          to: [{ ipBlock: { cidr: "10.20.0.4/32" } }, { ipBlock: { cidr: "10.20.16.4/32" } }],
          ports: [{ protocol: "TCP", port: 443 }],
        },
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    });
  });

  it("carries the configuration and CA, and rolls the pods when either changes", async () => {
    assert.deepStrictEqual(view.one(T.configMap, "proxy-config").inputs.data as Json, {
      "nginx.conf": CONF,
      "ca.pem": CA,
    });
    const checksum = (v: AloneView) =>
      deploymentOf(v).template.metadata.annotations["jenkins-agent-bridge/config-sha256"];
    assert.strictEqual(checksum(view), createHash("sha256").update(CONF).update(CA).digest("hex"));
    const changed = await build(CONF.replace("8080", "8081"));
    assert.notStrictEqual(checksum(changed), checksum(view));
  });
});
