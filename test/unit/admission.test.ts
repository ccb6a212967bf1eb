/**
 * The agent namespace's admission policy: its expressions run by a CEL evaluator against an agent
 * pod (admitted) and against each thing a hostile Jenkinsfile could ask for (denied), and its
 * objects checked against the Kubernetes API schema. What this does not prove: that the API
 * server's type checker accepts the expressions (a real cluster does that on creation).
 */
import * as assert from "assert";
import {
  AGENT_POD_POLICY,
  agentPodPolicy,
  agentPodPolicyBinding,
  agentPodValidations,
} from "../../components/cluster/admission";
import { denials } from "../harness/cel";
import { validateKubernetesObject } from "../harness/kubernetes-schema";

type Pod = { metadata?: Record<string, unknown>; spec: Record<string, unknown> };
const validations = agentPodValidations("jenkins-agent");
const M = Object.fromEntries(
  [
    "account",
    "automount",
    "projected",
    "hostNamespaces",
    "hostPath",
    "hostPorts",
    "nodeName",
    "nodeSelector",
    "tolerations",
  ].map((name, i) => [name, validations[i].message]),
);

/**
 * An agent pod as the controller asks for it, after the API server's defaulting admission; a key
 * given as undefined is left out.
 */
function agentPod(spec: Record<string, unknown> = {}): Pod {
  return JSON.parse(JSON.stringify(podWith(spec)));
}
function podWith(spec: Record<string, unknown>): Pod {
  return {
    metadata: { name: "build-1-abcde", namespace: "jenkins-agents", labels: { "jenkins/label": "build" } },
    spec: {
      serviceAccountName: "jenkins-agent",
      automountServiceAccountToken: false,
      nodeSelector: { "jenkins-agent-bridge/capacity": "agents", "kubernetes.io/os": "linux" },
      tolerations: [
        { key: "jenkins-agent-bridge/agents", operator: "Equal", value: "true", effect: "NoSchedule" },
        {
          key: "node.kubernetes.io/not-ready",
          operator: "Exists",
          effect: "NoExecute",
          tolerationSeconds: 300,
        },
        {
          key: "node.kubernetes.io/unreachable",
          operator: "Exists",
          effect: "NoExecute",
          tolerationSeconds: 300,
        },
      ],
      containers: [
        {
          name: "jnlp",
          image: "jenkins/inbound-agent:3355.v388858a_47b_33-1",
          ports: [{ containerPort: 8080 }],
        },
      ],
      volumes: [{ name: "workspace-volume", emptyDir: {} }],
      ...spec,
    },
  };
}
const denied = (spec: Record<string, unknown>, operation: "CREATE" | "UPDATE" = "CREATE") =>
  denials(validations, agentPod(spec), operation);

