import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { agentZoneIds, chooseZoneIds, RegionZones } from "./zones";

/** How many zones a network takes, or which. */
export interface NetworkZones {
  readonly count: number;
  readonly zoneIds?: readonly string[];
}

/** Arguments of {@link lookupStackZones}. */
export interface StackZonesArgs {
  /** The master network: its zones are the endpoint service's load balancer's zones. */
  readonly master: NetworkZones;
  /** The agent network: among the master's zones (config validation refuses others). */
  readonly agent: NetworkZones;
  /** Instance types of the cluster's nodes; every zone must offer each. */
  readonly instanceTypes: readonly string[];
}

/**
 * The zone IDs of both networks, from the region's zones (standard zones only: opt-in Local and
 * Wavelength Zones are left out, and no `state` filter, so an impaired zone never shifts the list)
 * and the node instance types' offerings by zone ID, chosen by {@link chooseZoneIds}. A region
 * that cannot hold the stack fails the deployment with the reason before any subnet is created.
 */
export function lookupStackZones(
  args: StackZonesArgs,
  opts: pulumi.InvokeOptions = {},
): { master: pulumi.Output<string>[]; agent: pulumi.Output<string>[] } {
  const zones = aws.getAvailabilityZonesOutput(
    { filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
    opts,
  );
  const offerings = aws.ec2.getInstanceTypeOfferingsOutput(
    {
      locationType: "availability-zone-id",
      filters: [{ name: "instance-type", values: [...args.instanceTypes] }],
    },
    opts,
  );
  const chosen = pulumi.all([zones.zoneIds, offerings]).apply(([zoneIds, found]) => {
    const byType: Record<string, string[]> = {};
    found.instanceTypes.forEach((type, i) => (byType[type] = [...(byType[type] ?? []), found.locations[i]]));
    const region: RegionZones = { zoneIds, offerings: byType };
    const choice = chooseZoneIds(region, {
      instanceTypes: args.instanceTypes,
      count: args.master.count,
      zoneIds: args.master.zoneIds,
    });
    if (!choice.ok) {
      // RunError: Pulumi prints the message alone, without a stack trace.
      throw new pulumi.RunError(`jenkins-agent-bridge:masterNetwork: ${choice.problem}`);
    }
    const agent = agentZoneIds(choice.zoneIds, args.agent.count, args.agent.zoneIds);
    return { master: choice.zoneIds, agent };
  });
  return {
    master: Array.from({ length: args.master.count }, (_, i) => chosen.apply((c) => c.master[i])),
    agent: Array.from({ length: args.agent.count }, (_, i) => chosen.apply((c) => c.agent[i])),
  };
}
