/**
 * The preflight against a mocked AWS SDK (aws-sdk-client-mock): a healthy account first, then one
 * fault at a time, each giving exactly its one line: credentials, zones, quotas, deployed subnets,
 * the Kubernetes version. What this does not prove: that the real APIs answer in these shapes for
 * every account (the shapes are the SDK's own types), or that a check that passes here guarantees
 * `pulumi up` succeeds (see docs/deploy.md).
 */
import * as assert from "assert";
import {
  DescribeAddressesCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { DescribeClusterVersionsCommand, ListClustersCommand } from "@aws-sdk/client-eks";
import { GetAWSDefaultServiceQuotaCommand, GetServiceQuotaCommand } from "@aws-sdk/client-service-quotas";
import { KUBERNETES_VERSION } from "../../components/shared/versions";
import { stackNeeds } from "../../preflight/needs";
import { ACCOUNT, configOf, healthy, mockAws, NS, run } from "../harness/preflight";

describe("preflight", function () {
  this.timeout(30_000);
  const aws = mockAws();

  describe("a healthy account", () => {
    it("finds nothing for dev and tcp", async () => {
      healthy(aws);
      assert.deepStrictEqual(await run("dev"), []);
      assert.deepStrictEqual(await run("tcp"), []);
    });

    it("finds only the elastic IP quota for prod in a fresh account: 6 NAT gateways, 5 by default", async () => {
      healthy(aws, "eu-west-1", "euw1");
      assert.deepStrictEqual(await run("prod"), [
        "quota EC2-VPC Elastic IPs (ec2 L-0263D0A3): the stack adds 6 for its NAT gateways, 0 already in use, quota 5 (applied); request at least 6 in Service Quotas before pulumi up",
      ]);
      aws.quotas
        .on(GetServiceQuotaCommand, { ServiceCode: "ec2", QuotaCode: "L-0263D0A3" })
        .resolves({ Quota: { Value: 6 } });
      assert.deepStrictEqual(await run("prod"), []);
    });

    it("counts what each stack adds", () => {
      assert.deepStrictEqual(stackNeeds(configOf("dev")), {
        vpcs: 2,
        internetGateways: 2,
        elasticIps: 2,
        eksClusters: 1,
        interfaceEndpointsPerVpc: 1,
        natZoneIndexes: { master: [0], agent: [0] },
      });
      assert.deepStrictEqual(stackNeeds(configOf("prod")).natZoneIndexes, {
        master: [0, 1, 2],
        agent: [0, 1, 2],
      });
    });

    it("leaves the stack's own resources out of what is in use, so an update is not refused", async () => {
      healthy(aws);
      const own = [
        { Key: "Project", Value: "jenkins-agent-bridge" },
        { Key: "Stack", Value: "dev" },
      ];
      aws.ec2.on(DescribeAddressesCommand).resolves({
        Addresses: [
          { AllocationId: "a", Tags: own },
          { AllocationId: "b", Tags: own },
          { AllocationId: "c" },
          { AllocationId: "d" },
          { AllocationId: "e" },
        ],
      });
      aws.ec2
        .on(DescribeVpcsCommand)
        .resolves({ Vpcs: [{ VpcId: "v1", Tags: own }, { VpcId: "v2", Tags: own }, { VpcId: "v3" }] });
      aws.eks.on(ListClustersCommand).resolves({ clusters: ["agents-dev", "other"] });
      assert.deepStrictEqual(await run("dev"), []);
    });
  });

  describe("one line per problem", () => {
    beforeEach(() => healthy(aws));

    it("credentials of an account the stack does not allow", async () => {
      assert.deepStrictEqual(await run("dev", { allowedAccountIds: ["210987654321"] }), [
        `aws:allowedAccountIds: got credentials of account ${ACCOUNT} (arn:aws:iam::${ACCOUNT}:user/deployer); expected one of 210987654321`,
      ]);
      assert.deepStrictEqual(await run("dev", { allowedAccountIds: [ACCOUNT] }), []);
    });

    it("too few zones offering the node instance types", async () => {
      aws.ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({
        InstanceTypeOfferings: [{ InstanceType: "t3a.medium", Location: "use1-az3" }],
      });
      assert.deepStrictEqual(await run("dev"), [
        `${NS}masterNetwork.azCount: 2 zones wanted but only 0 usable (none); skipped use1-az1 (t3a.medium, t3.medium not offered there), use1-az2 (t3a.medium, t3.medium not offered there), use1-az3 (EKS cannot place a control plane there), use1-az4 (t3a.medium, t3.medium not offered there), use1-az5 (t3a.medium, t3.medium not offered there), use1-az6 (t3a.medium, t3.medium not offered there)`,
      ]);
    });

    it("an explicit zone ID the region does not have", async () => {
      aws.ec2.on(DescribeAvailabilityZonesCommand).resolves({
        AvailabilityZones: [{ ZoneId: "use1-az1" }, { ZoneId: "use1-az2" }],
      });
      assert.deepStrictEqual(
        await run("dev", {
          overrides: [
            'masterNetwork={"availabilityZoneIds":["use1-az1","use1-az4"],"natStrategy":"single"}',
            'agentNetwork={"azCount":2,"natStrategy":"single"}',
          ],
        }),
        [
          `${NS}masterNetwork.availabilityZoneIds: zone IDs the stack cannot use: use1-az4 (not a zone of the region)`,
        ],
      );
    });

    const quotaCases: [string, () => void, string][] = [
      [
        "VPCs",
        () => aws.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{}, {}, {}, {}] }),
        "quota VPCs per Region (vpc L-F678F1CE): the stack adds 2, 4 already in use, quota 5 (applied); request at least 6 in Service Quotas before pulumi up",
      ],
      [
        "internet gateways",
        () => aws.ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [{}, {}, {}, {}] }),
        "quota Internet gateways per Region (vpc L-A4707A72): the stack adds 2, 4 already in use, quota 5 (applied); request at least 6 in Service Quotas before pulumi up",
      ],
      [
        "elastic IPs",
        () => aws.ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{}, {}, {}, {}] }),
        "quota EC2-VPC Elastic IPs (ec2 L-0263D0A3): the stack adds 2 for its NAT gateways, 4 already in use, quota 5 (applied); request at least 6 in Service Quotas before pulumi up",
      ],
      [
        "EKS clusters",
        () =>
          aws.eks
            .on(ListClustersCommand)
            .resolves({ clusters: Array.from({ length: 100 }, (_, i) => `c${i}`) }),
        "quota Clusters (eks L-1194D53C): the stack adds 1, 100 already in use, quota 100 (applied); request at least 101 in Service Quotas before pulumi up",
      ],
      [
        "interface endpoints per VPC",
        () =>
          aws.quotas
            .on(GetServiceQuotaCommand, { ServiceCode: "vpc", QuotaCode: "L-29B6F2EB" })
            .resolves({ Quota: { Value: 0 } }),
        "quota Interface VPC endpoints per VPC (vpc L-29B6F2EB): the stack adds 1 to the new agent VPC, 0 already in use, quota 0 (applied); request at least 1 in Service Quotas before pulumi up",
      ],
      [
        "NAT gateways in a zone",
        () => {
          aws.ec2.on(DescribeNatGatewaysCommand).resolves({
            NatGateways: [1, 2, 3, 4].map((i) => ({ NatGatewayId: `nat-${i}`, SubnetId: "subnet-1" })),
          });
          aws.ec2
            .on(DescribeSubnetsCommand)
            .resolves({ Subnets: [{ SubnetId: "subnet-1", AvailabilityZoneId: "use1-az1" }] });
        },
        "quota NAT gateways per Availability Zone (vpc L-FE5A380F): the stack adds 2 in use1-az1, 4 already in use, quota 5 (applied); request at least 6 in Service Quotas before pulumi up",
      ],
    ];
    for (const [what, fault, line] of quotaCases) {
      it(`a quota too small: ${what}`, async () => {
        fault();
        assert.deepStrictEqual(await run("dev"), [line]);
      });
    }

    it("a quota Service Quotas does not return: AWS's default, then the documented one", async () => {
      aws.ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{}, {}, {}, {}] });
      aws.quotas
        .on(GetServiceQuotaCommand, { ServiceCode: "ec2", QuotaCode: "L-0263D0A3" })
        .rejects(Object.assign(new Error("not applied"), { name: "NoSuchResourceException" }));
      aws.quotas.on(GetAWSDefaultServiceQuotaCommand).resolves({ Quota: { Value: 5 } });
      assert.deepStrictEqual(await run("dev"), [
        "quota EC2-VPC Elastic IPs (ec2 L-0263D0A3): the stack adds 2 for its NAT gateways, 4 already in use, quota 5 (AWS default); request at least 6 in Service Quotas before pulumi up",
      ]);
      aws.quotas.on(GetAWSDefaultServiceQuotaCommand).rejects(new Error("unreachable"));
      assert.deepStrictEqual(await run("dev"), [
        "quota EC2-VPC Elastic IPs (ec2 L-0263D0A3): the stack adds 2 for its NAT gateways, 4 already in use, quota 5 (documented default); request at least 6 in Service Quotas before pulumi up",
      ]);
    });

    it("a deployed stack whose subnets the config would move to other zones", async () => {
      const subnet = (name: string, zone: string) => ({
        SubnetId: `subnet-${name}`,
        AvailabilityZoneId: zone,
        Tags: [{ Key: "Name", Value: name }],
      });
      aws.ec2
        .on(DescribeSubnetsCommand, {
          Filters: [
            { Name: "tag:Project", Values: ["jenkins-agent-bridge"] },
            { Name: "tag:Stack", Values: ["dev"] },
          ],
        })
        .resolves({
          Subnets: [
            subnet("master-private-0", "use1-az4"),
            subnet("master-private-1", "use1-az6"),
            subnet("master-public-0", "use1-az4"),
            subnet("master-public-1", "use1-az6"),
            subnet("agent-private-0", "use1-az1"),
            subnet("agent-private-1", "use1-az2"),
          ],
        });
      assert.deepStrictEqual(await run("dev"), [
        `${NS}masterNetwork.availabilityZoneIds: the deployed subnets are in use1-az4, use1-az6, the config places them in use1-az1, use1-az2; pulumi up would replace them: set masterNetwork.availabilityZoneIds to ["use1-az4","use1-az6"] to keep them`,
      ]);
    });

    it("a Kubernetes version EKS does not offer in the region", async () => {
      aws.eks.on(DescribeClusterVersionsCommand).resolves({
        clusterVersions: [
          { clusterVersion: "1.33", versionStatus: "STANDARD_SUPPORT" },
          { clusterVersion: "1.34", versionStatus: "EXTENDED_SUPPORT" },
          { clusterVersion: KUBERNETES_VERSION, versionStatus: "UNSUPPORTED" },
        ],
      });
      assert.deepStrictEqual(await run("dev"), [
        `${NS}agentCluster.kubernetesVersion: got "${KUBERNETES_VERSION}"; expected a version EKS offers in us-east-1: 1.33, 1.34`,
      ]);
    });

    it("reports every problem at once", async () => {
      aws.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{}, {}, {}, {}] });
      aws.ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{}, {}, {}, {}] });
      const lines = await run("dev", {
        allowedAccountIds: ["210987654321"],
        egress: { ok: true, address: "203.0.113.9", source: "checkip" },
      });
      assert.deepStrictEqual(
        lines.map((l) => l.slice(0, l.indexOf(": "))),
        [
          "aws:allowedAccountIds",
          "quota VPCs per Region (vpc L-F678F1CE)",
          "quota EC2-VPC Elastic IPs (ec2 L-0263D0A3)",
          `${NS}agentCluster.apiAccess.cidrs`,
        ],
      );
    });
  });
});