describe("agent pod admission policy", () => {
  it("admits an agent pod, on creation and update", () => {
    assert.deepStrictEqual(denied({}), []);
    assert.deepStrictEqual(denied({ nodeName: "ip-10-20-1-5.ec2.internal" }, "UPDATE"), []);
  });

  it("denies another service account, the default one included", () => {
    assert.deepStrictEqual(denied({ serviceAccountName: "jenkins-controller" }), [M.account]);
    assert.deepStrictEqual(denied({ serviceAccountName: "default" }), [M.account]);
    assert.deepStrictEqual(denied({ serviceAccountName: undefined }), [M.account]);
  });

  it("denies a mounted or mountable service account token", () => {
    assert.deepStrictEqual(denied({ automountServiceAccountToken: true }), [M.automount]);
    assert.deepStrictEqual(denied({ automountServiceAccountToken: undefined }), [M.automount]);
    const projected = {
      name: "token",
      projected: {
        sources: [
          { configMap: { name: "kube-root-ca.crt" } },
          { serviceAccountToken: { path: "token", expirationSeconds: 3600 } },
        ],
      },
    };
    assert.deepStrictEqual(denied({ volumes: [{ name: "ws", emptyDir: {} }, projected] }), [M.projected]);
    assert.deepStrictEqual(
      denied({ volumes: [{ name: "ca", projected: { sources: [{ configMap: { name: "ca" } }] } }] }),
      [],
    );
  });

  it("denies host namespaces, host paths and host ports, in every kind of container", () => {
    for (const field of ["hostNetwork", "hostPID", "hostIPC"]) {
      assert.deepStrictEqual(denied({ [field]: true }), [M.hostNamespaces], field);
      assert.deepStrictEqual(denied({ [field]: false }), [], field);
    }
    assert.deepStrictEqual(
      denied({ volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }] }),
      [M.hostPath],
    );
    const withHostPort = { name: "c", image: "busybox:1", ports: [{ containerPort: 80, hostPort: 80 }] };
    assert.deepStrictEqual(denied({ containers: [withHostPort] }), [M.hostPorts]);
    assert.deepStrictEqual(
      denied({
        initContainers: [withHostPort],
        ephemeralContainers: [{ name: "debug", image: "busybox:1" }],
      }),
      [M.hostPorts],
    );
    assert.deepStrictEqual(denied({ ephemeralContainers: [withHostPort] }), [M.hostPorts]);
  });

  it("denies a pod that names its node on creation", () => {
    assert.deepStrictEqual(denied({ nodeName: "ip-10-20-1-5.ec2.internal" }), [M.nodeName]);
  });

  it("denies a pod that does not select agent nodes", () => {
    assert.deepStrictEqual(denied({ nodeSelector: undefined }), [M.nodeSelector]);
    assert.deepStrictEqual(denied({ nodeSelector: { "jenkins-agent-bridge/capacity": "system" } }), [
      M.nodeSelector,
    ]);
    assert.deepStrictEqual(denied({ nodeSelector: { "kubernetes.io/os": "linux" } }), [M.nodeSelector]);
  });

  it("denies tolerations beyond the agent taint and the not-ready and unreachable taints", () => {
    const withToleration = (t: Record<string, unknown>) =>
      denied({ tolerations: [(agentPod().spec.tolerations as unknown[])[0], t] });
    // Tolerate everything: an empty key with Exists.
    assert.deepStrictEqual(withToleration({ operator: "Exists" }), [M.tolerations]);
    assert.deepStrictEqual(withToleration({ key: "CriticalAddonsOnly", operator: "Exists" }), [
      M.tolerations,
    ]);
    assert.deepStrictEqual(withToleration({ key: "jenkins-agent-bridge/agents", operator: "Exists" }), [
      M.tolerations,
    ]);
    assert.deepStrictEqual(
      withToleration({ key: "jenkins-agent-bridge/agents", operator: "Equal", value: "true" }),
      [M.tolerations],
    );
    assert.deepStrictEqual(withToleration({ key: "node.kubernetes.io/not-ready", operator: "Exists" }), [
      M.tolerations,
    ]);
    assert.deepStrictEqual(
      withToleration({ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" }),
      [],
    );
    assert.deepStrictEqual(denied({ tolerations: undefined }), []);
  });

  it("reports every problem of a pod that asks for everything at once", () => {
    const hostile = {
      serviceAccountName: "jenkins-controller",
      automountServiceAccountToken: true,
      hostNetwork: true,
      nodeName: "ip-10-20-1-5.ec2.internal",
      nodeSelector: {},
      tolerations: [{ operator: "Exists" }],
      volumes: [{ name: "root", hostPath: { path: "/" } }],
      containers: [{ name: "c", image: "busybox:1", ports: [{ containerPort: 22, hostPort: 22 }] }],
    };
    assert.deepStrictEqual(denied(hostile), [
      M.account,
      M.automount,
      M.hostNamespaces,
      M.hostPath,
      M.hostPorts,
      M.nodeName,
      M.nodeSelector,
      M.tolerations,
    ]);
  });

  it("matches pods on creation, update and added ephemeral containers, whoever creates them, and denies on failure", () => {
    const policy = agentPodPolicy("jenkins-agent") as { spec: Record<string, unknown> };
    assert.deepStrictEqual(policy.spec.failurePolicy, "Fail");
    assert.deepStrictEqual(policy.spec.matchConstraints, {
      resourceRules: [
        {
          apiGroups: [""],
          apiVersions: ["v1"],
          operations: ["CREATE", "UPDATE"],
          resources: ["pods", "pods/ephemeralcontainers"],
        },
      ],
    });
    assert.deepStrictEqual(
      policy.spec.validations,
      validations.map((v) => ({ ...v, reason: "Forbidden" })),
    );
    const binding = agentPodPolicyBinding("jenkins-agents") as { spec: Record<string, unknown> };
    assert.strictEqual(binding.spec.policyName, AGENT_POD_POLICY);
    assert.deepStrictEqual(binding.spec.validationActions, ["Deny"]);
    assert.deepStrictEqual(binding.spec.matchResources, {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "jenkins-agents" } },
    });
    validateKubernetesObject(agentPodPolicy("jenkins-agent"));
    validateKubernetesObject(agentPodPolicyBinding("jenkins-agents"));
  });
});
