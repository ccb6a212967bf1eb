/**
 * Port 50000 and the transport switch, over whole-program mock runs. What this does not prove:
 * that AWS updates these resources in place (a real `pulumi preview` shows the plan of steps);
 * it proves that nothing which forces a replacement changes.
 */
import * as assert from "assert";
import { parse } from "yaml";
import { deliveredJcasc } from "../../offline/artifacts";
import { PlannedResource } from "../../offline/engine";
import { planStack, PlanView, T } from "../harness/plan";

/** Resources whose registered inputs mention port 50000 anywhere. */
function mentions50000(view: PlanView): string[] {
  return view.resources
    .filter((r) => /(^|[^0-9])50000([^0-9]|$)/.test(JSON.stringify(r.inputs)))
    .map((r) => `${r.type} ${r.name}`)
    .sort();
}

/** Stateful resources: losing or replacing one loses data or breaks every agent's connection. */
const STATEFUL = [
  T.vpc,
  T.subnet,
  T.fileSystem,
  T.accessPoint,
  T.kmsKey,
  T.secret,
  T.eksCluster,
  T.nodeGroup,
  T.endpointService,
  T.zone,
];

describe("port 50000 and the transport switch", () => {
  let websocket: PlanView;
  let tcp: PlanView;
  before(async () => {
    websocket = await planStack("dev");
    tcp = await planStack("dev", ["transport=tcp"]);
  });

  it("a websocket plan carries 50000 nowhere: no listener, group, rule, port, variable or JCasC value", async () => {
    for (const stack of ["dev", "prod"]) {
      const view = stack === "dev" ? websocket : await planStack(stack);
      assert.deepStrictEqual(mentions50000(view), []);
      assert.ok(!(deliveredJcasc(view.plan) ?? "").includes("50000"));
    }
  });

  it("a tcp plan carries 50000 exactly where the design puts it", () => {
    assert.deepStrictEqual(
      mentions50000(tcp),
      [
        `${T.taskDefinition} jenkins-task`,
        `${T.ecsService} jenkins-service`,
        `${T.listener} gateway-50000`,
        `${T.targetGroup} gateway-50000`,
        `${T.ingressRule} gateway-endpoint-in-50000`,
        `${T.ingressRule} jenkins-controller-in-gateway-50000`,
        `${T.egressRule} jenkins-gateway-out-50000`,
        `${T.networkPolicy} agents-agent-egress`,
        // The health of the 50000 target group is watched and shown.
        `${T.metricAlarm} monitoring-gateway-unhealthy-50000`,
        `${T.dashboard} monitoring-dashboard`,
      ].sort(),
    );
    const jcasc = parse(deliveredJcasc(tcp.plan) ?? "");
    assert.strictEqual(jcasc.jenkins.slaveAgentPort, 50000);
    assert.strictEqual(jcasc.jenkins.clouds[0].kubernetes.jenkinsTunnel, "jenkins.dev.ci.internal:50000");
  });

  it("switching transport keeps every stateful resource, by name and with the same inputs", () => {
    const key = (r: PlannedResource) => `${r.type} ${r.name}`;
    for (const type of STATEFUL) {
      const before = websocket.byType(type);
      const after = tcp.byType(type);
      assert.ok(before.length > 0, `no ${type} in the plan`);
      assert.deepStrictEqual(after.map(key), before.map(key), `${type} names`);
      for (const resource of before) {
        const twin = tcp.one(type, resource.name);
        assert.deepStrictEqual(twin.inputs, resource.inputs, `${key(resource)} would change`);
        assert.strictEqual(twin.parent, resource.parent, `${key(resource)} would move`);
      }
    }
  });

  it("switching transport changes only the agent path: listeners, groups, rules, proxy, task and JCasC", () => {
    const names = (view: PlanView) => new Set(view.resources.map((r) => `${r.type} ${r.name}`));
    const [a, b] = [names(websocket), names(tcp)];
    const added = [...b].filter((n) => !a.has(n)).sort();
    const removed = [...a].filter((n) => !b.has(n)).sort();
    assert.deepStrictEqual(
      added,
      [
        `${T.egressRule} jenkins-gateway-out-50000`,
        `${T.ingressRule} gateway-endpoint-in-50000`,
        `${T.ingressRule} gateway-endpoint-in-8080`,
        `${T.ingressRule} jenkins-controller-in-gateway-50000`,
        `${T.listener} gateway-50000`,
        `${T.listener} gateway-8080`,
        `${T.targetGroup} gateway-50000`,
        `${T.metricAlarm} monitoring-gateway-unhealthy-50000`,
      ].sort(),
    );
    assert.deepStrictEqual(
      removed,
      [
        `${T.metricAlarm} monitoring-certificate-expiry`,
        `${T.metricAlarm} monitoring-proxy-replicas`,
        `${T.certificate} gateway-server`,
        `${T.ingressRule} gateway-endpoint-in-443`,
        `${T.listener} gateway-443`,
        `${T.agentProxy} proxy`,
        `${T.configMap} proxy-config`,
        `${T.deployment} proxy`,
        `${T.namespace} proxy`,
        `${T.networkPolicy} proxy`,
        `${T.pdb} proxy`,
        `${T.k8sService} proxy`,
        `${T.certRequest} gateway-server`,
        `${T.locallySignedCert} gateway-server`,
        `${T.privateKey} gateway-ca`,
        `${T.privateKey} gateway-server`,
        `${T.selfSignedCert} gateway-ca`,
      ].sort(),
    );
  });
});
