/**
 * The whole program, once per committed stack, under the mock engine. Exact counts and inputs,
 * and what must not exist. What this does not prove: that AWS accepts these inputs, that the
 * names are free in an account, or that traffic flows; only a real `pulumi preview`/`up` can.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { decodeConfig, parseStackConfig, StackConfig } from "../../config";
import { mustParseCidr, overlaps } from "../../components/network/cidr";
import { natGatewayCount } from "../../components/network/nat";
import { runPlan } from "../../plan/engine";
import { applyOverrides, listStacks, readStack, STACKS_DIR } from "../../plan/stack-file";
import { planStack, PlanView, T } from "../harness/plan";

function configOf(stack: string): StackConfig {
  const parsed = parseStackConfig(decodeConfig(readStack(STACKS_DIR, stack).values));
  if (!parsed.ok) assert.fail(parsed.problems.join("\n"));
  return parsed.config;
}

/** Per stack: region, zones and NAT gateways per network, as the stack file asks. */
const EXPECTED: Record<string, { region: string; zones: string[]; nat: number; transport: string }> = {
  dev: { region: "us-east-1", zones: ["us-east-1a", "us-east-1b"], nat: 1, transport: "websocket" },
  prod: {
    region: "eu-west-1",
    zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    nat: 3,
    transport: "websocket",
  },
  tcp: { region: "us-east-1", zones: ["us-east-1a", "us-east-1b"], nat: 1, transport: "tcp" },
};

