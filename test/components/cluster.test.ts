/**
 * AgentCluster and AgentProxy, in whole-program mock runs. What this does not prove: that EKS
 * accepts the cluster, that Pod Security admits the pods, or that the VPC CNI enforces the
 * policies; those need a real cluster.
 */
import * as assert from "assert";
import { PROXY_CONTAINER_SECURITY } from "../../components/proxy/proxy";
import { deliveredNginxConf } from "../../plan/artifacts";
import { validateKubernetesObject } from "../harness/kubernetes-schema";
import { planStack, PlanView, T } from "../harness/plan";

type Inputs = Record<string, unknown>;
const spec = (r: { inputs: Inputs }) => r.inputs.spec as Inputs;

describe("AgentCluster", () => {
  for (const stack of ["dev", "prod", "tcp"]) {
    describe(`stack ${stack}`, () => {
      let view: PlanView;
      before(async () => {
        view = await planStack(stack);
      });

      it("runs EKS in the agent VPC's private subnets, API reachable privately, from the controller's NAT and from where Pulumi runs", () => {
        const cluster = view.one(T.eksCluster, "agents");
        const vpc = cluster.inputs.vpcConfig as Inputs;
        assert.deepStrictEqual(
          (vpc.subnetIds as string[]).map((id) => view.nameOf(id)),
          (vpc.subnetIds as string[]).map((_, i) => `agent-private-${i}`),
        );
        assert.strictEqual(vpc.endpointPrivateAccess, true);
        assert.strictEqual(vpc.endpointPublicAccess, true);
        const natIps = view
          .byType(T.nat)
          .filter((n) => n.name.startsWith("master-"))
          .map((n) => `${n.state?.publicIp}/32`);
        // Every committed stack deploys from the blocks it states (a documentation range until the
        // user fills in theirs): agentCluster.apiAccess.cidrs.
        assert.deepStrictEqual(vpc.publicAccessCidrs, [...natIps, "192.0.2.0/24"]);
        assert.ok(!(vpc.publicAccessCidrs as string[]).includes("0.0.0.0/0"));
      });

      it("authenticates with access entries, encrypts secrets with a rotating key, and logs the control plane", () => {
        const cluster = view.one(T.eksCluster, "agents");
        assert.deepStrictEqual(cluster.inputs.accessConfig, {
          authenticationMode: "API",
          bootstrapClusterCreatorAdminPermissions: false,
        });
        const key = view.one(T.kmsKey, "agents-secrets");
        assert.strictEqual(key.inputs.enableKeyRotation, true);
        assert.deepStrictEqual(cluster.inputs.encryptionConfig, {
          provider: { keyArn: key.state?.arn },
          resources: ["secrets"],
        });
        assert.deepStrictEqual(cluster.inputs.enabledClusterLogTypes, [
          "api",
          "audit",
          "authenticator",
          "controllerManager",
          "scheduler",
        ]);
        assert.strictEqual(
          view.one(T.logGroup, "agents-control-plane").inputs.name,
          `/aws/eks/agents-${stack}/cluster`,
        );
        const entry = view.one(T.accessEntry, "agents-admin-deployer");
        assert.strictEqual(entry.inputs.principalArn, "arn:aws:iam::123456789012:user/offline-plan");
        const association = view.one(T.accessPolicy, "agents-admin-deployer");
        assert.strictEqual(
          association.inputs.policyArn,
          "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        );
        assert.deepStrictEqual(association.inputs.accessScope, { type: "cluster" });
      });

      it("runs a managed node group with IMDSv2 required, out of pods' reach, and encrypted disks", () => {
        const template = view.one(T.launchTemplate, "agents-nodes");
        assert.deepStrictEqual(template.inputs.metadataOptions, {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: 1,
        });
        const disk = (template.inputs.blockDeviceMappings as Inputs[])[0].ebs as Inputs;
        assert.strictEqual(disk.encrypted, "true");
        const group = view.one(T.nodeGroup, "agents-nodes");
        assert.deepStrictEqual(group.inputs.launchTemplate, { id: template.id, version: "1" });
        // The nodes' version is the cluster's, so an upgrade rolls the nodes after the control plane.
        assert.strictEqual(view.one(T.eksCluster, "agents").inputs.version, "1.35");
        assert.strictEqual(group.inputs.version, "1.35");
        assert.strictEqual(group.inputs.nodeRoleArn, view.one(T.role, "agents-nodes").state?.arn);
        assert.notStrictEqual(view.one(T.role, "agents-nodes").id, view.one(T.role, "agents-cluster").id);
      });

      it("turns on network policy enforcement in the VPC CNI", () => {
        const addon = view.one(T.addon, "agents-vpc-cni");
        assert.strictEqual(addon.inputs.addonName, "vpc-cni");
        assert.deepStrictEqual(JSON.parse(String(addon.inputs.configurationValues)), {
          enableNetworkPolicy: "true",
        });
      });

      it("labels the agent namespace restricted and bounds it with limits and a quota", () => {
        const ns = view.one(T.namespace, "agents-agents");
        const labels = (ns.inputs.metadata as Inputs).labels as Inputs;
        for (const mode of ["enforce", "audit", "warn"]) {
          assert.strictEqual(labels[`pod-security.kubernetes.io/${mode}`], "restricted");
        }
        assert.deepStrictEqual(spec(view.one(T.limitRange, "agents-agents")).limits, [
          {
            type: "Container",
            defaultRequest: { cpu: "250m", memory: "256Mi" },
            default: { cpu: "1", memory: "1Gi" },
          },
        ]);
        assert.ok(spec(view.one(T.quota, "agents-agents")).hard);
      });

      it("gives the controller a role for agent pods only, bound to its service account, with a token", () => {
        const role = view.one(T.k8sRole, "agents-controller");
        assert.deepStrictEqual(
          (role.inputs.rules as Inputs[]).map((r) => (r.resources as string[]).join()),
          ["pods", "pods/exec", "pods/log", "events"],
        );
        const binding = view.one(T.roleBinding, "agents-controller");
        assert.deepStrictEqual(binding.inputs.subjects, [
          { kind: "ServiceAccount", name: "jenkins-controller", namespace: "jenkins-agents" },
        ]);
        const token = view.one(T.k8sSecret, "agents-controller-token");
        assert.strictEqual(token.inputs.type, "kubernetes.io/service-account-token");
        assert.strictEqual(
          ((token.inputs.metadata as Inputs).annotations as Inputs)["kubernetes.io/service-account.name"],
          "jenkins-controller",
        );
        const agentAccount = view.one(T.serviceAccount, "agents-agent");
        assert.strictEqual(agentAccount.inputs.automountServiceAccountToken, false);
        assert.strictEqual((agentAccount.inputs.metadata as Inputs).name, "jenkins-agent");
      });

      it("keeps agent pods from the controller except by their agent path", () => {
        const policy = spec(view.one(T.networkPolicy, "agents-agent-egress"));
        assert.deepStrictEqual(policy.policyTypes, ["Egress"]);
        const egress = policy.egress as Inputs[];
        const cidr = stack === "dev" ? "10.20.0.0/16" : stack === "prod" ? "10.40.0.0/16" : "10.60.0.0/16";
        assert.deepStrictEqual(egress[1], { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [cidr] } }] });
        assert.deepStrictEqual(
          egress[2],
          stack === "tcp"
            ? {
                to: [{ ipBlock: { cidr } }],
                ports: [
                  { protocol: "TCP", port: 8080 },
                  { protocol: "TCP", port: 50000 },
                ],
              }
            : {
                to: [
                  {
                    podSelector: {
                      matchLabels: {
                        "app.kubernetes.io/name": "agent-proxy",
                        "app.kubernetes.io/part-of": "jenkins-agent-bridge",
                      },
                    },
                  },
                ],
                ports: [{ protocol: "TCP", port: 8080 }],
              },
        );
        assert.strictEqual(egress.length, 3);
      });

      it("builds every Kubernetes object valid against the Kubernetes API schema", () => {
        const objects = view.resources.filter((r) => r.type.startsWith("kubernetes:"));
        for (const object of objects) {
          assert.doesNotThrow(() => validateKubernetesObject(object.inputs), `${object.type} ${object.name}`);
        }
      });

      if (stack === "tcp") {
        it("deploys no proxy in tcp mode, and no nginx.conf", () => {
          assert.strictEqual(view.byType(T.agentProxy).length, 0);
          assert.strictEqual(view.byType(T.deployment).length, 0);
          assert.strictEqual(deliveredNginxConf(view.plan), undefined);
        });
      }
    });
  }
});

