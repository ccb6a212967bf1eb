/**
 * Network, through whole-program mock runs of the dev stack with overrides. What this does not
 * prove: that AWS accepts the layout, or that traffic flows as the route tables say.
 */
import * as assert from "assert";
import { runPlan } from "../../offline/engine";
import { planStack, PlanView, T } from "../harness/plan";

const idOf = (view: PlanView, type: string, name: string) => view.one(type, name).id;

describe("Network", () => {
  let dev: PlanView;
  before(async () => {
    dev = await planStack("dev");
  });

  it("registers the component and parents every child to it", () => {
    for (const name of ["master", "agent"]) {
      const component = dev.one(T.network, name);
      assert.strictEqual(component.custom, false);
      const children = dev.childrenOf(component);
      assert.strictEqual(children.length, 24); // 23 + the flow logs' KMS key
      for (const child of children) {
        assert.ok(
          child.name === name || child.name.startsWith(`${name}-`),
          `${child.name} not named after ${name}`,
        );
      }
    }
  });

  it("turns DNS support and hostnames on", () => {
    const vpc = dev.one(T.vpc, "master");
    assert.strictEqual(vpc.inputs.cidrBlock, "10.10.0.0/16");
    assert.strictEqual(vpc.inputs.enableDnsSupport, true);
    assert.strictEqual(vpc.inputs.enableDnsHostnames, true);
    assert.strictEqual(vpc.inputs.instanceTenancy, "default");
  });

  it("places both networks by zone ID, skipping zones EKS refuses or that lack the node types", async () => {
    // The mock region lists use1-az1..az6 shuffled; use1-az3 has no EKS control plane, and use1-az6
    // offers none of the node instance types.
    const view = await planStack("dev", ["masterNetwork.azCount=4", "agentNetwork.azCount=3"]);
    const zonesOf = (network: string) =>
      view
        .byType(T.subnet)
        .filter((s) => s.name.startsWith(`${network}-private-`))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((s) => s.inputs.availabilityZoneId);
    assert.deepStrictEqual(zonesOf("master"), ["use1-az1", "use1-az2", "use1-az4", "use1-az5"]);
    // The agent network's zones are the master network's first: the endpoint service serves them.
    assert.deepStrictEqual(zonesOf("agent"), ["use1-az1", "use1-az2", "use1-az4"]);
  });

  it("creates the planned subnets in the region's first usable zones, without public IPs on launch", () => {
    const subnets = dev.byType(T.subnet).filter((s) => s.name.startsWith("master-"));
    const vpcId = idOf(dev, T.vpc, "master");
    assert.deepStrictEqual(
      subnets.map((s) => [
        s.name,
        s.inputs.cidrBlock,
        s.inputs.availabilityZoneId,
        (s.inputs.tags as Record<string, string>).Tier,
      ]),
      [
        ["master-private-0", "10.10.0.0/20", "use1-az1", "private"],
        ["master-private-1", "10.10.16.0/20", "use1-az2", "private"],
        ["master-public-0", "10.10.255.0/24", "use1-az1", "public"],
        ["master-public-1", "10.10.254.0/24", "use1-az2", "public"],
      ],
    );
    for (const subnet of subnets) {
      assert.strictEqual(subnet.inputs.mapPublicIpOnLaunch, false);
      assert.strictEqual(subnet.inputs.vpcId, vpcId);
    }
  });

  it("takes over the default security group and leaves it without any rule", () => {
    const sg = dev.one(T.defaultSg, "master-default-sg");
    assert.strictEqual(sg.inputs.vpcId, idOf(dev, T.vpc, "master"));
    assert.deepStrictEqual(sg.inputs.ingress, []);
    assert.deepStrictEqual(sg.inputs.egress, []);
  });

  it("routes the public tier to the internet gateway only", () => {
    const igw = dev.one(T.igw, "master-igw");
    assert.strictEqual(igw.inputs.vpcId, idOf(dev, T.vpc, "master"));
    const route = dev.one(T.route, "master-public-internet");
    assert.deepStrictEqual(route.inputs, {
      routeTableId: idOf(dev, T.routeTable, "master-public"),
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: igw.id,
    });
    for (const i of [0, 1]) {
      const association = dev.one(T.association, `master-public-${i}`);
      assert.strictEqual(association.inputs.subnetId, idOf(dev, T.subnet, `master-public-${i}`));
      assert.strictEqual(association.inputs.routeTableId, idOf(dev, T.routeTable, "master-public"));
    }
  });

  it("gives each private subnet its own route table", () => {
    for (const i of [0, 1]) {
      const association = dev.one(T.association, `master-private-${i}`);
      assert.strictEqual(association.inputs.subnetId, idOf(dev, T.subnet, `master-private-${i}`));
      assert.strictEqual(association.inputs.routeTableId, idOf(dev, T.routeTable, `master-private-${i}`));
    }
  });

  describe("NAT strategy", () => {
    const natRoutes = (view: PlanView, network: string) =>
      view
        .byType(T.route)
        .filter((r) => r.name.startsWith(`${network}-private-`))
        .map((r) => [r.name, r.inputs.destinationCidrBlock, view.nameOf(r.inputs.natGatewayId)]);

    it("single: one NAT gateway in the first public subnet, used by every zone", () => {
      assert.deepStrictEqual(dev.names(T.nat), ["agent-nat-0", "master-nat-0"]);
      assert.deepStrictEqual(dev.names(T.eip), ["agent-nat-0", "master-nat-0"]);
      const nat = dev.one(T.nat, "master-nat-0");
      assert.strictEqual(nat.inputs.subnetId, idOf(dev, T.subnet, "master-public-0"));
      assert.strictEqual(nat.inputs.allocationId, idOf(dev, T.eip, "master-nat-0"));
      assert.strictEqual(nat.inputs.connectivityType, "public");
      assert.strictEqual(dev.one(T.eip, "master-nat-0").inputs.domain, "vpc");
      assert.deepStrictEqual(natRoutes(dev, "master"), [
        ["master-private-0-nat", "0.0.0.0/0", "master-nat-0"],
        ["master-private-1-nat", "0.0.0.0/0", "master-nat-0"],
      ]);
    });

    it("perAz: one NAT gateway per zone, each zone routed through its own", async () => {
      const view = await planStack("dev", ["masterNetwork.natStrategy=perAz", "masterNetwork.azCount=3"]);
      assert.deepStrictEqual(
        view.names(T.nat).filter((n) => n.startsWith("master-")),
        ["master-nat-0", "master-nat-1", "master-nat-2"],
      );
      for (const i of [0, 1, 2]) {
        assert.strictEqual(
          view.one(T.nat, `master-nat-${i}`).inputs.subnetId,
          idOf(view, T.subnet, `master-public-${i}`),
        );
      }
      assert.deepStrictEqual(natRoutes(view, "master"), [
        ["master-private-0-nat", "0.0.0.0/0", "master-nat-0"],
        ["master-private-1-nat", "0.0.0.0/0", "master-nat-1"],
        ["master-private-2-nat", "0.0.0.0/0", "master-nat-2"],
      ]);
      const ips = (await view.plan.outputs.masterNatPublicIps) as string[];
      assert.strictEqual(new Set(ips).size, 3);
    });

    it("none: no NAT gateway, no elastic IP and no default route from private subnets", async () => {
      // Stacks refuse natStrategy none (both VPCs need egress), so the component is planned alone.
      const values = { values: { "aws:region": "us-east-1" }, secretKeys: [] };
      const view = new PlanView(
        await runPlan("network-none", values, "us-east-1", "../test/fixtures/network-none"),
      );
      assert.deepStrictEqual(view.names(T.nat), []);
      assert.deepStrictEqual(view.names(T.eip), []);
      assert.deepStrictEqual(natRoutes(view, "agent"), []);
      assert.strictEqual(
        view.byType(T.routeTable).filter((r) => r.name.startsWith("agent-private-")).length,
        2,
      );
    });
  });

  describe("flow logs", () => {
    it("records all traffic of the VPC into its own log group with a retention period", () => {
      const group = dev.one(T.logGroup, "master-flow-logs");
      assert.strictEqual(group.inputs.retentionInDays, 14);
      assert.strictEqual(group.inputs.namePrefix, "/vpc-flow-logs/master-");
      const flowLog = dev.one(T.flowLog, "master-flow-logs");
      assert.deepStrictEqual(
        { ...flowLog.inputs, tags: undefined },
        {
          vpcId: idOf(dev, T.vpc, "master"),
          trafficType: "ALL",
          logDestinationType: "cloud-watch-logs",
          logDestination: group.state?.arn,
          iamRoleArn: dev.one(T.role, "master-flow-logs").state?.arn,
          maxAggregationInterval: 60,
          tags: undefined,
        },
      );
    });

    it("writes with a role of its own that only the flow-logs service of this account may assume", () => {
      const role = dev.one(T.role, "master-flow-logs");
      const trust = JSON.parse(String(role.inputs.assumeRolePolicy));
      assert.deepStrictEqual(trust.Statement[0].Principal, { Service: "vpc-flow-logs.amazonaws.com" });
      assert.deepStrictEqual(trust.Statement[0].Condition, {
        StringEquals: { "aws:SourceAccount": "123456789012" },
        ArnLike: { "aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*" },
      });
      const policy = dev.one(T.rolePolicy, "master-flow-logs");
      assert.strictEqual(policy.inputs.role, role.id);
      const groupArn = dev.one(T.logGroup, "master-flow-logs").state?.arn;
      assert.deepStrictEqual(JSON.parse(String(policy.inputs.policy)).Statement[0].Resource, [
        groupArn,
        `${groupArn}:*`,
      ]);
    });

    it("does not share the role or log group between networks", () => {
      assert.notStrictEqual(dev.one(T.role, "master-flow-logs").id, dev.one(T.role, "agent-flow-logs").id);
      assert.strictEqual(dev.one(T.flowLog, "agent-flow-logs").inputs.vpcId, idOf(dev, T.vpc, "agent"));
      assert.strictEqual(
        dev.one(T.flowLog, "agent-flow-logs").inputs.logDestination,
        dev.one(T.logGroup, "agent-flow-logs").state?.arn,
      );
    });
  });

  it("tags every child with the stack's tags and its own Name", () => {
    for (const child of dev.childrenOf(dev.one(T.network, "master"))) {
      if (child.type === T.rolePolicy || child.type === T.route || child.type === T.association) continue;
      const tags = child.inputs.tags as Record<string, string>;
      assert.ok(tags, `${child.type} ${child.name} has no tags`);
      assert.strictEqual(tags.Project, "jenkins-agent-bridge");
      assert.strictEqual(tags.Stack, "dev");
      assert.strictEqual(tags.Environment, "dev");
      assert.ok(tags.Name.startsWith("master"), `${child.name} Name tag ${tags.Name}`);
    }
  });
});
