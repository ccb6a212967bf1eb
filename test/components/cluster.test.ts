/**
 * AgentCluster and AgentProxy, in whole-program mock runs. What this does not prove: that EKS
 * accepts the cluster, that Pod Security admits the pods, or that the VPC CNI enforces the
 * policies; those need a real cluster.
 */
import * as assert from "assert";
import { agentPodValidations } from "../../components/cluster/admission";
import { PROXY_CONTAINER_SECURITY, PROXY_LABELS } from "../../components/proxy/proxy";
import { deliveredNginxConf } from "../../offline/artifacts";
import { validateKubernetesObject } from "../harness/kubernetes-schema";
import { connects, Policy } from "../harness/network-policy";
import { planStack, PlanView, T } from "../harness/plan";

type Inputs = Record<string, unknown>;
const spec = (r: { inputs: Inputs }) => r.inputs.spec as Inputs;
/** The NetworkPolicies a plan declares, as the cluster would hold them. */
const plannedPolicies = (view: PlanView): Policy[] =>
  view.byType(T.networkPolicy).map((r) => ({
    namespace: String((r.inputs.metadata as Inputs).namespace),
    spec: r.inputs.spec as Policy["spec"],
  }));

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

      it("runs the system node group with IMDSv2 required, out of pods' reach, encrypted disks and a group of its own", () => {
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
        // The cluster's group (control plane and node-to-node traffic) and the system nodes' own.
        const clusterSg = (
          view.one(T.eksCluster, "agents").state?.vpcConfig as { clusterSecurityGroupId: string }
        ).clusterSecurityGroupId;
        assert.deepStrictEqual(template.inputs.vpcSecurityGroupIds, [
          clusterSg,
          view.one(T.securityGroup, "agents-system").id,
        ]);
        assert.deepStrictEqual(group.inputs.labels, { "jenkins-agent-bridge/capacity": "system" });
        assert.strictEqual(group.inputs.taints, undefined);
        const sizes = {
          dev: [1, "SPOT", ["t3a.medium", "t3.medium"]],
          prod: [3, "ON_DEMAND", ["t3.medium"]],
          tcp: [2, "ON_DEMAND", ["t3.medium"]],
        }[stack];
        assert.deepStrictEqual(
          [group.inputs.scalingConfig, group.inputs.capacityType, group.inputs.instanceTypes],
          [{ minSize: sizes?.[0], desiredSize: sizes?.[0], maxSize: sizes?.[0] }, sizes?.[1], sizes?.[2]],
        );
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

      it("keeps the controller's service account and token in a namespace of their own, bound into the agent namespace", () => {
        const meta = (r: { inputs: Inputs }) => r.inputs.metadata as Inputs;
        assert.deepStrictEqual(
          view.byType(T.namespace).map((n) => meta(n).name),
          stack === "tcp"
            ? ["jenkins-agents", "jenkins-controller"]
            : ["jenkins-agents", "jenkins-controller", "jenkins-agent-proxy"],
        );
        const controllerNs = view.one(T.namespace, "agents-controller");
        assert.strictEqual(
          (meta(controllerNs).labels as Inputs)["pod-security.kubernetes.io/enforce"],
          "restricted",
        );
        const role = view.one(T.k8sRole, "agents-controller");
        assert.strictEqual(meta(role).namespace, "jenkins-agents");
        assert.deepStrictEqual(
          (role.inputs.rules as Inputs[]).map((r) => (r.resources as string[]).join()),
          ["pods", "pods/exec", "pods/log", "events"],
        );
        // One binding, in the agent namespace only, of the account that lives elsewhere.
        assert.strictEqual(view.byType(T.roleBinding).length, 1);
        const binding = view.one(T.roleBinding, "agents-controller");
        assert.strictEqual(meta(binding).namespace, "jenkins-agents");
        assert.deepStrictEqual(binding.inputs.roleRef, {
          apiGroup: "rbac.authorization.k8s.io",
          kind: "Role",
          name: "jenkins-controller",
        });
        assert.deepStrictEqual(binding.inputs.subjects, [
          { kind: "ServiceAccount", name: "jenkins-controller", namespace: "jenkins-controller" },
        ]);
        const account = view.one(T.serviceAccount, "agents-controller");
        assert.deepStrictEqual(meta(account), {
          name: "jenkins-controller",
          namespace: "jenkins-controller",
        });
        assert.strictEqual(account.inputs.automountServiceAccountToken, false);
        const token = view.one(T.k8sSecret, "agents-controller-token");
        assert.strictEqual(token.inputs.type, "kubernetes.io/service-account-token");
        assert.strictEqual(meta(token).namespace, "jenkins-controller");
        assert.match(String(meta(token).name), /^jenkins-controller-token-\d+$/);
        assert.strictEqual(
          (meta(token).annotations as Inputs)["kubernetes.io/service-account.name"],
          "jenkins-controller",
        );
        const agentAccount = view.one(T.serviceAccount, "agents-agent");
        assert.strictEqual(agentAccount.inputs.automountServiceAccountToken, false);
        assert.deepStrictEqual(meta(agentAccount), { name: "jenkins-agent", namespace: "jenkins-agents" });
      });

      it("keeps no Secret, no account but the agents' and nothing of the proxy in the agent namespace", () => {
        const inAgents = view.resources.filter(
          (r) =>
            r.type.startsWith("kubernetes:") && (r.inputs.metadata as Inputs)?.namespace === "jenkins-agents",
        );
        assert.deepStrictEqual(
          inAgents.filter((r) => r.type === T.k8sSecret),
          [],
        );
        assert.deepStrictEqual(
          inAgents.filter((r) => r.type === T.serviceAccount).map((r) => r.name),
          ["agents-agent"],
        );
        // Besides the namespace's own objects, only the scheduled agent path check (a CronJob run as
        // an agent pod under the admission policy, and its script).
        assert.deepStrictEqual(
          inAgents.map((r) => r.type).sort(),
          [
            T.limitRange,
            T.networkPolicy,
            T.quota,
            T.k8sRole,
            T.roleBinding,
            T.serviceAccount,
            T.cronJob,
            T.configMap,
          ].sort(),
        );
      });

      it("pins agent pods with an admission policy bound to the agent namespace", () => {
        const policySpec = spec(view.one(T.admissionPolicy, "agents-agent-pods"));
        assert.strictEqual(policySpec.failurePolicy, "Fail");
        assert.deepStrictEqual(
          (policySpec.validations as Inputs[]).map((v) => v.expression),
          agentPodValidations("jenkins-agent").map((v) => v.expression),
        );
        assert.deepStrictEqual(spec(view.one(T.admissionBinding, "agents-agent-pods")), {
          policyName: "jenkins-agent-pods",
          validationActions: ["Deny"],
          matchResources: {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "jenkins-agents" } },
          },
        });
      });

      it("keeps agent pods from the controller except by their agent path", () => {
        const policy = spec(view.one(T.networkPolicy, "agents-agent-egress"));
        assert.deepStrictEqual(policy.podSelector, {});
        assert.deepStrictEqual(policy.policyTypes, ["Egress"]);
        const egress = policy.egress as Inputs[];
        const cidr = stack === "dev" ? "10.20.0.0/16" : stack === "prod" ? "10.40.0.0/16" : "10.60.0.0/16";
        assert.deepStrictEqual(egress[1], { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [cidr] } }] });
        assert.deepStrictEqual(
          egress[2],
          stack === "tcp"
            ? {
                // The endpoint's two network interfaces (one per agent private subnet), nothing else.
                to: [{ ipBlock: { cidr: "10.60.0.4/32" } }, { ipBlock: { cidr: "10.60.16.4/32" } }],
                ports: [
                  { protocol: "TCP", port: 8080 },
                  { protocol: "TCP", port: 50000 },
                ],
              }
            : {
                to: [
                  {
                    namespaceSelector: {
                      matchLabels: { "kubernetes.io/metadata.name": "jenkins-agent-proxy" },
                    },
                  },
                ],
                ports: [{ protocol: "TCP", port: 8080 }],
              },
        );
        assert.strictEqual(egress.length, 3);
      });

      it("gives a build pod labelled like the proxy nothing more than any build pod", () => {
        const policies = plannedPolicies(view);
        const net = stack === "dev" ? "10.20" : stack === "prod" ? "10.40" : "10.60";
        const build = { namespace: "jenkins-agents", labels: { "jenkins/label": "build" }, ip: `${net}.8.8` };
        const disguised = { ...build, labels: { ...build.labels, ...PROXY_LABELS } };
        const proxyPod = { namespace: "jenkins-agent-proxy", labels: PROXY_LABELS, ip: `${net}.9.9` };
        // The endpoint's first network interface, as the offline plan addresses it.
        const endpoint = { ip: `${net}.0.4` };
        const otherVpcHost = { ip: `${net}.5.5` };
        const dns = { namespace: "kube-system", labels: { "k8s-app": "kube-dns" }, ip: `${net}.3.3` };
        const reach = (pod: typeof build) => ({
          // tcp stacks have no proxy.
          ...(stack === "tcp" ? {} : { proxy: connects(policies, pod, proxyPod, 8080) }),
          endpointTls: connects(policies, pod, endpoint, 443),
          endpointHttp: connects(policies, pod, endpoint, 8080),
          endpointJnlp: connects(policies, pod, endpoint, 50000),
          otherVpcHostHttp: connects(policies, pod, otherVpcHost, 8080),
          otherVpcHostJnlp: connects(policies, pod, otherVpcHost, 50000),
          clusterApi: connects(policies, pod, { ip: `${net}.2.2` }, 443),
          kubelet: connects(policies, pod, { ip: `${net}.4.4` }, 10250),
          dns: connects(policies, pod, dns, 53, "UDP"),
          internet: connects(policies, pod, { ip: "203.0.113.7" }, 443),
        });
        const tcp = stack === "tcp";
        assert.deepStrictEqual(reach(build), {
          ...(tcp ? {} : { proxy: true }),
          endpointTls: false,
          endpointHttp: tcp,
          endpointJnlp: tcp,
          otherVpcHostHttp: false,
          otherVpcHostJnlp: false,
          clusterApi: false,
          kubelet: false,
          dns: true,
          internet: true,
        });
        assert.deepStrictEqual(reach(disguised), reach(build));
      });

      it("builds every Kubernetes object valid against the Kubernetes API schema", () => {
        // Helm releases are the provider's own resources, not objects of the Kubernetes API.
        const objects = view.resources.filter(
          (r) => r.type.startsWith("kubernetes:") && r.type !== T.helmRelease,
        );
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

  it("runs in a namespace of its own, on system nodes, behind a Service only its own namespace can join", () => {
    const ns = view.one(T.namespace, "proxy");
    assert.strictEqual((ns.inputs.metadata as Inputs).name, "jenkins-agent-proxy");
    assert.strictEqual(
      ((ns.inputs.metadata as Inputs).labels as Inputs)["pod-security.kubernetes.io/enforce"],
      "restricted",
    );
    // A Service selects pods of its own namespace only: no build pod can join this one.
    for (const r of view.childrenOf(view.one(T.agentProxy, "proxy")).filter((r) => r.type !== T.namespace)) {
      assert.strictEqual(
        (r.inputs.metadata as Inputs).namespace,
        "jenkins-agent-proxy",
        `${r.type} ${r.name}`,
      );
    }
    const pod = (spec(view.one(T.deployment, "proxy")).template as Inputs).spec as Inputs;
    assert.deepStrictEqual(pod.nodeSelector, { "jenkins-agent-bridge/capacity": "system" });
    // The controller is bound nowhere but the agent namespace: it can create nothing here.
    assert.deepStrictEqual(
      view.byType(T.roleBinding).map((b) => (b.inputs.metadata as Inputs).namespace),
      ["jenkins-agents"],
    );
  });

  it("admits only pods of the agent namespace, and lets out only TLS to the endpoint and DNS", () => {
    const policy = spec(view.one(T.networkPolicy, "proxy"));
    assert.deepStrictEqual(policy.podSelector, {});
    assert.deepStrictEqual(policy.policyTypes, ["Ingress", "Egress"]);
    assert.deepStrictEqual(policy.ingress, [
      {
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "jenkins-agents" } } }],
        ports: [{ protocol: "TCP", port: 8080 }],
      },
    ]);
    const policies = plannedPolicies(view);
    const proxyPod = { namespace: "jenkins-agent-proxy", labels: PROXY_LABELS, ip: "10.20.9.9" };
    const from = (namespace: string) => ({ namespace, labels: PROXY_LABELS, ip: "10.20.8.8" });
    assert.strictEqual(connects(policies, from("jenkins-agents"), proxyPod, 8080), true);
    assert.strictEqual(connects(policies, from("default"), proxyPod, 8080), false);
    assert.strictEqual(connects(policies, from("jenkins-agents"), proxyPod, 8081), false);
    // The endpoint's network interfaces (as the offline plan addresses them), on 443 only; not the
    // rest of the VPC, such as the cluster's private API endpoint.
    assert.strictEqual(connects(policies, proxyPod, { ip: "10.20.0.4" }, 443), true);
    assert.strictEqual(connects(policies, proxyPod, { ip: "10.20.16.4" }, 443), true);
    assert.strictEqual(connects(policies, proxyPod, { ip: "10.20.0.4" }, 8080), false);
    assert.strictEqual(connects(policies, proxyPod, { ip: "10.20.1.100" }, 443), false);
    assert.strictEqual(connects(policies, proxyPod, { ip: "203.0.113.7" }, 443), false);
    assert.deepStrictEqual(policy.egress, [
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
    ]);
  });

  it("is where websocket agents are told to connect", () => {
    assert.strictEqual(
      view.plan.outputs.agentUrl,
      "http://agent-proxy.jenkins-agent-proxy.svc.cluster.local:8080/",
    );
  });
});
