/**
 * The preflight's AWS calls: read-only (Describe, List, Get), thin, each turned into the plain
 * facts that preflight/checks.ts judges. Clients are passed in, so tests use a mocked SDK.
 */
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
  Tag,
} from "@aws-sdk/client-ec2";
import { DescribeClusterVersionsCommand, EKSClient, ListClustersCommand } from "@aws-sdk/client-eks";
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  ServiceQuotasClient,
} from "@aws-sdk/client-service-quotas";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { RegionZones } from "../components/network/zones";
import { PROJECT, StackConfig } from "../config/stack-config";
import { CertificateFacts, EgressFacts, Facts, QuotaValue } from "./checks";
import { QUOTAS, QuotaName } from "./needs";

/** The clients the preflight uses, and nothing else. */
export interface Clients {
  readonly sts: STSClient;
  readonly ec2: EC2Client;
  readonly eks: EKSClient;
  readonly quotas: ServiceQuotasClient;
  readonly acm: ACMClient;
}

/** AWS credentials as the SDK takes them. */
type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/**
 * Clients for the stack's region, authenticated as the AWS provider would be: the default chain
 * (environment, `aws:profile` as AWS_PROFILE, SSO, instance role) and, when the stack assumes a
 * role (`aws:assumeRoles`), that role.
 */
export async function stackClients(config: StackConfig): Promise<Clients> {
  if (config.awsCli.profile && !process.env.AWS_PROFILE) process.env.AWS_PROFILE = config.awsCli.profile;
  const region = config.region;
  let credentials: Credentials | undefined;
  if (config.awsCli.roleArn) {
    const assumed = await new STSClient({ region }).send(
      new AssumeRoleCommand({ RoleArn: config.awsCli.roleArn, RoleSessionName: "preflight" }),
    );
    const c = assumed.Credentials;
    if (c?.AccessKeyId && c.SecretAccessKey) {
      credentials = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
      };
    }
  }
  const options = { region, ...(credentials ? { credentials } : {}) };
  return {
    sts: new STSClient(options),
    ec2: new EC2Client(options),
    eks: new EKSClient(options),
    quotas: new ServiceQuotasClient(options),
    acm: new ACMClient(options),
  };
}

/** Who the credentials are (STS GetCallerIdentity; needs no permission). */
export async function callerIdentity(sts: STSClient): Promise<{ account: string; arn: string }> {
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  return { account: identity.Account ?? "", arn: identity.Arn ?? "" };
}

/** Every page of a paginated call. */
async function allPages<T>(page: (token?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const result = await page(token);
    out.push(...result.items);
    token = result.next;
  } while (token);
  return out;
}

/** Whether a resource carries this stack's own tags (`Project`, `Stack`; see stackTags). */
function ownedBy(stack: string, tags: readonly Tag[] | undefined): boolean {
  const value = (key: string) => tags?.find((t) => t.Key === key)?.Value;
  return value("Project") === PROJECT && value("Stack") === stack;
}

/** A quota: the account's value, else AWS's default, else the documented default. */
export async function quotaValue(client: ServiceQuotasClient, name: QuotaName): Promise<QuotaValue> {
  const spec = QUOTAS[name];
  const ids = { ServiceCode: spec.service, QuotaCode: spec.code };
  try {
    const applied = await client.send(new GetServiceQuotaCommand(ids));
    if (typeof applied.Quota?.Value === "number") return { value: applied.Quota.Value, source: "applied" };
  } catch {
    // Not applied in this account, or not readable: fall back to the default.
  }
  try {
    const byDefault = await client.send(new GetAWSDefaultServiceQuotaCommand(ids));
    if (typeof byDefault.Quota?.Value === "number")
      return { value: byDefault.Quota.Value, source: "AWS default" };
  } catch {
    // Service Quotas unreachable: the documented default.
  }
  return { value: spec.default, source: "documented default" };
}

