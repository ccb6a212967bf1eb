/**
 * The whole policy pack over the mock plans of the committed stacks (each planned once), the way a
 * policy run would see them: resource policies get each resource's inputs, stack policies the
 * state the mock engine returned. Then plans mutated the way a change could break a rule.
 *
 * Limit: mock plans resolve every reference to an ID, so stack policies match by ID here; the
 * engine's property dependencies (what a preview of a new stack relies on) are covered by the
 * unit tests of each policy.
 */
import * as assert from "assert";
import { PlannedResource } from "../../offline/engine";
import { planStack, PlanView, T } from "../harness/plan";
import { PackViolation, runPack } from "./harness";
import { OIDC } from "../harness/oidc";

const AGENT_PORT_TAIL = (source: string) => `with transport websocket (${source}) port 50000 stays closed`;
const FROM_PROXY = 'inferred from jenkins-agent-bridge:proxy:AgentProxy "proxy"';

const show = (found: PackViolation[]) => found.map((v) => `[${v.policy}] ${v.message}`);
const mandatory = (found: PackViolation[]) => found.filter((v) => v.enforcementLevel === "mandatory");

/** A copy of a plan's resources, safe to change. */
const copy = (view: PlanView): PlannedResource[] => structuredClone(view.resources);

function find(resources: PlannedResource[], type: string, name: string): PlannedResource {
  const found = resources.find((r) => r.type === type && r.name === name);
  assert.ok(found, `no ${type} named ${name}`);
  return found;
}

/** A resource as the controller component would register it. */
function injected(
  view: PlanView,
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): PlannedResource {
  const controller = view.one(T.controller, "jenkins");
  return {
    urn: `${controller.urn.replace(/::jenkins$/, "")}$${type}::${name}`,
    type,
    name,
    custom: true,
    protect: false,
    parent: controller.urn,
    inputs,
    id: `sgr-${name}`,
    state: { ...inputs },
  };
}

