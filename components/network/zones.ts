/**
 * Availability zones by zone ID. A zone name (`us-east-1a`) maps to a different physical zone in
 * each account; a zone ID (`use1-az1`) is the same zone everywhere, so two accounts given the same
 * stack get equivalent layouts. Both networks take their zones from one list chosen here: the agent
 * network's interface endpoint only uses zones where the endpoint service's load balancer (in the
 * master network) has a subnet, so the agent network's zones are always among the master's.
 *
 * Pure: the region's zones and the instance type offerings in, the chosen zone IDs or one reason out.
 */

/**
 * Zone IDs where EKS cannot place a cluster's control-plane network interfaces: a cluster with a
 * subnet there fails with UnsupportedAvailabilityZoneException. Source: Amazon EKS user guide,
 * "View Amazon EKS networking requirements for VPC and subnets", subnet requirements for clusters
 * (https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-subnets).
 */
export const EKS_UNSUPPORTED_ZONE_IDS: readonly string[] = ["use1-az3", "usw1-az2", "cac1-az3"];

/** Zone IDs: the region's short code, `-az`, a number (`use1-az1`, `euw1-az3`, `usgw1-az2`). */
export const ZONE_ID_PATTERN = /^[a-z]+\d+-az\d+$/;

/** Short codes of the direction words in region names, as zone IDs spell them. */
const DIRECTION_CODE: Readonly<Record<string, string>> = {
  north: "n",
  south: "s",
  east: "e",
  west: "w",
  central: "c",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
  gov: "g",
};

/**
 * The prefix of a region's zone IDs (`us-east-1` gives `use1`, `ap-northeast-2` gives `apne2`,
 * `us-gov-west-1` gives `usgw1`), or undefined for a region whose name uses a word not known here
 * (then no prefix check is made). The pattern follows the zone IDs AWS lists per region
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html).
 */
export function zoneIdPrefix(region: string): string | undefined {
  const parts = region.split("-");
  const number = parts.pop();
  const country = parts.shift();
  if (!number || !/^\d+$/.test(number) || !country) return undefined;
  const codes = parts.map((p) => DIRECTION_CODE[p]);
  return codes.every((c) => c !== undefined) ? `${country}${codes.join("")}${number}` : undefined;
}

/** The number in a zone ID (`use1-az12` gives 12), for ordering. */
function zoneNumber(zoneId: string): number {
  return Number(zoneId.slice(zoneId.lastIndexOf("-az") + 3));
}

/** Zone IDs in a stable order: by their number, not as text (az2 before az10). */
export function sortZoneIds(zoneIds: readonly string[]): string[] {
  return [...zoneIds].sort((a, b) => zoneNumber(a) - zoneNumber(b) || a.localeCompare(b));
}

/** What the region offers, as the EC2 API reports it. */
export interface RegionZones {
  /** Zone IDs of the region's standard availability zones (no opt-in Local or Wavelength Zones). */
  readonly zoneIds: readonly string[];
  /** Zone IDs offering each instance type the nodes use (DescribeInstanceTypeOfferings by zone ID). */
  readonly offerings: Readonly<Record<string, readonly string[]>>;
}

/** What the stack asks for. */
export interface ZoneRequest {
  /** Instance types of the cluster's nodes; a zone must offer every one. */
  readonly instanceTypes: readonly string[];
  /** How many zones to take. */
  readonly count: number;
  /** Explicit zone IDs (then `count` is their number). */
  readonly zoneIds?: readonly string[];
}

/** Outcome of {@link chooseZoneIds}. */
export type ZoneChoice =
  | { readonly ok: true; readonly zoneIds: string[]; readonly skipped: string[] }
  | { readonly ok: false; readonly problem: string };

/** Why a zone cannot hold the stack, or undefined when it can. */
export function zoneUnusable(zoneId: string, region: RegionZones, instanceTypes: readonly string[]) {
  if (!region.zoneIds.includes(zoneId)) return "not a zone of the region";
  if (EKS_UNSUPPORTED_ZONE_IDS.includes(zoneId)) return "EKS cannot place a control plane there";
  const missing = instanceTypes.filter((t) => !(region.offerings[t] ?? []).includes(zoneId));
  return missing.length > 0 ? `${missing.join(", ")} not offered there` : undefined;
}

/**
 * The zone IDs of the stack: the explicit ones when given (each must be usable), otherwise the
 * first `count` usable zones in zone-ID order. Skipped zones are listed with their reason.
 */
export function chooseZoneIds(region: RegionZones, request: ZoneRequest): ZoneChoice {
  if (request.zoneIds) {
    const refused = request.zoneIds
      .map((id) => ({ id, reason: zoneUnusable(id, region, request.instanceTypes) }))
      .filter((z) => z.reason !== undefined);
    if (refused.length > 0) {
      return {
        ok: false,
        problem: `zone IDs the stack cannot use: ${refused.map((z) => `${z.id} (${z.reason})`).join(", ")}`,
      };
    }
    return { ok: true, zoneIds: [...request.zoneIds], skipped: [] };
  }
  const usable: string[] = [];
  const skipped: string[] = [];
  for (const id of sortZoneIds(region.zoneIds)) {
    const reason = zoneUnusable(id, region, request.instanceTypes);
    if (reason === undefined) usable.push(id);
    else skipped.push(`${id} (${reason})`);
  }
  if (usable.length < request.count) {
    return {
      ok: false,
      problem: `${request.count} zones wanted but only ${usable.length} usable (${usable.join(", ") || "none"})${skipped.length ? `; skipped ${skipped.join(", ")}` : ""}`,
    };
  }
  return { ok: true, zoneIds: usable.slice(0, request.count), skipped };
}

/**
 * The agent network's zones from the master network's: the explicit agent zone IDs when given
 * (config validation has checked that they are among the master's), otherwise the master's first
 * `count`.
 */
export function agentZoneIds(masterZoneIds: readonly string[], count: number, explicit?: readonly string[]) {
  return explicit ? [...explicit] : masterZoneIds.slice(0, count);
}