/** The region's standard zones and where each node instance type is offered, by zone ID. */
export async function regionZones(ec2: EC2Client, instanceTypes: readonly string[]): Promise<RegionZones> {
  const zones = await ec2.send(
    new DescribeAvailabilityZonesCommand({
      Filters: [
        { Name: "opt-in-status", Values: ["opt-in-not-required"] },
        { Name: "zone-type", Values: ["availability-zone"] },
      ],
    }),
  );
  const offered = await allPages(async (NextToken) => {
    const r = await ec2.send(
      new DescribeInstanceTypeOfferingsCommand({
        LocationType: "availability-zone-id",
        Filters: [{ Name: "instance-type", Values: [...instanceTypes] }],
        NextToken,
      }),
    );
    return { items: r.InstanceTypeOfferings ?? [], next: r.NextToken };
  });
  const offerings: Record<string, string[]> = {};
  for (const o of offered) {
    if (o.InstanceType && o.Location)
      offerings[o.InstanceType] = [...(offerings[o.InstanceType] ?? []), o.Location];
  }
  return { zoneIds: (zones.AvailabilityZones ?? []).flatMap((z) => (z.ZoneId ? [z.ZoneId] : [])), offerings };
}

/**
 * What the region already holds, this stack's own resources left out; the stack's master NAT
 * addresses; and the zone ID of each of its subnets, by Name tag, when it is deployed.
 */
export async function regionUsage(ec2: EC2Client, eks: EKSClient, stack: string) {
  const addresses = await ec2.send(
    new DescribeAddressesCommand({ Filters: [{ Name: "domain", Values: ["vpc"] }] }),
  );
  const vpcs = await allPages(async (NextToken) => {
    const r = await ec2.send(new DescribeVpcsCommand({ NextToken }));
    return { items: r.Vpcs ?? [], next: r.NextToken };
  });
  const gateways = await allPages(async (NextToken) => {
    const r = await ec2.send(new DescribeInternetGatewaysCommand({ NextToken }));
    return { items: r.InternetGateways ?? [], next: r.NextToken };
  });
  const nats = await allPages(async (NextToken) => {
    const r = await ec2.send(
      new DescribeNatGatewaysCommand({
        Filter: [{ Name: "state", Values: ["pending", "available"] }],
        NextToken,
      }),
    );
    return { items: r.NatGateways ?? [], next: r.NextToken };
  });
  const clusters = await allPages(async (nextToken) => {
    const r = await eks.send(new ListClustersCommand({ nextToken }));
    return { items: r.clusters ?? [], next: r.nextToken };
  });
  const otherNats = nats.filter((n) => !ownedBy(stack, n.Tags));
  const subnetIds = [...new Set(otherNats.flatMap((n) => (n.SubnetId ? [n.SubnetId] : [])))];
  const subnets =
    subnetIds.length === 0
      ? []
      : ((await ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnetIds }))).Subnets ?? []);
  const zoneOf = new Map(subnets.map((s) => [s.SubnetId, s.AvailabilityZoneId]));
  const natGatewaysByZoneId: Record<string, number> = {};
  for (const n of otherNats) {
    const zone = zoneOf.get(n.SubnetId);
    if (zone) natGatewaysByZoneId[zone] = (natGatewaysByZoneId[zone] ?? 0) + 1;
  }
  const ownSubnets =
    (
      await ec2.send(
        new DescribeSubnetsCommand({
          Filters: [
            { Name: "tag:Project", Values: [PROJECT] },
            { Name: "tag:Stack", Values: [stack] },
          ],
        }),
      )
    ).Subnets ?? [];
  const deployedZones: Record<string, string> = {};
  for (const subnet of ownSubnets) {
    const name = subnet.Tags?.find((t) => t.Key === "Name")?.Value;
    if (name && subnet.AvailabilityZoneId) deployedZones[name] = subnet.AvailabilityZoneId;
  }
  const masterNatIps = nats
    .filter(
      (n) =>
        ownedBy(stack, n.Tags) &&
        (n.Tags ?? []).some((t) => t.Key === "Name" && t.Value?.startsWith("master-nat-")),
    )
    .flatMap((n) => (n.NatGatewayAddresses ?? []).flatMap((a) => (a.PublicIp ? [a.PublicIp] : [])));
  return {
    usage: {
      elasticIps: (addresses.Addresses ?? []).filter((a) => !ownedBy(stack, a.Tags)).length,
      vpcs: vpcs.filter((v) => !ownedBy(stack, v.Tags)).length,
      internetGateways: gateways.filter((g) => !ownedBy(stack, g.Tags)).length,
      // The stack's own cluster is named agents-STACK (components/cluster).
      eksClusters: clusters.filter((c) => c !== `agents-${stack}`).length,
      natGatewaysByZoneId,
    },
    masterNatIps,
    deployedZones,
  };
}

