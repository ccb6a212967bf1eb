/**
 * The offline AWS acceptance check over the plan of every committed stack (the same mock run
 * `npm run plan` makes): no input AWS would refuse, and nothing left undecided. Then the same real
 * plans, altered in one place, to show the rules that join resources (endpoint and load balancer
 * zones, cluster subnets) read the plan's real references.
 */
import * as assert from "assert";
import { checkAcceptance, renderAcceptance } from "../../offline/acceptance";
import type { PlannedResource } from "../../offline/engine";
import { planStack, PlanView } from "../harness/plan";

const STACKS: [string, string[]][] = [
  ["dev", []],
  ["prod", []],
  ["tcp", []],
  ["dev", ["transport=tcp"]],
];

/** The zone of a planned subnet as the rules read it: its zone ID, else its zone name. */
function zoneOf(view: PlanView, subnetId: string): string {
  const subnet = view.resources.find((r) => r.id === subnetId);
  return String(subnet?.inputs.availabilityZoneId ?? subnet?.inputs.availabilityZone);
}

/** A copy of the plan's resources with one resource's inputs replaced. */
function altered(
  view: PlanView,
  type: string,
  name: string,
  change: (inputs: Record<string, unknown>) => Record<string, unknown>,
): PlannedResource[] {
  return view.resources.map((r) =>
    r.type === type && r.name === name ? { ...r, inputs: change(structuredClone(r.inputs)) } : r,
  );
}

describe("AWS acceptance check over the committed stacks", () => {
  for (const [stack, overrides] of STACKS) {
    it(`passes for ${stack}${overrides.length ? ` with ${overrides.join(" ")}` : ""}, every rule decided`, async () => {
      const view = await planStack(stack, overrides);
      const report = checkAcceptance(view.resources);
      assert.deepStrictEqual(renderAcceptance(report).slice(0, -1), []);
      assert.strictEqual(report.violations.length + report.skipped.length, 0);
      assert.ok(report.resources > 100, `only ${report.resources} resources planned`);
    });
  }

  describe("over the dev plan, altered", () => {
    let view: PlanView;
    before(async () => {
      view = await planStack("dev");
    });

    it("finds an endpoint zone the gateway's load balancer does not serve", () => {
      const resources = altered(view, "aws:lb/loadBalancer:LoadBalancer", "gateway-nlb", (i) => ({
        ...i,
        subnets: (i.subnets as string[]).slice(0, 1),
      }));
      const nlb = view.one("aws:lb/loadBalancer:LoadBalancer", "gateway-nlb");
      const [kept, dropped] = (nlb.inputs.subnets as string[]).map((id) => zoneOf(view, id));
      assert.deepStrictEqual(renderAcceptance(checkAcceptance(resources)).slice(0, -1), [
        `violation [endpoint-zones] gateway-endpoint (aws:ec2/vpcEndpoint:VpcEndpoint) subnetIds: has subnets in ${dropped}, where the load balancer of gateway-service has none (it serves ${kept})`,
      ]);
    });

    it("finds a cluster whose subnets are in one zone", () => {
      const resources = altered(view, "aws:eks/cluster:Cluster", "agents", (i) => {
        const vpc = i.vpcConfig as { subnetIds: string[] };
        return { ...i, vpcConfig: { ...vpc, subnetIds: vpc.subnetIds.slice(0, 1) } };
      });
      const cluster = view.one("aws:eks/cluster:Cluster", "agents");
      const [first] = (cluster.inputs.vpcConfig as { subnetIds: string[] }).subnetIds;
      assert.deepStrictEqual(renderAcceptance(checkAcceptance(resources)).slice(0, -1), [
        `violation [eks-subnet-zones] agents (aws:eks/cluster:Cluster) vpcConfig.subnetIds: spans 1 zone (${zoneOf(view, first)}); EKS needs subnets in at least two`,
      ]);
    });

    it("finds the apostrophes security group descriptions once had", () => {
      const resources = altered(view, "aws:ec2/securityGroup:SecurityGroup", "gateway-endpoint", (i) => ({
        ...i,
        description: "Agents' endpoint to the Jenkins controller (gateway)",
      }));
      assert.deepStrictEqual(renderAcceptance(checkAcceptance(resources)).slice(0, -1), [
        `violation [ec2-description] gateway-endpoint (aws:ec2/securityGroup:SecurityGroup) description: "Agents' endpoint to the Jenkins controller (gateway)" has characters EC2 refuses ("'"); it accepts a-zA-Z0-9, space and ._-:/()#,@[]+=&;{}!$*`,
      ]);
    });
  });
});
