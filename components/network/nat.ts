/** NAT strategy of a network, and what it means in gateways. Pure. */

/** NAT gateways of a network: none, one shared by all zones, or one per zone. */
export const NatStrategy = { none: "none", single: "single", perAz: "perAz" } as const;
export type NatStrategy = (typeof NatStrategy)[keyof typeof NatStrategy];

/** Number of NAT gateways a strategy creates for `azCount` zones. */
export function natGatewayCount(strategy: NatStrategy, azCount: number): number {
  switch (strategy) {
    case "none":
      return 0;
    case "single":
      return 1;
    case "perAz":
      return azCount;
  }
}
