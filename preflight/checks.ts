/**
 * The preflight's judgement: what the stack needs (its config) against what AWS says about the
 * account and region (the facts the thin AWS layer gathers). Pure: one line per problem, each
 * naming the key or quota concerned, what was found and what would do.
 */
import { contains, parseCidr } from "../components/network/cidr";
import { chooseZoneIds, RegionZones } from "../components/network/zones";
import { apiAccessCidrs } from "../config/api-access";
import type { StackConfig } from "../config/stack-config";
import { zoneCount } from "../config/zones";
import { natGatewaysByZone, QUOTAS, QuotaName, stackNeeds } from "./needs";

const NS = "jenkins-agent-bridge:";

/** A quota's value and where it came from. */
export interface QuotaValue {
  readonly value: number;
  /** `applied` (the account's value), `AWS default`, or `documented default` (neither readable). */
  readonly source: "applied" | "AWS default" | "documented default";
}

/** The UI certificate as ACM describes it, or why it could not be read. */
export type CertificateFacts =
  | {
      readonly found: true;
      readonly status: string;
      readonly domainName: string;
      readonly subjectAlternativeNames: readonly string[];
      readonly notAfter?: Date;
    }
  | { readonly found: false; readonly reason: string };

/** This machine's public egress address, or why it could not be found. */
export type EgressFacts =
  | { readonly ok: true; readonly address: string; readonly source: string }
  | { readonly ok: false; readonly reason: string };

/** What AWS says, gathered by preflight/aws.ts. */
export interface Facts {
  readonly account: string;
  readonly arn: string;
  readonly quotas: Readonly<Record<QuotaName, QuotaValue>>;
  /** What the region already holds, the stack's own resources left out (an update replaces none of them). */
  readonly usage: {
    readonly elasticIps: number;
    readonly vpcs: number;
    readonly internetGateways: number;
    readonly eksClusters: number;
    readonly natGatewaysByZoneId: Readonly<Record<string, number>>;
  };
  readonly region: RegionZones;
  /** Kubernetes versions EKS offers in the region (DescribeClusterVersions). */
  readonly eksVersions: readonly string[];
  /** The UI certificate, when the stack names one. */
  readonly certificate?: CertificateFacts;
  readonly egress: EgressFacts;
  /** Public addresses of this stack's master NAT gateways, when it exists (for `apiAccess.from: masterVpc`). */
  readonly masterNatIps: readonly string[];
  /** Zone ID of each subnet of this stack already deployed, by its Name tag (`master-private-0`). */
  readonly deployedZones: Readonly<Record<string, string>>;
  /** When the check runs (certificate expiry). */
  readonly now: Date;
}

/** What the stack is: its name, config, and the settings outside the project's keys. */
export interface PreflightStack {
  readonly stack: string;
  readonly config: StackConfig;
  /** `aws:allowedAccountIds`, when set. */
  readonly allowedAccountIds?: readonly string[];
  /** The UI's host name, when the stack names one: the certificate must cover it. */
  readonly uiHostName?: string;
}

/** The zone IDs each network would use, or the problem lines when the region cannot hold them. */
export function plannedZones(
  config: StackConfig,
  region: RegionZones,
): { zoneIds?: { master: string[]; agent: string[] }; problems: string[] } {
  const types = config.agentCluster.systemNodes.instanceTypes;
  const master = config.masterNetwork;
  const agent = config.agentNetwork;
  const masterKey = `${NS}masterNetwork.${master.availabilityZoneIds ? "availabilityZoneIds" : "azCount"}`;
  const choice = chooseZoneIds(region, {
    instanceTypes: types,
    count: zoneCount(master),
    zoneIds: master.availabilityZoneIds,
  });
  if (!choice.ok) return { problems: [`${masterKey}: ${choice.problem}`] };
  // The agent network's zones are among the master network's (config validation), so they pass too.
  const agentIds = agent.availabilityZoneIds ?? choice.zoneIds.slice(0, zoneCount(agent));
  return { zoneIds: { master: choice.zoneIds, agent: agentIds }, problems: [] };
}

/**
 * One line per network whose deployed subnets are in other zones than the config now places them:
 * `pulumi up` would replace every such subnet and what runs in it. Deployments made when zones
 * were chosen by name pin their zones with `availabilityZoneIds`.
 */
export function movedSubnets(
  planned: { readonly master: readonly string[]; readonly agent: readonly string[] },
  deployed: Readonly<Record<string, string>>,
): string[] {
  const lines: string[] = [];
  for (const network of ["master", "agent"] as const) {
    const current: string[] = [];
    let moved = false;
    for (const [name, zoneId] of Object.entries(deployed)) {
      const m = new RegExp(`^${network}-(public|private)-(\\d+)$`).exec(name);
      if (!m) continue;
      const i = Number(m[2]);
      current[i] = zoneId;
      if (planned[network][i] !== undefined && planned[network][i] !== zoneId) moved = true;
    }
    if (moved) {
      lines.push(
        `${NS}${network}Network.availabilityZoneIds: the deployed subnets are in ${current.join(", ")}, the config places them in ${planned[network].join(", ")}; pulumi up would replace them: set ${network}Network.availabilityZoneIds to ${JSON.stringify(current.filter(Boolean))} to keep them`,
      );
    }
  }
  return lines;
}

/** Whether a certificate name (`example.com`, `*.example.com`) covers a host name. */
export function certificateCovers(name: string, host: string): boolean {
  const n = name.toLowerCase();
  const h = host.toLowerCase();
  if (!n.startsWith("*.")) return n === h;
  // A wildcard stands for exactly one leftmost label (RFC 6125 section 6.4.3, as ACM issues them).
  const dot = h.indexOf(".");
  return dot > 0 && h.slice(dot + 1) === n.slice(2);
}

