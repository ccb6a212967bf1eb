import * as assert from "assert";
import { messages, Resource } from "../../policy/lib/resources";
import { TYPES } from "../../policy/lib/types";
import { checkFlowLogs, vpcFlowLogs } from "../../policy/policies/vpc-flow-logs";
import { runStackPolicy, TestResource, UNKNOWN_FROM_ENGINE, urnOf } from "./harness";

const NETWORK = "jenkins-agent-bridge:network:Network";
const parentOf = (name: string) => urnOf(NETWORK, name);

const vpc = (name: string, id?: string): Resource => ({
  type: TYPES.vpc,
  name,
  urn: urnOf(TYPES.vpc, name, NETWORK),
  id,
  parent: parentOf(name),
  props: { cidrBlock: "10.10.0.0/16", ...(id ? { id } : {}) },
});
const flowLog = (name: string, vpcId: string, extra: Partial<Resource> = {}): Resource => ({
  type: TYPES.flowLog,
  name,
  urn: urnOf(TYPES.flowLog, name, NETWORK),
  props: { vpcId, trafficType: "ALL" },
  ...extra,
});

describe("policy vpc-flow-logs", () => {
  it("accepts a flow log on every VPC, matched by ID", () => {
    const stack = [
      vpc("master", "vpc-1"),
      vpc("agent", "vpc-2"),
      flowLog("master-fl", "vpc-1"),
      flowLog("agent-fl", "vpc-2"),
    ];
    assert.deepStrictEqual(checkFlowLogs(stack), []);
  });

  it("reports each VPC no flow log points at, with its ID", () => {
    const stack = [
      vpc("master", "vpc-1"),
      vpc("agent", "vpc-2"),
      flowLog("master-fl", "vpc-1"),
      flowLog("stray", "vpc-9"),
    ];
    assert.deepStrictEqual(checkFlowLogs(stack), [
      {
        urn: urnOf(TYPES.vpc, "agent", NETWORK),
        message: `${TYPES.vpc} "agent": no ${TYPES.flowLog} records its traffic (VPC ID vpc-2)`,
      },
    ]);
  });

  it("matches by recorded property dependency when the ID is unknown", () => {
    const master = vpc("master");
    const stack = [master, flowLog("fl", "[unknown]", { propertyDependencies: { vpcId: [master.urn!] } })];
    assert.deepStrictEqual(checkFlowLogs(stack), []);
  });

  it("does not match a dependency on another VPC, even in the same component", () => {
    const master = vpc("master");
    const other = { ...vpc("other"), parent: master.parent };
    const stack = [
      master,
      other,
      flowLog("fl", "[unknown]", { parent: master.parent, propertyDependencies: { vpcId: [other.urn!] } }),
    ];
    assert.deepStrictEqual(messages(checkFlowLogs(stack)), [
      `${TYPES.vpc} "master": no ${TYPES.flowLog} records its traffic (VPC ID unknown)`,
    ]);
  });

  it("falls back on the shared parent when the reference is unknown and no dependency was recorded", () => {
    const master = vpc("master");
    assert.deepStrictEqual(
      checkFlowLogs([master, flowLog("fl", "[unknown]", { parent: master.parent })]),
      [],
    );
    assert.deepStrictEqual(
      messages(checkFlowLogs([master, flowLog("fl", "[unknown]", { parent: parentOf("agent") })])),
      [`${TYPES.vpc} "master": no ${TYPES.flowLog} records its traffic (VPC ID unknown)`],
    );
  });

  it("ignores flow logs of subnets and interfaces", () => {
    const stack = [
      vpc("master", "vpc-1"),
      { ...flowLog("subnet-fl", "vpc-1"), props: { subnetId: "vpc-1" } },
    ];
    assert.deepStrictEqual(messages(checkFlowLogs(stack)), [
      `${TYPES.vpc} "master": no ${TYPES.flowLog} records its traffic (VPC ID vpc-1)`,
    ]);
  });

  describe("as a stack policy", () => {
    const master: TestResource = {
      type: TYPES.vpc,
      name: "master",
      urn: urnOf(TYPES.vpc, "master"),
      props: { id: UNKNOWN_FROM_ENGINE },
    };

    it("matches a new VPC through the engine's property dependencies", async () => {
      const fl: TestResource = {
        type: TYPES.flowLog,
        name: "fl",
        props: { vpcId: UNKNOWN_FROM_ENGINE },
        propertyDependencies: { vpcId: [master.urn!] },
      };
      assert.deepStrictEqual(await runStackPolicy(vpcFlowLogs, [master, fl]), []);
    });

    it("reports a VPC without flow log against its URN; an existing VPC is named by its ID", async () => {
      const existing: TestResource = {
        type: TYPES.vpc,
        name: "agent",
        urn: urnOf(TYPES.vpc, "agent"),
        props: { id: "vpc-0abc" },
      };
      assert.deepStrictEqual(await runStackPolicy(vpcFlowLogs, [master, existing]), [
        {
          message: `${TYPES.vpc} "master": no ${TYPES.flowLog} records its traffic (VPC ID unknown)`,
          urn: master.urn,
        },
        {
          message: `${TYPES.vpc} "agent": no ${TYPES.flowLog} records its traffic (VPC ID vpc-0abc)`,
          urn: existing.urn,
        },
      ]);
    });
  });
});
