/**
 * Network, constructed on its own under the mock engine for each NAT strategy. What this does not
 * prove: that AWS accepts the layout, or that traffic flows as the route tables say.
 */
import * as assert from "assert";
import { Network, NetworkArgs } from "../../../components/network/network";
import { MOCK_ACCOUNT_ID } from "../../../offline/mocks";
import { AloneView, constructAlone } from "../../harness/alone";
import { T } from "../../harness/plan";

const ZONES = ["use1-az1", "use1-az2", "use1-az4"];

function build(overrides: Partial<NetworkArgs> = {}): Promise<AloneView> {
  return constructAlone(() => {
    const network = new Network("net", {
      cidrBlock: "10.0.0.0/16",
      availabilityZoneIds: ZONES,
      natStrategy: "single",
      publicSubnetPrefixLength: 24,
      privateSubnetPrefixLength: 20,
      flowLogRetentionDays: 14,
      flowLogTrafficType: "ALL",
      tags: {},
      ...overrides,
    });
    return {
      natPublicIps: network.natPublicIps,
      privateSubnetIds: network.privateSubnetIds,
      publicSubnetIds: network.publicSubnetIds,
    };
  });
}

/** The NAT gateway each private route table's default route goes to, by table name (none: absent). */
function privateDefaultRoutes(view: AloneView): Record<string, string | undefined> {
  return Object.fromEntries(
    view
      .names(T.routeTable)
      .filter((n) => n.startsWith("net-private-"))
      .map((table) => {
        const id = view.one(T.routeTable, table).id;
        const routes = view.byType(T.route).filter((r) => r.inputs.routeTableId === id);
        assert.ok(routes.length <= 1, `${table} has ${routes.length} routes`);
        if (routes.length === 0) return [table, undefined];
        assert.strictEqual(routes[0].inputs.destinationCidrBlock, "0.0.0.0/0");
        assert.strictEqual(routes[0].inputs.gatewayId, undefined, `${table} routes to the internet gateway`);
        return [table, view.nameOf(routes[0].inputs.natGatewayId)];
      }),
  );
}

