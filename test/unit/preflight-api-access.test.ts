/**
 * The preflight's checks that this machine reaches the cluster's API (`agentCluster.apiAccess`),
 * against a mocked AWS SDK and given egress addresses.
 */
import * as assert from "assert";
import { DescribeNatGatewaysCommand } from "@aws-sdk/client-ec2";
import { egressAddress } from "../../preflight/aws";
import { healthy, mockAws, NS, run } from "../harness/preflight";

describe("preflight", function () {
  this.timeout(30_000);
  const aws = mockAws();

  describe("one line per problem", () => {
    beforeEach(() => healthy(aws));

    describe("this machine and the cluster's API", () => {
      it("an egress address outside apiAccess.cidrs", async () => {
        assert.deepStrictEqual(
          await run("dev", { egress: { ok: true, address: "203.0.113.9", source: "checkip" } }),
          [
            `${NS}agentCluster.apiAccess.cidrs: this machine's egress address 203.0.113.9 (from checkip) is in none of 192.0.2.0/24; expected a block that holds it, or run pulumi up from a machine inside one: from here it could not reach the cluster's API`,
          ],
        );
      });

      it("an egress address that cannot be found", async () => {
        assert.deepStrictEqual(await run("dev", { egress: { ok: false, reason: "timeout" } }), [
          `${NS}agentCluster.apiAccess: this machine's public egress address could not be found (timeout); the check that pulumi up can reach the cluster's API was not made`,
        ]);
      });

      it("masterVpc before the master network exists", async () => {
        assert.deepStrictEqual(
          await run("dev", { overrides: ['agentCluster.apiAccess={"from":"masterVpc"}'] }),
          [
            `${NS}agentCluster.apiAccess.from: masterVpc, but stack dev has no master NAT gateway in us-east-1 yet; expected from: cidrs for a first deploy (a runner inside the master VPC can only come after it)`,
          ],
        );
      });

      it("masterVpc from outside the master VPC, and from inside it", async () => {
        aws.ec2.on(DescribeNatGatewaysCommand).resolves({
          NatGateways: [
            {
              NatGatewayId: "nat-1",
              SubnetId: "subnet-own",
              Tags: [
                { Key: "Project", Value: "jenkins-agent-bridge" },
                { Key: "Stack", Value: "dev" },
                { Key: "Name", Value: "master-nat-0" },
              ],
              NatGatewayAddresses: [{ PublicIp: "198.51.100.7" }],
            },
          ],
        });
        const overrides = ['agentCluster.apiAccess={"from":"masterVpc"}'];
        assert.deepStrictEqual(await run("dev", { overrides }), [
          `${NS}agentCluster.apiAccess.from: masterVpc, but this machine's egress address 192.0.2.10 is none of the master network's NAT addresses 198.51.100.7; expected to run inside the master VPC`,
        ]);
        assert.deepStrictEqual(
          await run("dev", { overrides, egress: { ok: true, address: "198.51.100.7", source: "test" } }),
          [],
        );
      });

      it("asks checkip.amazonaws.com, and says so when the answer is no address", async () => {
        assert.deepStrictEqual(await egressAddress(async () => "192.0.2.10\n"), {
          ok: true,
          address: "192.0.2.10",
          source: "https://checkip.amazonaws.com/",
        });
        assert.deepStrictEqual(await egressAddress(async () => "<html>"), {
          ok: false,
          reason: 'https://checkip.amazonaws.com/ answered "<html>"',
        });
        assert.deepStrictEqual(
          await egressAddress(async () => {
            throw new Error("getaddrinfo ENOTFOUND");
          }),
          { ok: false, reason: "https://checkip.amazonaws.com/: getaddrinfo ENOTFOUND" },
        );
      });
    });
  });
});
