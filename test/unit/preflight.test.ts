/**
 * The preflight against a mocked AWS SDK (aws-sdk-client-mock): a healthy account first, then one
 * fault at a time, each giving exactly its one line. What this does not prove: that the real APIs
 * answer in these shapes for every account (the shapes are the SDK's own types), or that a check
 * that passes here guarantees `pulumi up` succeeds (see docs/deploy.md).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import { ACMClient, DescribeCertificateCommand } from "@aws-sdk/client-acm";
import {
  DescribeAddressesCommand,
  DescribeAvailabilityZonesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { DescribeClusterVersionsCommand, EKSClient, ListClustersCommand } from "@aws-sdk/client-eks";
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  ServiceQuotasClient,
} from "@aws-sdk/client-service-quotas";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { decodeConfig } from "../../config/decode";
import { parseStackConfig, StackConfig } from "../../config/stack-config";
import { KUBERNETES_VERSION } from "../../config/versions";
import { applyOverrides, readStack, STACKS_DIR } from "../../plan/stack-file";
import { callerIdentity, Clients, egressAddress, gatherFacts } from "../../preflight/aws";
import { certificateCovers, EgressFacts, preflightProblems } from "../../preflight/checks";
import { QUOTAS, stackNeeds } from "../../preflight/needs";
import { ROOT } from "../harness/plan";

// As scripts/preflight.ts does: no multi-line notice about the SDK's future Node requirement.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const NS = "jenkins-agent-bridge:";
const ACCOUNT = "123456789012";
const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000000";
const ZONES = ["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"];

function configOf(stack: string, overrides: string[] = []): StackConfig {
  const values = applyOverrides(readStack(STACKS_DIR, stack), overrides);
  const parsed = parseStackConfig(decodeConfig(values.values), values.secretKeys);
  if (!parsed.ok) assert.fail(parsed.problems.join("\n"));
  return parsed.config;
}

const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const eks = mockClient(EKSClient);
const quotas = mockClient(ServiceQuotasClient);
const acm = mockClient(ACMClient);

/** A fresh, healthy account: applied quotas at AWS's defaults, nothing in use. */
function healthy(region = "us-east-1", prefix = "use1"): void {
  for (const m of [sts, ec2, eks, quotas, acm]) m.reset();
  sts
    .on(GetCallerIdentityCommand)
    .resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/deployer` });
  for (const spec of Object.values(QUOTAS)) {
    quotas
      .on(GetServiceQuotaCommand, { ServiceCode: spec.service, QuotaCode: spec.code })
      .resolves({ Quota: { Value: spec.default } });
  }
  ec2.on(DescribeAvailabilityZonesCommand).resolves({
    AvailabilityZones: ZONES.map((z, i) => ({
      ZoneId: z.replace("use1", prefix),
      ZoneName: `${region}${"abcdef"[i]}`,
    })),
  });
  ec2.on(DescribeInstanceTypeOfferingsCommand).callsFake((input: { Filters: { Values: string[] }[] }) => ({
    InstanceTypeOfferings: input.Filters[0].Values.flatMap((t) =>
      ZONES.map((z) => ({
        InstanceType: t,
        Location: z.replace("use1", prefix),
        LocationType: "availability-zone-id",
      })),
    ),
  }));
  ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
  ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [] });
  ec2.on(DescribeNatGatewaysCommand).resolves({ NatGateways: [] });
  ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [] });
  eks.on(ListClustersCommand).resolves({ clusters: [] });
  eks.on(DescribeClusterVersionsCommand).resolves({
    clusterVersions: ["1.33", "1.34", KUBERNETES_VERSION].map((v) => ({
      clusterVersion: v,
      versionStatus: "STANDARD_SUPPORT",
    })),
  });
  acm.on(DescribeCertificateCommand).resolves({
    Certificate: {
      CertificateArn: CERT,
      Status: "ISSUED",
      DomainName: "jenkins.example.com",
      SubjectAlternativeNames: ["jenkins.example.com"],
      NotAfter: new Date("2027-06-01T00:00:00Z"),
    },
  });
}

const clients = (region: string): Clients => ({
  sts: new STSClient({ region }),
  ec2: new EC2Client({ region }),
  eks: new EKSClient({ region }),
  quotas: new ServiceQuotasClient({ region }),
  acm: new ACMClient({ region }),
});

const NOW = new Date("2026-12-01T00:00:00Z");

async function run(
  stack: string,
  options: {
    overrides?: string[];
    egress?: EgressFacts;
    allowedAccountIds?: string[];
    uiHostName?: string;
  } = {},
): Promise<string[]> {
  const config = configOf(stack, options.overrides);
  const c = clients(config.region);
  const identity = await callerIdentity(c.sts);
  const egress = options.egress ?? { ok: true, address: "192.0.2.10", source: "test" };
  const facts = await gatherFacts(c, stack, config, identity, async () => egress, NOW);
  return preflightProblems(
    { stack, config, allowedAccountIds: options.allowedAccountIds, uiHostName: options.uiHostName },
    facts,
  );
}

describe("preflight", function () {
  this.timeout(30_000);
  after(() => [sts, ec2, eks, quotas, acm].forEach((m) => m.restore()));

  describe("a healthy account", () => {
    it("finds nothing for dev and tcp", async () => {
      healthy();
      assert.deepStrictEqual(await run("dev"), []);
      assert.deepStrictEqual(await run("tcp"), []);
    });

    it("finds only the elastic IP quota for prod in a fresh account: 6 NAT gateways, 5 by default", async () => {
      healthy("eu-west-1", "euw1");
      assert.deepStrictEqual(await run("prod"), [
        "quota EC2-VPC Elastic IPs (ec2 L-0263D0A3): the stack adds 6 for its NAT gateways, 0 already in use, quota 5 (applied); request at least 6 in Service Quotas before pulumi up",
      ]);
      quotas
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
      healthy();
      const own = [
        { Key: "Project", Value: "jenkins-agent-bridge" },
        { Key: "Stack", Value: "dev" },
      ];
      ec2.on(DescribeAddressesCommand).resolves({
        Addresses: [
          { AllocationId: "a", Tags: own },
          { AllocationId: "b", Tags: own },
          { AllocationId: "c" },
          { AllocationId: "d" },
          { AllocationId: "e" },
        ],
      });
      ec2
        .on(DescribeVpcsCommand)
        .resolves({ Vpcs: [{ VpcId: "v1", Tags: own }, { VpcId: "v2", Tags: own }, { VpcId: "v3" }] });
      eks.on(ListClustersCommand).resolves({ clusters: ["agents-dev", "other"] });
      assert.deepStrictEqual(await run("dev"), []);
    });
  });

  describe("one line per problem", () => {
    beforeEach(() => healthy());

    it("credentials of an account the stack does not allow", async () => {
      assert.deepStrictEqual(await run("dev", { allowedAccountIds: ["210987654321"] }), [
        `aws:allowedAccountIds: got credentials of account ${ACCOUNT} (arn:aws:iam::${ACCOUNT}:user/deployer); expected one of 210987654321`,
      ]);
      assert.deepStrictEqual(await run("dev", { allowedAccountIds: [ACCOUNT] }), []);
    });

    it("too few zones offering the node instance types", async () => {
      ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({
        InstanceTypeOfferings: [{ InstanceType: "t3a.medium", Location: "use1-az3" }],
      });
      assert.deepStrictEqual(await run("dev"), [
        `${NS}masterNetwork.azCount: 2 zones wanted but only 0 usable (none); skipped use1-az1 (t3a.medium, t3.medium not offered there), use1-az2 (t3a.medium, t3.medium not offered there), use1-az3 (EKS cannot place a control plane there), use1-az4 (t3a.medium, t3.medium not offered there), use1-az5 (t3a.medium, t3.medium not offered there), use1-az6 (t3a.medium, t3.medium not offered there)`,
      ]);
    });

    it("an explicit zone ID the region does not have", async () => {
      ec2.on(DescribeAvailabilityZonesCommand).resolves({
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
        () => ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{}, {}, {}, {}] }),
        "quota VPCs per Region (vpc L-F678F1CE): the stack adds 2, 4 already in use, quota 5 (applied); request at least 6 in Service Quotas before pulumi up",
      ],
      [
        "internet gateways",
        () => ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [{}, {}, {}, {}] }),
        "quota Internet gateways per Region (vpc L-A4707A72): the stack adds 2, 4 already in use, quota 5 (applied); request at least 6 in Service Quotas before pulumi up",
      ],
      [
        "elastic IPs",
        () => ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{}, {}, {}, {}] }),
        "quota EC2-VPC Elastic IPs (ec2 L-0263D0A3): the stack adds 2 for its NAT gateways, 4 already in use, quota 5 (applied); request at least 6 in Service Quotas before pulumi up",
      ],
      [
        "EKS clusters",
        () =>
          eks.on(ListClustersCommand).resolves({ clusters: Array.from({ length: 100 }, (_, i) => `c${i}`) }),
        "quota Clusters (eks L-1194D53C): the stack adds 1, 100 already in use, quota 100 (applied); request at least 101 in Service Quotas before pulumi up",
      ],
      [
        "interface endpoints per VPC",
        () =>
          quotas
            .on(GetServiceQuotaCommand, { ServiceCode: "vpc", QuotaCode: "L-29B6F2EB" })
            .resolves({ Quota: { Value: 0 } }),
        "quota Interface VPC endpoints per VPC (vpc L-29B6F2EB): the stack adds 1 to the new agent VPC, 0 already in use, quota 0 (applied); request at least 1 in Service Quotas before pulumi up",
      ],
      [
        "NAT gateways in a zone",
        () => {
          ec2.on(DescribeNatGatewaysCommand).resolves({
            NatGateways: [1, 2, 3, 4].map((i) => ({ NatGatewayId: `nat-${i}`, SubnetId: "subnet-1" })),
          });
          ec2
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
      ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{}, {}, {}, {}] });
      quotas
        .on(GetServiceQuotaCommand, { ServiceCode: "ec2", QuotaCode: "L-0263D0A3" })
        .rejects(Object.assign(new Error("not applied"), { name: "NoSuchResourceException" }));
      quotas.on(GetAWSDefaultServiceQuotaCommand).resolves({ Quota: { Value: 5 } });
      assert.deepStrictEqual(await run("dev"), [
        "quota EC2-VPC Elastic IPs (ec2 L-0263D0A3): the stack adds 2 for its NAT gateways, 4 already in use, quota 5 (AWS default); request at least 6 in Service Quotas before pulumi up",
      ]);
      quotas.on(GetAWSDefaultServiceQuotaCommand).rejects(new Error("unreachable"));
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
      ec2
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
      eks.on(DescribeClusterVersionsCommand).resolves({
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

    describe("the UI certificate", () => {
      beforeEach(() => healthy("eu-west-1", "euw1"));
      const prodOk = () =>
        quotas
          .on(GetServiceQuotaCommand, { ServiceCode: "ec2", QuotaCode: "L-0263D0A3" })
          .resolves({ Quota: { Value: 6 } });

      it("one that does not exist", async () => {
        prodOk();
        acm
          .on(DescribeCertificateCommand)
          .rejects(Object.assign(new Error("no"), { name: "ResourceNotFoundException" }));
        assert.deepStrictEqual(await run("prod"), [
          `${NS}controller.ui.certificateArn: ${CERT} cannot be read in eu-west-1 (ResourceNotFoundException); expected an issued certificate there`,
        ]);
      });

      it("one not issued yet", async () => {
        prodOk();
        acm
          .on(DescribeCertificateCommand)
          .resolves({ Certificate: { Status: "PENDING_VALIDATION", DomainName: "x" } });
        assert.deepStrictEqual(await run("prod"), [
          `${NS}controller.ui.certificateArn: the certificate is PENDING_VALIDATION; expected ISSUED (validate it in ACM first)`,
        ]);
      });

      it("one expired", async () => {
        prodOk();
        acm.on(DescribeCertificateCommand).resolves({
          Certificate: { Status: "ISSUED", DomainName: "x", NotAfter: new Date("2026-11-30T00:00:00Z") },
        });
        assert.deepStrictEqual(await run("prod"), [
          `${NS}controller.ui.certificateArn: the certificate expired on 2026-11-30T00:00:00.000Z; expected a valid one`,
        ]);
      });

      it("one that does not cover the UI host name", async () => {
        prodOk();
        assert.deepStrictEqual(await run("prod", { uiHostName: "ci.example.org" }), [
          `${NS}controller.ui.certificateArn: the certificate covers jenkins.example.com; expected one that covers the UI host name ci.example.org`,
        ]);
        assert.deepStrictEqual(await run("prod", { uiHostName: "jenkins.example.com" }), []);
      });

      it("matches names as TLS does: a wildcard stands for one label", () => {
        const table: [string, string, boolean][] = [
          ["jenkins.example.com", "jenkins.example.com", true],
          ["JENKINS.example.com", "jenkins.EXAMPLE.com", true],
          ["*.example.com", "jenkins.example.com", true],
          ["*.example.com", "a.b.example.com", false],
          ["*.example.com", "example.com", false],
          ["example.com", "jenkins.example.com", false],
        ];
        for (const [name, host, covers] of table)
          assert.strictEqual(certificateCovers(name, host), covers, `${name} ${host}`);
      });
    });

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
        ec2.on(DescribeNatGatewaysCommand).resolves({
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

    it("reports every problem at once", async () => {
      ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{}, {}, {}, {}] });
      ec2.on(DescribeAddressesCommand).resolves({ Addresses: [{}, {}, {}, {}] });
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

describe("npm run preflight", () => {
  const run = (args: string[], env: Record<string, string | undefined>) =>
    spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/preflight.ts", ...args], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: "/usr/bin:/bin", HOME: "/nonexistent", ...env },
    });

  it("without credentials prints one line and exits 1", function () {
    this.timeout(60_000);
    const { status, stdout, stderr } = run(["--stack", "dev"], {
      AWS_CONFIG_FILE: "/nonexistent",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
      AWS_EC2_METADATA_DISABLED: "true",
    });
    assert.strictEqual(status, 1);
    assert.strictEqual(stdout, "");
    assert.deepStrictEqual(stderr.split("\n"), [
      "credentials: none usable for stack dev in us-east-1 (Could not load credentials from any providers); expected AWS credentials: aws:profile or AWS_PROFILE, AWS_ACCESS_KEY_ID, or aws sso login",
      "",
    ]);
  });

  it("exits 2 with one line on a usage or config mistake", function () {
    this.timeout(60_000);
    const unknown = run(["--stack", "nope"], {});
    assert.strictEqual(unknown.status, 2);
    assert.strictEqual(
      unknown.stderr,
      '--stack: got "nope"; expected one of dev, prod, tcp (files in stacks/)\n',
    );
    const bad = run(["--stack", "dev", "--config", "agentCluster.apiAccess.from=laptop"], {});
    assert.strictEqual(bad.status, 2);
    assert.strictEqual(
      bad.stderr,
      `${NS}agentCluster.apiAccess.from: got "laptop"; expected one of cidrs, masterVpc\n`,
    );
  });
});
