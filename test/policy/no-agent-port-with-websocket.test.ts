import * as assert from "assert";
import { messages, Resource } from "../../policy/lib/resources";
import { COMPONENT_TYPES, TYPES } from "../../policy/lib/types";
import {
  AGENT_PORT,
  agentPortFindings,
  checkAgentPort,
  noAgentPortWithWebsocket,
  resolveTransport,
  TransportDecision,
} from "../../policy/policies/no-agent-port-with-websocket";
import { JENKINS_AGENT_PORT, Transport } from "../../components/shared/jenkins";
import { TOKENS } from "../../components/shared/tokens";
import { containerDefinitions } from "../../components/jenkins/task-definition";
import { renderJcasc } from "../../components/jenkins/jcasc";
import { defaultAgentPodSettings } from "../../config/agent-pod";
import { runStackPolicy, TestResource, urnOf } from "./harness";

const r = (type: string, name: string, props: Record<string, unknown>): Resource => ({ type, name, props });
const proxy = r(COMPONENT_TYPES.agentProxy, "proxy", {});
const WEBSOCKET: TransportDecision = { transport: "websocket", source: "policy config" };
const TAIL = "with transport websocket (policy config) port 50000 stays closed";

/** The controller's container definitions as the program renders them for a transport. */
function taskFor(transport: Transport): Resource {
  const jcasc = renderJcasc({
    transport,
    adminUser: "admin",
    url: "https://jenkins.example.com/",
    systemMessage: "Managed by Pulumi",
    cloud: {
      serverUrl: "https://api",
      serverCertificate: "PEM",
      namespace: "jenkins-agents",
      jenkinsUrl: "http://jenkins.ci.internal:8080/",
      tunnel: transport === "tcp" ? "jenkins.ci.internal:50000" : undefined,
      agentImage: "jenkins/inbound-agent",
      serviceAccount: "jenkins-agent",
      containerCap: 10,
      pod: defaultAgentPodSettings(),
    },
  });
  const definitions = containerDefinitions({
    image: "jenkins/jenkins",
    transport,
    jcasc,
    plugins: ["kubernetes:1"],
    adminSecretArn: "arn:admin",
    logGroupName: "/ecs/jenkins",
    region: "us-east-1",
  });
  return r("aws:ecs/taskDefinition:TaskDefinition", "task", {
    containerDefinitions: JSON.stringify(definitions),
  });
}