/** Kubernetes versions EKS offers in the region, standard or extended support. */
export async function eksVersions(eks: EKSClient): Promise<string[]> {
  const versions = await allPages(async (nextToken) => {
    const r = await eks.send(new DescribeClusterVersionsCommand({ nextToken }));
    return { items: r.clusterVersions ?? [], next: r.nextToken };
  });
  return versions
    .filter((v) => v.versionStatus !== "UNSUPPORTED")
    .flatMap((v) => (v.clusterVersion ? [v.clusterVersion] : []));
}

/** The UI certificate as ACM describes it. */
export async function certificateFacts(acm: ACMClient, arn: string): Promise<CertificateFacts> {
  try {
    const { Certificate: c } = await acm.send(new DescribeCertificateCommand({ CertificateArn: arn }));
    return {
      found: true,
      status: c?.Status ?? "UNKNOWN",
      domainName: c?.DomainName ?? "",
      subjectAlternativeNames: c?.SubjectAlternativeNames ?? [],
      ...(c?.NotAfter ? { notAfter: c.NotAfter } : {}),
    };
  } catch (err) {
    return { found: false, reason: (err as Error).name || (err as Error).message };
  }
}

/** Where this machine's public egress address is asked for: AWS's own echo service. */
export const EGRESS_URL = "https://checkip.amazonaws.com/";

/** This machine's public egress address, by one small HTTPS request. */
export async function egressAddress(
  fetchText: (url: string) => Promise<string> = async (url) => {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
  },
): Promise<EgressFacts> {
  try {
    const address = (await fetchText(EGRESS_URL)).trim();
    return /^\d{1,3}(\.\d{1,3}){3}$/.test(address)
      ? { ok: true, address, source: EGRESS_URL }
      : { ok: false, reason: `${EGRESS_URL} answered ${JSON.stringify(address.slice(0, 40))}` };
  } catch (err) {
    return { ok: false, reason: `${EGRESS_URL}: ${(err as Error).message}` };
  }
}

/** Everything the checks need, gathered with read-only calls. */
export async function gatherFacts(
  clients: Clients,
  stack: string,
  config: StackConfig,
  identity: { account: string; arn: string },
  egress: () => Promise<EgressFacts>,
  now: Date = new Date(),
): Promise<Facts> {
  const names = Object.keys(QUOTAS) as QuotaName[];
  const quotaValues = await Promise.all(names.map((n) => quotaValue(clients.quotas, n)));
  const { usage, masterNatIps, deployedZones } = await regionUsage(clients.ec2, clients.eks, stack);
  const arn = config.controller.ui.certificateArn;
  return {
    ...identity,
    quotas: Object.fromEntries(names.map((n, i) => [n, quotaValues[i]])) as Facts["quotas"],
    usage,
    masterNatIps,
    deployedZones,
    region: await regionZones(clients.ec2, config.agentCluster.systemNodes.instanceTypes),
    eksVersions: await eksVersions(clients.eks),
    ...(arn ? { certificate: await certificateFacts(clients.acm, arn) } : {}),
    egress: await egress(),
    now,
  };
}
