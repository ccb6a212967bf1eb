import * as assert from "assert";
import { parse } from "yaml";
import { JcascInputs, KubernetesCloud, renderJcasc } from "../../components/jenkins/jcasc";
import { golden } from "../harness/golden";

const cloud: KubernetesCloud = {
  serverUrl: "https://ABC.gr7.us-east-1.eks.amazonaws.com",
  serverCertificate: "-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n",
  namespace: "jenkins-agents",
  jenkinsUrl: "http://agent-proxy.jenkins-agents.svc.cluster.local:8080",
  agentImage: "jenkins/inbound-agent:3355.v388858a_47b_33-14-jdk21",
  serviceAccount: "jenkins-agent",
  containerCap: 20,
  pod: {
    buildImage: "alpine:3.24.1",
    build: {
      cpuRequestMillicores: 750,
      cpuLimitMillicores: 1500,
      memoryRequestMiB: 1536,
      memoryLimitMiB: 3072,
      ephemeralStorageRequestMiB: 4096,
      ephemeralStorageLimitMiB: 10240,
    },
    activeDeadlineSeconds: 7200,
    orphanTimeoutSeconds: 600,
  },
};

const base: JcascInputs = {
  transport: "websocket",
  adminUser: "admin",
  url: "https://jenkins.example.com",
  systemMessage: "Managed by Pulumi (stack dev). Changes made in the UI are replaced at the next restart.",
  cloud,
};

const tcpInputs: JcascInputs = {
  ...base,
  transport: "tcp",
  cloud: {
    ...cloud,
    jenkinsUrl: "http://jenkins.tcp.ci.internal:8080/",
    tunnel: "jenkins.tcp.ci.internal:50000",
  },
};