describe("AgentProxy", () => {
  let view: PlanView;
  before(async () => {
    view = await planStack("dev");
  });

  it("runs two or more unprivileged nginx replicas under the restricted profile, read-only root", () => {
    const deployment = view.one(T.deployment, "proxy");
    const deploymentSpec = spec(deployment);
    assert.strictEqual(deploymentSpec.replicas, 2);
    const pod = (deploymentSpec.template as Inputs).spec as Inputs;
    assert.strictEqual(pod.automountServiceAccountToken, false);
    assert.deepStrictEqual(pod.securityContext, {
      runAsNonRoot: true,
      runAsUser: 101,
      runAsGroup: 101,
      seccompProfile: { type: "RuntimeDefault" },
    });
    const container = (pod.containers as Inputs[])[0];
    assert.strictEqual(container.image, "nginxinc/nginx-unprivileged:1.29.8-alpine");
    assert.deepStrictEqual(container.securityContext, PROXY_CONTAINER_SECURITY);
    assert.deepStrictEqual(container.securityContext, {
      runAsNonRoot: true,
      runAsUser: 101,
      runAsGroup: 101,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepStrictEqual(container.resources, {
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "100m", memory: "128Mi" },
    });
    assert.deepStrictEqual((container.readinessProbe as Inputs).httpGet, { path: "/healthz", port: "http" });
    assert.deepStrictEqual((container.livenessProbe as Inputs).httpGet, { path: "/healthz", port: "http" });
    assert.deepStrictEqual(container.volumeMounts, [
      { name: "config", mountPath: "/etc/nginx/agent-proxy", readOnly: true },
      { name: "tmp", mountPath: "/tmp" },
    ]);
    assert.strictEqual(pod.terminationGracePeriodSeconds, 75);
    assert.deepStrictEqual(container.lifecycle, { preStop: { exec: { command: ["sleep", "5"] } } });
    assert.deepStrictEqual(
      (pod.topologySpreadConstraints as Inputs[]).map((c) => c.topologyKey),
      ["kubernetes.io/hostname", "topology.kubernetes.io/zone"],
    );
  });

  it("mounts the rendered config and the gateway's CA, and rolls the pods when either changes", async () => {
    const config = view.one(T.configMap, "proxy-config");
    const data = config.inputs.data as Inputs;
    assert.strictEqual(data["ca.pem"], view.plan.outputs.gatewayCaCertificatePem);
    assert.match(
      String(data["nginx.conf"]),
      /proxy_ssl_trusted_certificate \/etc\/nginx\/agent-proxy\/ca\.pem;/,
    );
    const checksum = (view: PlanView) =>
      (((spec(view.one(T.deployment, "proxy")).template as Inputs).metadata as Inputs).annotations as Inputs)[
        "jenkins-agent-bridge/config-sha256"
      ];
    assert.match(String(checksum(view)), /^[0-9a-f]{64}$/);
    const changed = await planStack("dev", ["proxy.timeoutMinutes=15"]);
    assert.notStrictEqual(checksum(changed), checksum(view));
  });

  it("exposes a ClusterIP service, keeps one replica through disruptions", () => {
    assert.deepStrictEqual(spec(view.one(T.k8sService, "proxy")).ports, [
      { name: "http", port: 8080, targetPort: "http", protocol: "TCP" },
    ]);
    assert.strictEqual(spec(view.one(T.k8sService, "proxy")).type, "ClusterIP");
    assert.strictEqual(spec(view.one(T.pdb, "proxy")).minAvailable, 1);
  });

  it("admits only pods of the agent namespace, and lets out only TLS to the endpoint and DNS", () => {
    const policy = spec(view.one(T.networkPolicy, "proxy"));
    assert.deepStrictEqual(policy.policyTypes, ["Ingress", "Egress"]);
    assert.deepStrictEqual(policy.ingress, [
      { from: [{ podSelector: {} }], ports: [{ protocol: "TCP", port: 8080 }] },
    ]);
    assert.deepStrictEqual(policy.egress, [
      { to: [{ ipBlock: { cidr: "10.20.0.0/16" } }], ports: [{ protocol: "TCP", port: 443 }] },
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
    ]);
  });

  it("is where websocket agents are told to connect", () => {
    assert.strictEqual(
      view.plan.outputs.agentUrl,
      "http://agent-proxy.jenkins-agents.svc.cluster.local:8080/",
    );
  });
});
