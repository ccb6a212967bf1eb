/**
 * What a stack adds to an AWS region, counted from its typed config: the inputs of the quota check.
 * Pure. The counts follow what the components create (components/network, gateway, cluster).
 */
import { natGatewayCount, NatStrategy } from "../components/network/nat";
import type { StackConfig } from "../config/stack-config";
import { zoneCount } from "../config/zones";

/** A Service Quotas quota the preflight reads, with AWS's default as the fallback. */
export interface QuotaSpec {
  /** Name as Service Quotas shows it. */
  readonly name: string;
  /** Service code (`ec2`, `vpc`, `eks`). */
  readonly service: string;
  /** Quota code. */
  readonly code: string;
  /** AWS's default value, used when Service Quotas cannot be read. */
  readonly default: number;
}

/**
 * The quotas the stack counts against. Codes and defaults from the Amazon VPC quotas page
 * (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html: VPCs per Region
 * L-F678F1CE 5, Internet gateways per Region L-A4707A72 5, NAT gateways per Availability Zone
 * L-FE5A380F 5, Interface VPC endpoints per VPC L-29B6F2EB 50), the Amazon EC2 Elastic IP quota
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/elastic-ip-addresses-eip.html#using-instance-addressing-limit:
 * EC2-VPC Elastic IPs L-0263D0A3 5) and the Amazon EKS quotas
 * (https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html: Clusters L-1194D53C 100).
 */
export const QUOTAS = {
  elasticIps: { name: "EC2-VPC Elastic IPs", service: "ec2", code: "L-0263D0A3", default: 5 },
  vpcs: { name: "VPCs per Region", service: "vpc", code: "L-F678F1CE", default: 5 },
  internetGateways: { name: "Internet gateways per Region", service: "vpc", code: "L-A4707A72", default: 5 },
  natGatewaysPerZone: {
    name: "NAT gateways per Availability Zone",
    service: "vpc",
    code: "L-FE5A380F",
    default: 5,
  },
  interfaceEndpointsPerVpc: {
    name: "Interface VPC endpoints per VPC",
    service: "vpc",
    code: "L-29B6F2EB",
    default: 50,
  },
  eksClusters: { name: "Clusters", service: "eks", code: "L-1194D53C", default: 100 },
} as const satisfies Record<string, QuotaSpec>;
export type QuotaName = keyof typeof QUOTAS;

/** Interface endpoints the stack puts in the agent VPC: the one to the endpoint service. */
export const INTERFACE_ENDPOINTS_IN_AGENT_VPC = 1;

/** What the stack adds to the region. */
export interface StackNeeds {
  readonly vpcs: number;
  readonly internetGateways: number;
  /** One per NAT gateway. */
  readonly elasticIps: number;
  readonly eksClusters: number;
  /** Interface endpoints in the (new) agent VPC. */
  readonly interfaceEndpointsPerVpc: number;
  /** Indexes of the zones holding a NAT gateway, in each network's zone list. */
  readonly natZoneIndexes: { readonly master: number[]; readonly agent: number[] };
}

/** Zone indexes holding a NAT gateway: the first for `single`, each for `perAz`. */
function natZoneIndexes(strategy: NatStrategy, zones: number): number[] {
  return Array.from({ length: natGatewayCount(strategy, zones) }, (_, i) => i);
}

/** What the stack adds, from its config. */
export function stackNeeds(config: StackConfig): StackNeeds {
  const master = config.masterNetwork;
  const agent = config.agentNetwork;
  const masterNats = natZoneIndexes(master.natStrategy, zoneCount(master));
  const agentNats = natZoneIndexes(agent.natStrategy, zoneCount(agent));
  return {
    vpcs: 2,
    internetGateways: 2,
    elasticIps: masterNats.length + agentNats.length,
    eksClusters: 1,
    interfaceEndpointsPerVpc: INTERFACE_ENDPOINTS_IN_AGENT_VPC,
    natZoneIndexes: { master: masterNats, agent: agentNats },
  };
}

/** NAT gateways the stack adds in each zone, by zone ID, given each network's chosen zone IDs. */
export function natGatewaysByZone(
  needs: StackNeeds,
  zoneIds: { readonly master: readonly string[]; readonly agent: readonly string[] },
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const network of ["master", "agent"] as const) {
    for (const i of needs.natZoneIndexes[network]) {
      const id = zoneIds[network][i];
      if (id !== undefined) out[id] = (out[id] ?? 0) + 1;
    }
  }
  return out;
}
