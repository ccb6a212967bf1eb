/**
 * EKS cluster and node group inputs.
 * - At most 40 public access CIDR blocks a cluster (EKS service quota "Public endpoint access
 *   CIDR ranges per cluster", https://docs.aws.amazon.com/eks/latest/userguide/service-quotas.html).
 * - Cluster subnets in at least two Availability Zones (CreateCluster `subnetIds`,
 *   https://docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigRequest.html and
 *   https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html).
 * - Node group scaling: minSize >= 0, maxSize >= 1, minSize <= desiredSize <= maxSize
 *   (https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html).
 * - Each add-on at most once a cluster: CreateAddon refuses an add-on name the cluster already has
 *   (ResourceInUseException, https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAddon.html).
 */
import type { PlannedResource } from "../engine";
import { Finding, findings, input, isUnknown, PlanView, Rule } from "./rule";
import { TYPES } from "../../policy/lib/types";

export const MAX_PUBLIC_ACCESS_CIDRS = 40;

const cidrs = findings("eks-public-cidrs");
const zones = findings("eks-subnet-zones");
const sizes = findings("eks-node-group-size");
const addons = findings("eks-addon-once");

/** How a subnet names its zone: by ID first, then by name. */
export const ZONE_FIELDS = ["availabilityZoneId", "availabilityZone"] as const;
export type ZoneField = (typeof ZONE_FIELDS)[number];

/**
 * The zones of the planned subnets `subnetIds` refer to, or the reason they cannot be told
 * offline. Zone IDs (`use1-az1`) are used when every subnet is placed by ID: they name the same
 * physical zone in every account, where zone names do not
 * (https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html); otherwise zone
 * names, when every subnet has one.
 */
export function subnetZones(
  plan: PlanView,
  subnetIds: unknown,
  fields: readonly ZoneField[] = ZONE_FIELDS,
): { zones: string[] } | { unknown: string } {
  if (!Array.isArray(subnetIds) || isUnknown(subnetIds))
    return { unknown: "subnets computed at deploy time" };
  const subnets: PlannedResource[] = [];
  for (const id of subnetIds) {
    const subnet = plan.resolve(id);
    if (!subnet) return { unknown: `subnet ${String(id)} is not planned here` };
    subnets.push(subnet);
  }
  for (const field of fields) {
    const zones = subnets.map((s) => s.inputs[field]);
    if (zones.every((z) => typeof z === "string" && !isUnknown(z))) return { zones: zones as string[] };
  }
  return { unknown: "zones of the subnets computed at deploy time" };
}

function publicCidrFindings(r: PlannedResource): Finding[] {
  const publicCidrs = input(r, "vpcConfig.publicAccessCidrs");
  if (isUnknown(publicCidrs)) return [cidrs.unknown(r, "vpcConfig.publicAccessCidrs")];
  if (Array.isArray(publicCidrs) && publicCidrs.length > MAX_PUBLIC_ACCESS_CIDRS) {
    return [
      cidrs.violation(
        r,
        "vpcConfig.publicAccessCidrs",
        `has ${publicCidrs.length} blocks; EKS takes at most ${MAX_PUBLIC_ACCESS_CIDRS}`,
      ),
    ];
  }
  return [];
}

function subnetZoneFindings(plan: PlanView, r: PlannedResource): Finding[] {
  const found = subnetZones(plan, input(r, "vpcConfig.subnetIds"));
  if ("unknown" in found) return [zones.skip(r, "vpcConfig.subnetIds", found.unknown)];
  const distinct = [...new Set(found.zones)];
  if (distinct.length < 2) {
    return [
      zones.violation(
        r,
        "vpcConfig.subnetIds",
        `spans ${distinct.length} zone (${distinct.join(", ")}); EKS needs subnets in at least two`,
      ),
    ];
  }
  return [];
}

function nodeGroupFindings(r: PlannedResource): Finding[] {
  const scaling = r.inputs.scalingConfig as
    { minSize?: unknown; desiredSize?: unknown; maxSize?: unknown } | undefined;
  if (scaling === undefined) return [];
  if (isUnknown(scaling)) return [sizes.unknown(r, "scalingConfig")];
  const min = Number(scaling.minSize);
  const desired = Number(scaling.desiredSize);
  const max = Number(scaling.maxSize);
  const ok = min >= 0 && max >= 1 && min <= desired && desired <= max;
  return ok
    ? []
    : [
        sizes.violation(
          r,
          "scalingConfig",
          `min ${min}, desired ${desired}, max ${max}; EKS needs 0 <= min <= desired <= max and max >= 1`,
        ),
      ];
}

export const eksPublicCidrs: Rule = {
  id: "eks-public-cidrs",
  title: `EKS public access CIDRs: at most ${MAX_PUBLIC_ACCESS_CIDRS}`,
  check: (plan) => plan.ofType(TYPES.eksCluster).flatMap(publicCidrFindings),
};

export const eksSubnetZones: Rule = {
  id: "eks-subnet-zones",
  title: "EKS cluster subnets in at least two zones",
  check: (plan) => plan.ofType(TYPES.eksCluster).flatMap((r) => subnetZoneFindings(plan, r)),
};

export const eksNodeGroupSizes: Rule = {
  id: "eks-node-group-size",
  title: "EKS node group sizes: min <= desired <= max, max >= 1",
  check: (plan) => plan.ofType(TYPES.nodeGroup).flatMap(nodeGroupFindings),
};

export const eksAddonOnce: Rule = {
  id: "eks-addon-once",
  title: "EKS add-ons: each name at most once a cluster",
  check(plan) {
    const out: Finding[] = [];
    const first = new Map<string, PlannedResource>();
    for (const r of plan.ofType(TYPES.addon)) {
      const { clusterName, addonName } = r.inputs;
      if (isUnknown(clusterName) || isUnknown(addonName)) {
        out.push(addons.unknown(r, "clusterName, addonName"));
        continue;
      }
      const key = `${String(clusterName)}/${String(addonName)}`;
      const earlier = first.get(key);
      if (!earlier) first.set(key, r);
      else
        out.push(
          addons.violation(
            r,
            "addonName",
            `${String(addonName)} again on cluster ${String(clusterName)} (already ${earlier.name}); EKS takes each add-on once a cluster`,
          ),
        );
    }
    return out;
  },
};