describe("JCasC", () => {
  it("renders the websocket controller as in its golden file", () => {
    golden("jcasc-websocket.golden.yaml", renderJcasc(base));
  });

  it("renders the tcp controller as in its golden file", () => {
    golden("jcasc-tcp.golden.yaml", renderJcasc(tcpInputs));
  });

  for (const [transport, port] of [
    ["websocket", -1],
    ["tcp", 50000],
  ] as const) {
    it(`sets the security-relevant keys exactly (${transport})`, () => {
      const doc = parse(renderJcasc({ ...base, transport }));
      assert.strictEqual(doc.jenkins.numExecutors, 0);
      assert.strictEqual(doc.jenkins.slaveAgentPort, port);
      assert.deepStrictEqual(doc.jenkins.securityRealm, {
        local: { allowsSignup: false, users: [{ id: "admin", password: "${JENKINS_ADMIN_PASSWORD}" }] },
      });
      // The admin administers, every other signed-in user reads, anonymous gets nothing.
      assert.deepStrictEqual(doc.jenkins.authorizationStrategy, {
        globalMatrix: {
          entries: [
            { user: { name: "admin", permissions: ["Overall/Administer"] } },
            { group: { name: "authenticated", permissions: ["Overall/Read", "Job/Read", "View/Read"] } },
          ],
        },
      });
      assert.ok(!JSON.stringify(doc).includes("anonymous"));
      assert.ok(!JSON.stringify(doc).includes("loggedInUsersCanDoAnything"));
      assert.strictEqual(doc.unclassified.location.url, "https://jenkins.example.com/");
    });
  }

  it("never emits agentProtocols (deprecated: JCasC would refuse it and Jenkins not start)", () => {
    for (const transport of ["websocket", "tcp"] as const) {
      assert.ok(!renderJcasc({ ...base, transport }).includes("agentProtocols"));
    }
  });

  it("websocket agents: webSocket on, the proxy's URL with a slash, no tunnel and no direct connection", () => {
    const agents = parse(renderJcasc(base)).jenkins.clouds[0].kubernetes;
    assert.strictEqual(agents.webSocket, true);
    assert.strictEqual(agents.jenkinsUrl, "http://agent-proxy.jenkins-agents.svc.cluster.local:8080/");
    assert.strictEqual(agents.jenkinsTunnel, undefined);
    assert.strictEqual(agents.directConnection, undefined);
  });

  it("tcp agents: webSocket off, the private name on 8080, the tunnel to 50000", () => {
    const agents = parse(renderJcasc(tcpInputs)).jenkins.clouds[0].kubernetes;
    assert.strictEqual(agents.webSocket, false);
    assert.strictEqual(agents.jenkinsUrl, "http://jenkins.tcp.ci.internal:8080/");
    assert.strictEqual(agents.jenkinsTunnel, "jenkins.tcp.ci.internal:50000");
    assert.strictEqual(agents.directConnection, undefined);
  });

  it("points the cloud at the cluster with a token credential read from the environment", () => {
    const doc = parse(renderJcasc(base));
    const agents = doc.jenkins.clouds[0].kubernetes;
    assert.deepStrictEqual(
      [
        agents.serverUrl,
        agents.serverCertificate,
        agents.credentialsId,
        agents.namespace,
        agents.restrictedPssSecurityContext,
      ],
      [cloud.serverUrl, cloud.serverCertificate, "agent-cluster-token", "jenkins-agents", true],
    );
    assert.deepStrictEqual(doc.credentials.system.domainCredentials[0].credentials, [
      {
        string: {
          scope: "SYSTEM",
          id: "agent-cluster-token",
          description: "Token of the controller's service account in the agent cluster",
          secret: "${KUBERNETES_TOKEN}",
        },
      },
    ]);
  });

  for (const inputs of [base, tcpInputs]) {
    it(`renders the agent pod template exactly (${inputs.transport})`, () => {
      const agents = parse(renderJcasc(inputs)).jenkins.clouds[0].kubernetes;
      // Every pod template, also one a Jenkinsfile declares, inherits this one; orphans go.
      assert.strictEqual(agents.defaultsProviderTemplate, "inbound");
      assert.deepStrictEqual(agents.garbageCollection, { timeout: 600 });
      assert.strictEqual(agents.templates.length, 1);
      const { yaml, ...template } = agents.templates[0] as Record<string, unknown> & { yaml: string };
      assert.deepStrictEqual(template, {
        name: "inbound",
        label: "kubernetes",
        namespace: "jenkins-agents",
        serviceAccount: "jenkins-agent",
        nodeSelector: "jenkins-agent-bridge/capacity=agents",
        // Karpenter drains no node for drift or consolidation while a build runs on it.
        annotations: [{ key: "karpenter.sh/do-not-disrupt", value: "true" }],
        activeDeadlineSeconds: 7200,
        runAsUser: "1000",
        runAsGroup: "1000",
        containers: [
          {
            name: "jnlp",
            image: cloud.agentImage,
            resourceRequestCpu: "500m",
            resourceRequestMemory: "512Mi",
            resourceRequestEphemeralStorage: "256Mi",
            resourceLimitCpu: "1",
            resourceLimitMemory: "1Gi",
            resourceLimitEphemeralStorage: "1Gi",
          },
          {
            name: "build",
            image: "alpine:3.24.1",
            command: "cat",
            ttyEnabled: true,
            resourceRequestCpu: "750m",
            resourceRequestMemory: "1536Mi",
            resourceRequestEphemeralStorage: "4Gi",
            resourceLimitCpu: "1500m",
            resourceLimitMemory: "3Gi",
            resourceLimitEphemeralStorage: "10Gi",
          },
        ],
      });
      assert.deepStrictEqual(parse(yaml), {
        apiVersion: "v1",
        kind: "Pod",
        spec: {
          automountServiceAccountToken: false,
          tolerations: [
            { key: "jenkins-agent-bridge/agents", operator: "Equal", value: "true", effect: "NoSchedule" },
          ],
        },
      });
      // Deprecated pod-level resource setters would make JCasC refuse the file.
      for (const key of [
        "resourceRequestCpu",
        "resourceRequestMemory",
        "resourceLimitCpu",
        "resourceLimitMemory",
      ]) {
        assert.strictEqual(
          (template as Record<string, unknown>)[key],
          undefined,
          `${key} belongs on the container template`,
        );
      }
    });
  }

  it("renders no cloud and no credentials without a cluster", () => {
    const doc = parse(renderJcasc({ ...base, cloud: undefined }));
    assert.strictEqual(doc.jenkins.clouds, undefined);
    assert.strictEqual(doc.credentials, undefined);
  });

  it("keeps a trailing slash on the URL without doubling it", () => {
    assert.strictEqual(
      parse(renderJcasc({ ...base, url: "http://a/" })).unclassified.location.url,
      "http://a/",
    );
  });
});
