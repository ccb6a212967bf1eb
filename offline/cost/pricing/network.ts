/** Pricing of the network: NAT gateways, load balancers, public IPv4 addresses, interface endpoints. */
import { plural } from "../lines";
import { T } from "../resource-types";
import { addAssumed, addHourly, list, Pricing, str } from "./context";

/** NAT gateways: hours and data processed. */
export function priceNatGateways(c: Pricing): void {
  const { p } = c;
  const nats = c.ofType(T.nat);
  if (nats.length > 0) {
    addHourly(c, "NAT gateway", p.natGatewayHour, nats.length, `${nats.length} × ${T.nat}`, T.nat);
    addAssumed(c, {
      item: "NAT gateway data processed",
      price: p.natGatewayGb,
      count: nats.length,
      key: "natGbPerGateway",
      of: `${plural(nats.length, "gateway")} × `,
      unit: "GB",
      resourceType: T.nat,
    });
  }
}

/**
 * Load balancers by type, and public IPv4 addresses: the elastic IPs (the NAT gateways') and one per
 * subnet of each internet-facing load balancer.
 */
export function priceLoadBalancers(c: Pricing): void {
  const { p, hours: H, lines, use, refuse, ofType } = c;
  const balancers = ofType(T.loadBalancer);
  let publicLbAddresses = 0;
  const lbKinds = [
    {
      kind: "network",
      item: "Network Load Balancer",
      hour: p.nlbHour,
      lcu: p.nlbNlcuHour,
      key: "nlbNlcuPerHour",
    },
    {
      kind: "application",
      item: "Application Load Balancer",
      hour: p.albHour,
      lcu: p.albLcuHour,
      key: "albLcuPerHour",
    },
  ] as const;
  const kindOf = (lb: (typeof balancers)[number]) => str(lb.inputs.loadBalancerType) ?? "application";
  for (const lb of balancers) {
    const kind = kindOf(lb);
    if (!lbKinds.some((k) => k.kind === kind)) {
      refuse(lb, `no price for ${kind} load balancers in the table`);
    } else if (lb.inputs.internal !== true) {
      publicLbAddresses += Math.max(list(lb.inputs.subnets).length, list(lb.inputs.subnetMappings).length);
    }
  }
  for (const { kind, item, hour, lcu, key } of lbKinds) {
    const ofKind = balancers.filter((lb) => kindOf(lb) === kind);
    const count = ofKind.length;
    if (count === 0) continue;
    const internal = ofKind.filter((lb) => lb.inputs.internal === true).length;
    addHourly(
      c,
      item,
      hour,
      count,
      `${count} × ${T.loadBalancer} (${kind}; ${internal} internal, ${count - internal} internet-facing)`,
      T.loadBalancer,
    );
    const units = use(key);
    lines.add(
      `${item} capacity units`,
      lcu,
      count * units * H,
      `${count} × ${units} (${key}) × ${H} h`,
      T.loadBalancer,
    );
  }

  const eips = ofType(T.eip).length;
  if (eips + publicLbAddresses > 0) {
    const parts = [`${eips} × ${T.eip}`];
    if (publicLbAddresses > 0)
      parts.push(`${publicLbAddresses} internet-facing load balancer addresses (one per subnet)`);
    addHourly(
      c,
      "Public IPv4 address",
      p.publicIpv4Hour,
      eips + publicLbAddresses,
      parts.join(" + "),
      eips > 0 ? T.eip : T.loadBalancer,
    );
  }
}

/** Interface endpoints: one hourly charge per endpoint and zone (subnet), plus data processed. */
export function priceEndpoints(c: Pricing): void {
  const { p, refuse, ofType } = c;
  let endpointZones = 0;
  let interfaceEndpoints = 0;
  for (const ep of ofType(T.endpoint)) {
    const type = str(ep.inputs.vpcEndpointType) ?? "Gateway";
    if (type === "Gateway") continue;
    if (type !== "Interface") {
      refuse(ep, `no price for ${type} endpoints in the table`);
      continue;
    }
    interfaceEndpoints += 1;
    endpointZones += list(ep.inputs.subnetIds).length;
  }
  if (interfaceEndpoints > 0) {
    addHourly(
      c,
      "Interface endpoint zone",
      p.interfaceEndpointAzHour,
      endpointZones,
      `${plural(interfaceEndpoints, "interface endpoint")} in ${plural(endpointZones, "subnet")}`,
      T.endpoint,
    );
    addAssumed(c, {
      item: "Interface endpoint data processed",
      price: p.interfaceEndpointGb,
      count: interfaceEndpoints,
      key: "endpointGbPerEndpoint",
      of: `${plural(interfaceEndpoints, "endpoint")} × `,
      unit: "GB",
      resourceType: T.endpoint,
    });
  }
}
