/**
 * The agent proxy's upstream under a whole-program mock run: nginx connects to the interface
 * endpoint's addresses, which the program reads from the endpoint's network interfaces (the mock
 * gives each the first assignable address of its subnet), and a change of them changes the
 * mounted config and rolls the pods. What this does not prove: the addresses AWS assigns.
 */
import * as assert from "assert";
import { deliveredNginxConf } from "../../offline/artifacts";
import { planStack, PlanView, T } from "../harness/plan";

type Inputs = Record<string, unknown>;

const upstreamServers = (view: PlanView) =>
  /upstream controller \{([^}]*)\}/
    .exec(deliveredNginxConf(view.plan) ?? "")?.[1]
    .trim()
    .split(/\s*\n\s*/);

const checksum = (view: PlanView) =>
  (((view.one(T.deployment, "proxy").inputs.spec as Inputs).template as Inputs).metadata as Inputs)
    .annotations as Inputs;

describe("agent proxy upstream (mock run)", function () {
  this.timeout(120_000);
  let dev: PlanView;
  before(async () => {
    dev = await planStack("dev");
  });

  it("connects to the endpoint's network interfaces' addresses, one per agent private subnet", () => {
    const subnets = dev
      .byType(T.subnet)
      .filter((s) => s.name.startsWith("agent-private"))
      .map((s) => String(s.inputs.cidrBlock));
    assert.strictEqual(subnets.length, 2);
    const endpoint = dev.byType("aws:ec2/vpcEndpoint:VpcEndpoint");
    assert.strictEqual(endpoint.length, 1);
    assert.deepStrictEqual(upstreamServers(dev), ["server 10.20.0.4:443;", "server 10.20.16.4:443;"]);
    for (const server of upstreamServers(dev) ?? []) {
      assert.ok(
        subnets.some((cidr) => server.startsWith(`server ${cidr.split("/")[0].replace(/\.0$/, ".4")}:`)),
        server,
      );
    }
  });

  it("renders other addresses and rolls the pods when the endpoint's subnets change", async () => {
    const moved = await planStack("dev", ["agentNetwork.cidrBlock=10.24.0.0/16"]);
    assert.deepStrictEqual(upstreamServers(moved), ["server 10.24.0.4:443;", "server 10.24.16.4:443;"]);
    assert.notStrictEqual(
      checksum(moved)["jenkins-agent-bridge/config-sha256"],
      checksum(dev)["jenkins-agent-bridge/config-sha256"],
    );
  });
});