function addressIn(address: string, cidrs: readonly string[]): boolean {
  const single = parseCidr(`${address}/32`);
  if (!single.ok) return false;
  return cidrs.some((c) => {
    const block = parseCidr(c);
    return block.ok && contains(block.cidr, single.cidr);
  });
}

function quotaLine(name: QuotaName, facts: Facts, what: string, adds: number, used: number): string[] {
  const spec = QUOTAS[name];
  const quota = facts.quotas[name];
  if (adds + used <= quota.value) return [];
  return [
    `quota ${spec.name} (${spec.service} ${spec.code}): the stack adds ${adds}${what}, ${used} already in use, quota ${quota.value} (${quota.source}); request at least ${adds + used} in Service Quotas before pulumi up`,
  ];
}

/** Every problem the preflight finds, one line each, in a fixed order. */
export function preflightProblems(input: PreflightStack, facts: Facts): string[] {
  const { config, stack } = input;
  const problems: string[] = [];

  // Credentials and account.
  const allowed = input.allowedAccountIds ?? [];
  if (allowed.length > 0 && !allowed.includes(facts.account)) {
    problems.push(
      `aws:allowedAccountIds: got credentials of account ${facts.account} (${facts.arn}); expected one of ${allowed.join(", ")}`,
    );
  }

  // Zones and instance type offerings.
  const zones = plannedZones(config, facts.region);
  problems.push(...zones.problems);

  // A deployed stack whose subnets the config would move (subnets are replaced to change zone).
  if (zones.zoneIds) problems.push(...movedSubnets(zones.zoneIds, facts.deployedZones));

  // Quotas against what the stack adds, beside what the region already holds.
  const needs = stackNeeds(config);
  problems.push(
    ...quotaLine("vpcs", facts, "", needs.vpcs, facts.usage.vpcs),
    ...quotaLine("internetGateways", facts, "", needs.internetGateways, facts.usage.internetGateways),
    ...quotaLine("elasticIps", facts, " for its NAT gateways", needs.elasticIps, facts.usage.elasticIps),
    ...quotaLine("eksClusters", facts, "", needs.eksClusters, facts.usage.eksClusters),
    ...quotaLine(
      "interfaceEndpointsPerVpc",
      facts,
      " to the new agent VPC",
      needs.interfaceEndpointsPerVpc,
      0,
    ),
  );
  if (zones.zoneIds) {
    const added = natGatewaysByZone(needs, zones.zoneIds);
    for (const [zoneId, adds] of Object.entries(added)) {
      problems.push(
        ...quotaLine(
          "natGatewaysPerZone",
          facts,
          ` in ${zoneId}`,
          adds,
          facts.usage.natGatewaysByZoneId[zoneId] ?? 0,
        ),
      );
    }
  }

  // The Kubernetes version.
  const version = config.agentCluster.kubernetesVersion;
  if (!facts.eksVersions.includes(version)) {
    problems.push(
      `${NS}agentCluster.kubernetesVersion: got "${version}"; expected a version EKS offers in ${config.region}: ${facts.eksVersions.join(", ") || "none listed"}`,
    );
  }

  // The UI certificate.
  const arn = config.controller.ui.certificateArn;
  const cert = facts.certificate;
  if (arn !== undefined && cert) {
    const key = `${NS}controller.ui.certificateArn`;
    if (!cert.found) {
      problems.push(
        `${key}: ${arn} cannot be read in ${config.region} (${cert.reason}); expected an issued certificate there`,
      );
    } else if (cert.status !== "ISSUED") {
      problems.push(`${key}: the certificate is ${cert.status}; expected ISSUED (validate it in ACM first)`);
    } else if (cert.notAfter && cert.notAfter.getTime() <= facts.now.getTime()) {
      problems.push(
        `${key}: the certificate expired on ${cert.notAfter.toISOString()}; expected a valid one`,
      );
    } else if (input.uiHostName) {
      const names = [cert.domainName, ...cert.subjectAlternativeNames];
      if (!names.some((n) => certificateCovers(n, input.uiHostName!))) {
        problems.push(
          `${key}: the certificate covers ${[...new Set(names)].join(", ")}; expected one that covers the UI host name ${input.uiHostName}`,
        );
      }
    }
  }

  // This machine and the cluster's API.
  const access = config.agentCluster.apiAccess;
  const accessKey = `${NS}agentCluster.apiAccess`;
  if (!facts.egress.ok) {
    problems.push(
      `${accessKey}: this machine's public egress address could not be found (${facts.egress.reason}); the check that pulumi up can reach the cluster's API was not made`,
    );
  } else if (access.from === "cidrs") {
    const cidrs = apiAccessCidrs(config);
    if (!addressIn(facts.egress.address, cidrs)) {
      problems.push(
        `${accessKey}.cidrs: this machine's egress address ${facts.egress.address} (from ${facts.egress.source}) is in none of ${cidrs.join(", ")}; expected a block that holds it, or run pulumi up from a machine inside one: from here it could not reach the cluster's API`,
      );
    }
  } else if (access.from === "masterVpc") {
    if (facts.masterNatIps.length === 0) {
      problems.push(
        `${accessKey}.from: masterVpc, but stack ${stack} has no master NAT gateway in ${config.region} yet; expected from: cidrs for a first deploy (a runner inside the master VPC can only come after it)`,
      );
    } else if (!facts.masterNatIps.includes(facts.egress.address)) {
      problems.push(
        `${accessKey}.from: masterVpc, but this machine's egress address ${facts.egress.address} is none of the master network's NAT addresses ${facts.masterNatIps.join(", ")}; expected to run inside the master VPC`,
      );
    }
  }
  return problems;
}