describe("program", () => {
  it("has an expectation for every committed stack", () => {
    assert.deepStrictEqual(listStacks(STACKS_DIR), Object.keys(EXPECTED).sort());
  });

  for (const [stack, expected] of Object.entries(EXPECTED)) {
    describe(`stack ${stack}`, () => {
      let view: PlanView;
      let config: StackConfig;
      before(async () => {
        config = configOf(stack);
        view = await planStack(stack);
      });

      it("is valid and matches its intent", () => {
        assert.strictEqual(config.region, expected.region);
        assert.strictEqual(config.transport, expected.transport);
        for (const network of [config.masterNetwork, config.agentNetwork]) {
          assert.strictEqual(natGatewayCount(network.natStrategy, expected.zones.length), expected.nat);
        }
        assert.ok(
          !overlaps(
            mustParseCidr(config.masterNetwork.cidrBlock),
            mustParseCidr(config.agentNetwork.cidrBlock),
          ),
        );
      });

      it("declares exactly the expected resources", () => {
        const zones = expected.zones.length;
        const perNetwork: Record<string, number> = {
          [T.network]: 1,
          [T.vpc]: 1,
          [T.defaultSg]: 1,
          [T.igw]: 1,
          [T.subnet]: 2 * zones,
          [T.routeTable]: 1 + zones,
          [T.route]: 1 + zones,
          [T.association]: 2 * zones,
          [T.eip]: expected.nat,
          [T.nat]: expected.nat,
          [T.logGroup]: 1,
          [T.role]: 1,
          [T.rolePolicy]: 1,
          [T.flowLog]: 1,
        };
        const counts: Record<string, number> = {};
        for (const r of view.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
        const expectedCounts = Object.fromEntries(Object.entries(perNetwork).map(([t, n]) => [t, 2 * n]));
        expectedCounts[T.awsProvider] = 1;
        assert.deepStrictEqual(counts, expectedCounts);
      });

      it("builds two VPCs with DNS on, at the configured blocks", () => {
        assert.deepStrictEqual(
          view
            .byType(T.vpc)
            .map((v) => [v.name, v.inputs.cidrBlock, v.inputs.enableDnsSupport, v.inputs.enableDnsHostnames]),
          [
            ["agent", config.agentNetwork.cidrBlock, true, true],
            ["master", config.masterNetwork.cidrBlock, true, true],
          ],
        );
      });

      it("spreads subnets over the expected zones", () => {
        for (const network of ["master", "agent"]) {
          const subnets = view.byType(T.subnet).filter((s) => s.name.startsWith(`${network}-`));
          const zones = [...new Set(subnets.map((s) => s.inputs.availabilityZone))].sort();
          assert.deepStrictEqual(zones, expected.zones);
        }
      });

      it("sends every VPC's flow logs to its own group, and takes over every default security group", () => {
        for (const vpc of view.byType(T.vpc)) {
          const logs = view.byType(T.flowLog).filter((f) => f.inputs.vpcId === vpc.id);
          assert.strictEqual(logs.length, 1, `flow logs of ${vpc.name}`);
          assert.strictEqual(logs[0].inputs.trafficType, "ALL");
          const groups = view.byType(T.defaultSg).filter((g) => g.inputs.vpcId === vpc.id);
          assert.strictEqual(groups.length, 1, `default group of ${vpc.name}`);
          assert.deepStrictEqual([groups[0].inputs.ingress, groups[0].inputs.egress], [[], []]);
        }
        const retention = view.byType(T.logGroup).map((g) => [g.name, g.inputs.retentionInDays]);
        assert.deepStrictEqual(retention, [
          ["agent-flow-logs", config.agentNetwork.flowLogRetentionDays],
          ["master-flow-logs", config.masterNetwork.flowLogRetentionDays],
        ]);
      });

      it("creates every AWS resource through the stack's provider in the stack's region", () => {
        const provider = view.one(T.awsProvider, "aws");
        assert.strictEqual(provider.inputs.region, expected.region);
        for (const r of view.resources.filter((r) => r.type.startsWith("aws:"))) {
          assert.strictEqual(r.provider, provider.urn, `${r.type} ${r.name}`);
        }
      });

      it("tags every taggable resource with Project, Stack and the stack's tags", () => {
        const custom = view.resources.filter((r) => r.custom);
        const tagged = custom.filter((r) => r.inputs.tags !== undefined);
        // Only resources that AWS cannot tag go without.
        const untaggedTypes = [
          ...new Set(custom.filter((r) => r.inputs.tags === undefined).map((r) => r.type)),
        ].sort();
        assert.deepStrictEqual(untaggedTypes, [T.route, T.association, T.rolePolicy, T.awsProvider].sort());
        for (const r of tagged) {
          const tags = r.inputs.tags as Record<string, string>;
          assert.deepStrictEqual(
            [tags.Project, tags.Stack, tags.Environment, tags.CostCenter, tags.ManagedBy],
            ["jenkins-agent-bridge", stack, stack, "platform", "pulumi"],
            `${r.type} ${r.name}`,
          );
        }
      });

      it("exposes nothing to the internet by default and creates no cross-VPC shortcut", () => {
        assert.strictEqual(view.byType(T.securityGroup).length, 0);
        for (const subnet of view.byType(T.subnet)) {
          assert.strictEqual(subnet.inputs.mapPublicIpOnLaunch, false);
        }
        const types = new Set(view.resources.map((r) => r.type));
        for (const forbidden of [
          "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
          "aws:ec2transitgateway/transitGateway:TransitGateway",
          "aws:ec2/securityGroupRule:SecurityGroupRule",
          "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        ]) {
          assert.ok(!types.has(forbidden), forbidden);
        }
      });

      if (expected.transport === "websocket") {
        it("carries port 50000 nowhere", () => {
          assert.ok(!JSON.stringify(view.resources.map((r) => r.inputs)).includes("50000"));
        });
      }

      it("exports the networks' identities", () => {
        const outputs = view.plan.outputs;
        assert.strictEqual(outputs.transport, expected.transport);
        assert.strictEqual(outputs.region, expected.region);
        assert.strictEqual(outputs.masterVpcId, view.one(T.vpc, "master").id);
        assert.strictEqual(outputs.agentVpcId, view.one(T.vpc, "agent").id);
        assert.deepStrictEqual(
          outputs.masterPrivateSubnetIds,
          expected.zones.map((_, i) => view.one(T.subnet, `master-private-${i}`).id),
        );
        assert.strictEqual((outputs.masterNatPublicIps as string[]).length, expected.nat);
      });
    });
  }

  describe("with a configuration mistake", () => {
    it("stops before declaring anything, with a RunError that Pulumi prints without a stack trace", async () => {
      const values = applyOverrides(readStack(STACKS_DIR, "dev"), [
        "transport=websockets",
        "masterNetwork.azCount=1",
      ]);
      await assert.rejects(
        () => runPlan("dev", values, "us-east-1"),
        (err: Error) =>
          pulumi.RunError.isInstance(err) &&
          err.message ===
            [
              "invalid stack configuration:",
              'jenkins-agent-bridge:transport: got "websockets"; expected one of websocket, tcp (did you mean "websocket"?)',
              'jenkins-agent-bridge:masterNetwork.azCount: got "1"; expected an integer from 2 to 6',
            ].join("\n"),
      );
      const monitor = settings.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
      assert.strictEqual(monitor.getRegisteredResources().size, 0);
    });
  });
});