describe("policy no-agent-port-with-websocket", () => {
  it("uses the agent proxy component's type token", () => {
    assert.strictEqual(COMPONENT_TYPES.agentProxy, TOKENS.agentProxy);
  });

  it("watches the program's agent port", () => {
    assert.strictEqual(AGENT_PORT, JENKINS_AGENT_PORT);
  });

  describe("transport", () => {
    it("takes the policy config first", () => {
      assert.deepStrictEqual(resolveTransport("tcp", [proxy]), { transport: "tcp", source: "policy config" });
      assert.deepStrictEqual(resolveTransport("websocket", []), {
        transport: "websocket",
        source: "policy config",
      });
    });

    it("otherwise infers websocket from the stack output or the agent proxy, else tcp", () => {
      assert.deepStrictEqual(resolveTransport(undefined, [proxy]), {
        transport: "websocket",
        source: `inferred from ${COMPONENT_TYPES.agentProxy} "proxy"`,
      });
      const stack = r(TYPES.stack, "jenkins-agent-bridge-dev", { transport: "websocket" });
      assert.deepStrictEqual(resolveTransport(undefined, [stack]), {
        transport: "websocket",
        source: `stack output transport of ${TYPES.stack} "jenkins-agent-bridge-dev"`,
      });
      assert.deepStrictEqual(resolveTransport("WebSocket", [r(TYPES.stack, "s", { transport: "tcp" })]), {
        transport: "tcp",
        source: "inferred: no agent proxy and no websocket stack output",
      });
    });
  });

  describe("findings", () => {
    it("finds listener, target group and Kubernetes ports, as numbers or numeric strings", () => {
      assert.deepStrictEqual(
        agentPortFindings(r("aws:lb/listener:Listener", "l", { port: 50000, protocol: "TCP" })),
        ["port = 50000"],
      );
      assert.deepStrictEqual(
        agentPortFindings(
          r("aws:lb/targetGroup:TargetGroup", "t", { port: 8080, healthCheck: { port: "50000" } }),
        ),
        ['healthCheck.port = "50000"'],
      );
      assert.deepStrictEqual(
        agentPortFindings(
          r("kubernetes:core/v1:Service", "s", {
            spec: { ports: [{ port: 8080 }, { port: 50000, targetPort: 50000 }] },
          }),
        ),
        ["spec.ports[1].port = 50000", "spec.ports[1].targetPort = 50000"],
      );
      assert.deepStrictEqual(agentPortFindings(r("x:y/z:Z", "z", { ports: [8080, 50000], memory: 50000 })), [
        "ports[1] = 50000",
      ]);
    });

    it("finds security group ranges that cover the port, and all-traffic rules", () => {
      const ingress = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
      assert.deepStrictEqual(
        agentPortFindings(r(ingress, "range", { ipProtocol: "tcp", fromPort: 49000, toPort: 51000 })),
        ["fromPort..toPort = 49000-51000"],
      );
      assert.deepStrictEqual(
        agentPortFindings(r(ingress, "below", { ipProtocol: "tcp", fromPort: 8080, toPort: 49999 })),
        [],
      );
      assert.deepStrictEqual(
        agentPortFindings(r(ingress, "all", { ipProtocol: "-1", cidrIpv4: "10.0.0.0/8" })),
        ['ipProtocol = "-1" (all traffic, every port)'],
      );
      assert.deepStrictEqual(
        agentPortFindings(
          r("aws:ec2/securityGroup:SecurityGroup", "sg", {
            ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443 }],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
          }),
        ),
        ['egress[0].protocol = "-1" (all traffic, every port)'],
      );
      assert.deepStrictEqual(
        agentPortFindings(
          r("kubernetes:networking.k8s.io/v1:NetworkPolicy", "np", {
            spec: { egress: [{ ports: [{ port: 32000, endPort: 60000, protocol: "TCP" }] }] },
          }),
        ),
        ["spec.egress[0].ports[0].port..endPort = 32000-60000"],
      );
    });

    it("reads ECS definitions: port mappings and ranges, environment values, base64-encoded JCasC", () => {
      assert.deepStrictEqual(agentPortFindings(taskFor("websocket")), []);
      assert.deepStrictEqual(agentPortFindings(taskFor("tcp")), [
        'containerDefinitions[0].environment[0].value (base64 of CASC_YAML_BASE64): "slaveAgentPort: 50000"',
        'containerDefinitions[0].environment[0].value (base64 of CASC_YAML_BASE64): "jenkinsTunnel: jenkins.ci.internal:50000"',
        "containerDefinitions[1].portMappings[1].containerPort = 50000",
        'containerDefinitions[1].environment[2].value (JENKINS_SLAVE_AGENT_PORT): "50000"',
      ]);
      const ranged = JSON.stringify([{ name: "c", portMappings: [{ containerPortRange: "49000-51000" }] }]);
      assert.deepStrictEqual(
        agentPortFindings(r("aws:ecs/taskDefinition:TaskDefinition", "t", { containerDefinitions: ranged })),
        ['containerDefinitions[0].portMappings[0].containerPortRange = "49000-51000"'],
      );
    });

    it("reads configuration text and command lines, not names, ARNs, descriptions or tags", () => {
      const config = r("kubernetes:core/v1:ConfigMap", "casc", {
        metadata: { name: "casc-50000" },
        data: { "jenkins.yaml": "jenkins:\n  slaveAgentPort: 50000\n  numExecutors: 0\n" },
      });
      assert.deepStrictEqual(agentPortFindings(config), ['data.jenkins.yaml: "slaveAgentPort: 50000"']);
      const pod = r("kubernetes:core/v1:Pod", "p", {
        spec: {
          containers: [
            { name: "c", args: ["-tunnel", "jenkins:50000"], env: [{ name: "X", value: "a=50000" }] },
          ],
        },
      });
      assert.deepStrictEqual(agentPortFindings(pod), [
        'spec.containers[0].args[1]: "jenkins:50000"',
        'spec.containers[0].env[0].value (X): "a=50000"',
      ]);
      const secret = r("kubernetes:core/v1:Secret", "s", {
        data: { "jenkins.yaml": Buffer.from("jenkins:\n  slaveAgentPort: 50000\n").toString("base64") },
      });
      assert.deepStrictEqual(agentPortFindings(secret), ['data.jenkins.yaml: "slaveAgentPort: 50000"']);
      const named = r("aws:lb/targetGroup:TargetGroup", "gateway-50000", {
        port: 8080,
        name: "gateway-50000-944b74d",
        arn: "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/gateway-50000-944b74d/944b74ddcc1ec749",
        description: "was on 50000",
        tags: { Name: "gateway-50000" },
      });
      assert.deepStrictEqual(agentPortFindings(named), []);
      assert.deepStrictEqual(
        agentPortFindings(
          r("kubernetes:core/v1:ConfigMap", "v", { data: { v: "version 1.50000\nid x500001\n" } }),
        ),
        [],
      );
    });
  });

  it("reports every finding with transport websocket and nothing with tcp", () => {
    const stack = [r("aws:lb/listener:Listener", "gateway-50000", { port: 50000 }), taskFor("tcp")];
    assert.deepStrictEqual(checkAgentPort(stack, { transport: "tcp", source: "policy config" }), []);
    assert.deepStrictEqual(messages(checkAgentPort(stack, WEBSOCKET)), [
      `aws:lb/listener:Listener "gateway-50000": port 50000 at port = 50000; ${TAIL}`,
      `aws:ecs/taskDefinition:TaskDefinition "task": port 50000 at containerDefinitions[0].environment[0].value (base64 of CASC_YAML_BASE64): "slaveAgentPort: 50000"; ${TAIL}`,
      `aws:ecs/taskDefinition:TaskDefinition "task": port 50000 at containerDefinitions[0].environment[0].value (base64 of CASC_YAML_BASE64): "jenkinsTunnel: jenkins.ci.internal:50000"; ${TAIL}`,
      `aws:ecs/taskDefinition:TaskDefinition "task": port 50000 at containerDefinitions[1].portMappings[1].containerPort = 50000; ${TAIL}`,
      `aws:ecs/taskDefinition:TaskDefinition "task": port 50000 at containerDefinitions[1].environment[2].value (JENKINS_SLAVE_AGENT_PORT): "50000"; ${TAIL}`,
    ]);
  });

  describe("as a stack policy", () => {
    const listener: TestResource = {
      type: "aws:lb/listener:Listener",
      name: "gateway-50000",
      props: { port: 50000 },
    };
    const proxyComponent: TestResource = {
      type: COMPONENT_TYPES.agentProxy,
      name: "proxy",
      urn: urnOf(COMPONENT_TYPES.agentProxy, "proxy"),
      props: {},
    };
    const inferred = `with transport websocket (inferred from ${COMPONENT_TYPES.agentProxy} "proxy") port 50000 stays closed`;

    it("infers websocket from the agent proxy component", async () => {
      assert.deepStrictEqual(await runStackPolicy(noAgentPortWithWebsocket, [proxyComponent, listener]), [
        {
          message: `aws:lb/listener:Listener "gateway-50000": port 50000 at port = 50000; ${inferred}`,
          urn: urnOf("aws:lb/listener:Listener", "gateway-50000"),
        },
      ]);
    });

    it("follows the policy config over inference", async () => {
      assert.deepStrictEqual(
        await runStackPolicy(noAgentPortWithWebsocket, [proxyComponent, listener], { transport: "tcp" }),
        [],
      );
      assert.deepStrictEqual(
        (await runStackPolicy(noAgentPortWithWebsocket, [listener], { transport: "websocket" })).map(
          (v) => v.message,
        ),
        [`aws:lb/listener:Listener "gateway-50000": port 50000 at port = 50000; ${TAIL}`],
      );
    });

    it("declares the transport config as an enum", () => {
      assert.deepStrictEqual(noAgentPortWithWebsocket.configSchema?.properties.transport.enum, [
        "websocket",
        "tcp",
      ]);
    });
  });
});
