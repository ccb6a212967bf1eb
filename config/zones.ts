/**
 * Checks of the networks' zone settings that span keys: zone IDs of the stack's region, distinct,
 * usable by EKS, and agent zones the endpoint service can serve.
 */
import { EKS_UNSUPPORTED_ZONE_IDS, zoneIdPrefix } from "../components/network/zones";
import type { CheckContext } from "./cross-checks";
import { configKey } from "./keys";
import { Problems } from "./schema";
import type { StackConfig } from "./stack-schema";

const NETWORKS = ["masterNetwork", "agentNetwork"] as const;

/** How many zones a network has: its explicit IDs, or `azCount`. */
export function zoneCount(network: StackConfig["masterNetwork"]): number {
  return network.availabilityZoneIds?.length ?? network.azCount;
}

/**
 * Records the zone problems of both networks (`context.given` tells an `azCount` the stack sets
 * from the default):
 * - `availabilityZoneIds` and `azCount` are exclusive;
 * - IDs are distinct and of the stack's region (`use1-` for us-east-1);
 * - no ID where EKS cannot place a control plane (EKS user guide, subnet requirements:
 *   https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-subnets);
 * - the agent network's zones are among the master network's: an interface endpoint can only use
 *   zones where the endpoint service's load balancer has a subnet (AWS PrivateLink guide, "Create
 *   an endpoint service": https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html).
 */
export function checkZones(config: StackConfig, problems: Problems, context: CheckContext): void {
  const prefix = zoneIdPrefix(config.region);
  for (const name of NETWORKS) {
    const ids = config[name].availabilityZoneIds;
    const key = configKey(`${name}.availabilityZoneIds`);
    if (!ids || problems.has(key)) continue;
    const given = (context.given[name] ?? {}) as Record<string, unknown>;
    const foreign = prefix ? ids.filter((id) => !id.startsWith(`${prefix}-`)) : [];
    const unsupported = ids.filter((id) => EKS_UNSUPPORTED_ZONE_IDS.includes(id));
    if (given.azCount !== undefined) {
      problems.invalid(key, ids, `either ${name}.azCount or ${name}.availabilityZoneIds, not both`);
    } else if (foreign.length > 0) {
      problems.invalid(
        key,
        ids,
        `zone IDs of aws:region ${config.region} (${prefix}-az1, ${prefix}-az2, ...)`,
      );
    } else if (new Set(ids).size !== ids.length) {
      problems.invalid(key, ids, "distinct zone IDs");
    } else if (unsupported.length > 0) {
      problems.invalid(
        key,
        ids,
        `zone IDs where EKS can place a control plane (not ${unsupported.join(", ")}; the agent network takes its zones from the master network's)`,
      );
    }
  }
  if (problems.has(configKey("masterNetwork")) || problems.has(configKey("agentNetwork"))) return;
  const master = config.masterNetwork;
  const agent = config.agentNetwork;
  const why =
    "the agents' interface endpoint only uses zones where the endpoint service's load balancer, in the master network, has a subnet";
  if (agent.availabilityZoneIds) {
    const outside = master.availabilityZoneIds
      ? agent.availabilityZoneIds.filter((id) => !master.availabilityZoneIds!.includes(id))
      : agent.availabilityZoneIds;
    if (outside.length > 0) {
      problems.invalid(
        configKey("agentNetwork.availabilityZoneIds"),
        agent.availabilityZoneIds,
        master.availabilityZoneIds
          ? `zone IDs among masterNetwork.availabilityZoneIds ${JSON.stringify(master.availabilityZoneIds)}: ${why}`
          : `no agentNetwork.availabilityZoneIds unless masterNetwork.availabilityZoneIds lists them too (or agentNetwork.azCount, which takes the master network's first zones): ${why}`,
      );
    }
  } else if (agent.azCount > zoneCount(master)) {
    problems.invalid(
      configKey("agentNetwork.azCount"),
      agent.azCount,
      `at most the master network's ${zoneCount(master)} zones: ${why}`,
    );
  }
}