describe("Network alone", () => {
  describe("natStrategy single", () => {
    let view: AloneView;
    before(async () => {
      view = await build({ tags: { Team: "ci" }, privateSubnetTags: { "karpenter.sh/discovery": "c" } });
    });

    it("parents every resource it declares to the component, named after it", () => {
      const component = view.one(T.network, "net");
      const below = view.descendantsOf(component);
      assert.strictEqual(below.length, view.resources.length - 1);
      for (const r of below) {
        assert.ok(r.name === "net" || r.name.startsWith("net-"), r.name);
      }
    });

    it("takes over the default security group with no rule at all", () => {
      const sg = view.one(T.defaultSg, "net-default-sg");
      assert.strictEqual(sg.inputs.vpcId, view.one(T.vpc, "net").id);
      assert.deepStrictEqual(sg.inputs.ingress, []);
      assert.deepStrictEqual(sg.inputs.egress, []);
    });

    it("gives no subnet public addresses on launch and tags only the private ones for discovery", () => {
      const subnets = view
        .byType(T.subnet)
        .map((s) => [
          s.name,
          s.inputs.cidrBlock,
          s.inputs.availabilityZoneId,
          s.inputs.mapPublicIpOnLaunch,
          s.inputs.tags,
        ]);
      const tags = (key: string, tier: string, extra = {}) => ({
        Team: "ci",
        Tier: tier,
        ...extra,
        Name: `net-${key}`,
      });
      const discovery = { "karpenter.sh/discovery": "c" };
      assert.deepStrictEqual(subnets, [
        ["net-private-0", "10.0.0.0/20", "use1-az1", false, tags("private-0", "private", discovery)],
        ["net-private-1", "10.0.16.0/20", "use1-az2", false, tags("private-1", "private", discovery)],
        ["net-private-2", "10.0.32.0/20", "use1-az4", false, tags("private-2", "private", discovery)],
        ["net-public-0", "10.0.255.0/24", "use1-az1", false, tags("public-0", "public")],
        ["net-public-1", "10.0.254.0/24", "use1-az2", false, tags("public-1", "public")],
        ["net-public-2", "10.0.253.0/24", "use1-az4", false, tags("public-2", "public")],
      ]);
    });

    it("routes only the public table to the internet gateway", () => {
      const igw = view.one(T.igw, "net-igw");
      const toIgw = view.byType(T.route).filter((r) => r.inputs.gatewayId !== undefined);
      assert.deepStrictEqual(
        toIgw.map((r) => [
          r.name,
          view.nameOf(r.inputs.routeTableId),
          r.inputs.destinationCidrBlock,
          r.inputs.gatewayId,
        ]),
        [["net-public-internet", "net-public", "0.0.0.0/0", igw.id]],
      );
    });

    it("makes one NAT gateway in the first public subnet, shared by every private table", () => {
      assert.deepStrictEqual(view.names(T.eip), ["net-nat-0"]);
      const nat = view.one(T.nat, "net-nat-0");
      assert.strictEqual(view.nameOf(nat.inputs.subnetId), "net-public-0");
      assert.strictEqual(nat.inputs.connectivityType, "public");
      assert.strictEqual(nat.inputs.allocationId, view.one(T.eip, "net-nat-0").id);
      assert.deepStrictEqual(privateDefaultRoutes(view), {
        "net-private-0": "net-nat-0",
        "net-private-1": "net-nat-0",
        "net-private-2": "net-nat-0",
      });
      assert.deepStrictEqual(view.outputs.natPublicIps, [view.one(T.eip, "net-nat-0").state?.publicIp]);
    });

    it("logs all traffic of the VPC at 60 s into its own encrypted group, written by its own role", () => {
      const key = view.one(T.kmsKey, "net-flow-logs");
      assert.strictEqual(key.inputs.enableKeyRotation, true);
      const group = view.one(T.logGroup, "net-flow-logs");
      assert.strictEqual(group.inputs.namePrefix, "/vpc-flow-logs/net-");
      assert.strictEqual(group.inputs.retentionInDays, 14);
      assert.strictEqual(group.inputs.kmsKeyId, key.state?.arn);
      const role = view.one(T.role, "net-flow-logs");
      const flowLog = view.one(T.flowLog, "net-flow-logs");
      assert.deepStrictEqual(
        [
          flowLog.inputs.vpcId,
          flowLog.inputs.trafficType,
          flowLog.inputs.logDestinationType,
          flowLog.inputs.logDestination,
          flowLog.inputs.iamRoleArn,
          flowLog.inputs.maxAggregationInterval,
        ],
        [view.one(T.vpc, "net").id, "ALL", "cloud-watch-logs", group.state?.arn, role.state?.arn, 60],
      );
      assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy as string).Statement, [
        {
          Effect: "Allow",
          Principal: { Service: "vpc-flow-logs.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
            ArnLike: { "aws:SourceArn": `arn:aws:ec2:us-east-1:${MOCK_ACCOUNT_ID}:vpc-flow-log/*` },
          },
        },
      ]);
      const write = JSON.parse(view.one(T.rolePolicy, "net-flow-logs").inputs.policy as string);
      assert.deepStrictEqual(write.Statement[0].Resource, [group.state?.arn, `${group.state?.arn}:*`]);
    });
  });

  describe("natStrategy perAz", () => {
    let view: AloneView;
    before(async () => {
      view = await build({ natStrategy: "perAz", flowLogTrafficType: "REJECT" });
    });

    it("makes one NAT gateway per zone, each private table using its own zone's", () => {
      assert.deepStrictEqual(view.names(T.eip), ["net-nat-0", "net-nat-1", "net-nat-2"]);
      assert.deepStrictEqual(
        view.byType(T.nat).map((n) => [n.name, view.nameOf(n.inputs.subnetId)]),
        [
          ["net-nat-0", "net-public-0"],
          ["net-nat-1", "net-public-1"],
          ["net-nat-2", "net-public-2"],
        ],
      );
      assert.deepStrictEqual(privateDefaultRoutes(view), {
        "net-private-0": "net-nat-0",
        "net-private-1": "net-nat-1",
        "net-private-2": "net-nat-2",
      });
      assert.strictEqual((view.outputs.natPublicIps as string[]).length, 3);
    });

    it("records the traffic type it is given", () => {
      assert.strictEqual(view.one(T.flowLog, "net-flow-logs").inputs.trafficType, "REJECT");
    });

    it("adds no subnet tags it was not given", () => {
      for (const s of view.byType(T.subnet)) {
        assert.deepStrictEqual(Object.keys(s.inputs.tags as object).sort(), ["Name", "Tier"], s.name);
      }
    });
  });

  describe("natStrategy none", () => {
    let view: AloneView;
    before(async () => {
      view = await build({ natStrategy: "none", availabilityZoneIds: ZONES.slice(0, 2) });
    });

    it("makes no NAT gateway, no address and no default route out of the private subnets", () => {
      assert.deepStrictEqual(view.byType(T.eip), []);
      assert.deepStrictEqual(view.byType(T.nat), []);
      assert.deepStrictEqual(privateDefaultRoutes(view), {
        "net-private-0": undefined,
        "net-private-1": undefined,
      });
      assert.deepStrictEqual(view.names(T.route), ["net-public-internet"]);
      assert.deepStrictEqual(view.outputs.natPublicIps, []);
    });

    it("still associates each private subnet with its own table and keeps the flow logs", () => {
      assert.deepStrictEqual(
        view
          .byType(T.association)
          .map((a) => [view.nameOf(a.inputs.subnetId), view.nameOf(a.inputs.routeTableId)]),
        [
          ["net-private-0", "net-private-0"],
          ["net-private-1", "net-private-1"],
          ["net-public-0", "net-public"],
          ["net-public-1", "net-public"],
        ],
      );
      assert.strictEqual(view.byType(T.flowLog).length, 1);
    });
  });
});
