/**
 * The preflight against a mocked AWS SDK (aws-sdk-client-mock): the clients' stubs for a describe
 * block, a healthy account to start each test from, and one preflight run of a committed stack.
 */
import * as assert from "assert";
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
import { GetServiceQuotaCommand, ServiceQuotasClient } from "@aws-sdk/client-service-quotas";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { decodeConfig } from "../../config/decode";
import { parseStackConfig, StackConfig } from "../../config/stack-config";
import { KUBERNETES_VERSION } from "../../components/shared/versions";
import { applyOverrides, readStack, STACKS_DIR } from "../../offline/stack-file";
import { callerIdentity, Clients, gatherFacts } from "../../preflight/aws";
import { EgressFacts, preflightProblems } from "../../preflight/checks";
import { QUOTAS } from "../../preflight/needs";

// As scripts/preflight.ts does: no multi-line notice about the SDK's future Node requirement.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export const NS = "jenkins-agent-bridge:";
export const ACCOUNT = "123456789012";
export const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-4000-8000-000000000000";
const ZONES = ["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"];
/** The time every run checks at (certificate expiry). */
const NOW = new Date("2026-12-01T00:00:00Z");

/** A committed stack's config with `--config`-style overrides. */
export function configOf(stack: string, overrides: string[] = []): StackConfig {
  const values = applyOverrides(readStack(STACKS_DIR, stack), overrides);
  const parsed = parseStackConfig(decodeConfig(values.values), values.secretKeys);
  if (!parsed.ok) assert.fail(parsed.problems.join("\n"));
  return parsed.config;
}

/** The stubs of the SDK clients the preflight uses. */
export interface MockedAws {
  readonly sts: AwsClientStub<STSClient>;
  readonly ec2: AwsClientStub<EC2Client>;
  readonly eks: AwsClientStub<EKSClient>;
  readonly quotas: AwsClientStub<ServiceQuotasClient>;
  readonly acm: AwsClientStub<ACMClient>;
}

/** Stubs the SDK clients for the calling describe block (set up before it, restored after it). */
export function mockAws(): MockedAws {
  const aws = {} as { -readonly [K in keyof MockedAws]: MockedAws[K] };
  before(() => {
    aws.sts = mockClient(STSClient);
    aws.ec2 = mockClient(EC2Client);
    aws.eks = mockClient(EKSClient);
    aws.quotas = mockClient(ServiceQuotasClient);
    aws.acm = mockClient(ACMClient);
  });
  after(() => [aws.sts, aws.ec2, aws.eks, aws.quotas, aws.acm].forEach((m) => m.restore()));
  return aws;
}

/** A fresh, healthy account: applied quotas at AWS's defaults, nothing in use. */
export function healthy(aws: MockedAws, region = "us-east-1", prefix = "use1"): void {
  const { sts, ec2, eks, quotas, acm } = aws;
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

/** The preflight's problem lines for a committed stack against the mocked account. */
export async function run(
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