describe("policy pack over the committed stacks", function () {
  const plans: Record<string, PlanView> = {};

  before(async function () {
    this.timeout(180000);
    for (const stack of ["dev", "prod", "tcp"]) {
      plans[stack] = await planStack(stack);
    }
    // prod with its UI made public: the one whole-internet ingress the pack allows.
    plans.publicUi = await planStack("prod", [
      "controller.ui.internetFacing=true",
      "controller.ui.allowedCidrs=[]",
      `controller.ui.oidc=${JSON.stringify(OIDC)}`,
      "controller.ui.accessLogsBucket=ci-access-logs",
    ]);
  });

  for (const stack of ["dev", "prod", "tcp"]) {
    it(`finds no mandatory violation in ${stack}`, async () => {
      const found = await runPack(plans[stack].resources);
      assert.deepStrictEqual(show(mandatory(found)), []);
      assert.deepStrictEqual(show(found), []);
    });
  }

  it("allows tcp 443 from anywhere on the public HTTPS UI load balancer, and nothing else", async () => {
    const world = plans.publicUi.byType(T.ingressRule).filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0");
    assert.deepStrictEqual(
      world.map((r) => [r.name, r.inputs.fromPort, r.inputs.toPort]),
      [["jenkins-alb-in-443-0-0-0-0-0", 443, 443]],
    );
    assert.deepStrictEqual(show(await runPack(plans.publicUi.resources)), []);
  });

  it("refuses the public UI's rule once the load balancer is internal", async () => {
    const resources = copy(plans.publicUi);
    find(resources, T.loadBalancer, "jenkins-ui").inputs.internal = true;
    assert.deepStrictEqual(show(await runPack(resources)), [
      '[no-world-ingress] aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule "jenkins-alb-in-443-0-0-0-0-0": ' +
        "ingress from 0.0.0.0/0 on tcp 443; " +
        'aws:lb/loadBalancer:LoadBalancer "jenkins-ui" is not an internet-facing application load balancer',
    ]);
  });

  it("flags a port-50000 rule injected into a websocket plan, and only that", async () => {
    const view = plans.dev;
    const controllerSg = view.one(T.securityGroup, "jenkins-controller");
    const gatewaySg = view.one(T.securityGroup, "gateway-nlb");
    const resources = [
      ...copy(view),
      injected(view, T.ingressRule, "jenkins-controller-in-gateway-50000", {
        securityGroupId: controllerSg.id,
        referencedSecurityGroupId: gatewaySg.id,
        ipProtocol: "tcp",
        fromPort: 50000,
        toPort: 50000,
      }),
    ];
    const found = await runPack(resources);
    assert.deepStrictEqual(show(found), [
      '[no-agent-port-with-websocket] aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule "jenkins-controller-in-gateway-50000": ' +
        `port 50000 at fromPort..toPort = 50000-50000; ${AGENT_PORT_TAIL(FROM_PROXY)}`,
    ]);
    assert.strictEqual(found[0].urn, resources[resources.length - 1].urn);
    assert.strictEqual(found[0].enforcementLevel, "mandatory");
  });

  it("refuses a websocket plan whose endpoint admits the cluster security group again", async () => {
    const resources = copy(plans.dev);
    const clusterSg = (
      plans.dev.one(T.eksCluster, "agents").state?.vpcConfig as { clusterSecurityGroupId: string }
    ).clusterSecurityGroupId;
    // A stack policy sees the cluster's outputs; the mock plan lays its inputs over them, so the
    // input vpcConfig (without the group EKS made) is given the output's value.
    const cluster = find(resources, T.eksCluster, "agents");
    (cluster.inputs.vpcConfig as Record<string, unknown>).clusterSecurityGroupId = clusterSg;
    const rule = find(resources, T.ingressRule, "gateway-endpoint-in-443");
    rule.inputs.referencedSecurityGroupId = clusterSg;
    (rule.state as Record<string, unknown>).referencedSecurityGroupId = clusterSg;
    assert.deepStrictEqual(show(await runPack(resources)), [
      '[endpoint-admits-proxy-only] aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule "gateway-endpoint-in-443": ' +
        `admits the cluster security group ${clusterSg} of agents; with transport websocket (${FROM_PROXY}) ` +
        "the endpoint admits only the proxy's node group",
    ]);
  });

  it("lets the tcp stack keep port 50000, unless the policy config says websocket", async () => {
    const tcp = plans.tcp;
    assert.ok(
      tcp.byType(T.listener).some((l) => l.inputs.port === 50000),
      "the tcp stack listens on 50000",
    );
    assert.deepStrictEqual(show(await runPack(tcp.resources)), []);
    const found = await runPack(tcp.resources, {
      "no-agent-port-with-websocket": { transport: "websocket" },
    });
    assert.ok(found.length > 0 && found.every((v) => v.policy === "no-agent-port-with-websocket"));
    assert.ok(
      show(found).includes(
        `[no-agent-port-with-websocket] aws:lb/listener:Listener "gateway-50000": port 50000 at port = 50000; ${AGENT_PORT_TAIL("policy config")}`,
      ),
    );
  });

  it("flags the other rules on a broken dev plan", async () => {
    const resources = copy(plans.dev);
    // An SSH rule from anywhere on the controller, a VPC without its flow log, a key that does
    // not rotate, a second controller, a public API, a privileged proxy, an open endpoint service
    // and a password in the controller's plaintext environment.
    const controllerSg = plans.dev.one(T.securityGroup, "jenkins-controller");
    resources.push(
      injected(plans.dev, T.ingressRule, "jenkins-controller-in-ssh", {
        securityGroupId: controllerSg.id,
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrIpv4: "0.0.0.0/0",
      }),
    );
    resources.splice(
      resources.findIndex((r) => r.type === T.flowLog && r.name === "agent-flow-logs"),
      1,
    );
    find(resources, T.kmsKey, "jenkins-key").inputs.enableKeyRotation = false;
    find(resources, T.ecsService, "jenkins-service").inputs.desiredCount = 2;
    const eks = find(resources, T.eksCluster, "agents");
    (eks.inputs.vpcConfig as Record<string, unknown>).publicAccessCidrs = ["0.0.0.0/0"];
    const deployment = find(resources, T.deployment, "proxy");
    const podSpec = (
      deployment.inputs as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }
    ).spec.template.spec;
    podSpec.containers[0].securityContext = {
      ...(podSpec.containers[0].securityContext as object),
      privileged: true,
    };
    find(resources, T.endpointService, "gateway-service").inputs.acceptanceRequired = false;
    const task = find(resources, T.taskDefinition, "jenkins-task");
    const definitions = JSON.parse(String(task.inputs.containerDefinitions)) as { environment: object[] }[];
    definitions[1].environment.push({ name: "JENKINS_ADMIN_PASSWORD", value: "not-a-password" });
    task.inputs.containerDefinitions = JSON.stringify(definitions);

    const agentVpc = plans.dev.one(T.vpc, "agent");
    assert.deepStrictEqual(show(await runPack(resources)).sort(), [
      `[controller-single-writer] aws:ecs/service:Service "jenkins-service": desiredCount is 2; the controller's service must keep desiredCount 1 so two controllers never share JENKINS_HOME`,
      `[ecs-secrets-not-in-environment] aws:ecs/taskDefinition:TaskDefinition "jenkins-task": container "jenkins" sets JENKINS_ADMIN_PASSWORD in its plaintext environment; pass it through secrets (valueFrom)`,
      `[eks-api-not-public] aws:eks/cluster:Cluster "agents": the public API endpoint is on and publicAccessCidrs contains "0.0.0.0/0"; the Kubernetes API must not be open to the whole internet`,
      `[endpoint-service-restricted] aws:ec2/vpcEndpointService:VpcEndpointService "gateway-service": acceptanceRequired is false; every endpoint connection must be accepted`,
      `[kms-encryption] aws:kms/key:Key "jenkins-key": enableKeyRotation is false; the key must rotate`,
      `[no-world-ingress] aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule "jenkins-controller-in-ssh": ingress from 0.0.0.0/0 on tcp 22; only tcp 443 of an internet-facing HTTPS application load balancer may admit the whole internet`,
      `[pod-security-restricted] kubernetes:apps/v1:Deployment "proxy": container "nginx": securityContext.privileged is true; privileged containers are forbidden`,
      `[vpc-flow-logs] aws:ec2/vpc:Vpc "agent": no aws:ec2/flowLog:FlowLog records its traffic (VPC ID ${agentVpc.id})`,
    ]);
  });
});
