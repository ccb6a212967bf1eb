/**
 * An interface endpoint to an endpoint service can only use zones where the service's load
 * balancer has a subnet: CreateVpcEndpoint fails for a subnet in any other zone ("The VPC
 * endpoint service ... does not support the availability zone of the subnet")
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html, "Availability
 * Zones": "the service is available in the Availability Zones of its load balancers";
 * https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html). Zones are
 * compared by zone ID when every subnet on both sides is placed by ID (IDs name the same physical
 * zone in every account), else by zone name, which is only exact within one account.
 */
import { subnetZones, ZONE_FIELDS, ZoneField } from "./eks";
import { Finding, findings, isUnknown, PlanView, Rule } from "./rule";
import { TYPES } from "../../policy/lib/types";

const { violation, skip, unknown } = findings("endpoint-zones");

type Compared = { served: Set<string>; wanted: string[] };

/** The zones the load balancers serve and the zones the endpoint asks for, both read from `field`. */
function compareZones(
  plan: PlanView,
  lbArns: unknown[],
  endpointSubnets: unknown,
  field: ZoneField,
): Compared | { unknown: string } {
  const served = new Set<string>();
  for (const arn of lbArns) {
    const lb = plan.resolve(arn);
    if (!lb) return { unknown: `load balancer ${String(arn)} is not planned here` };
    const found = subnetZones(plan, lb.inputs.subnets, [field]);
    if ("unknown" in found) return found;
    found.zones.forEach((z) => served.add(z));
  }
  const wanted = subnetZones(plan, endpointSubnets, [field]);
  return "unknown" in wanted ? wanted : { served, wanted: wanted.zones };
}

export const endpointZones: Rule = {
  id: "endpoint-zones",
  title: "interface endpoint zones served by the endpoint service's load balancer",
  check(plan: PlanView): Finding[] {
    const out: Finding[] = [];
    const services = plan.ofType(TYPES.endpointService);
    for (const endpoint of plan.ofType(TYPES.endpoint)) {
      if (endpoint.inputs.vpcEndpointType !== "Interface") continue;
      const serviceName = endpoint.inputs.serviceName;
      if (isUnknown(serviceName)) {
        out.push(unknown(endpoint, "serviceName"));
        continue;
      }
      const service = services.find((s) => s.state?.serviceName === serviceName);
      if (!service) continue; // an AWS service or one outside this stack: nothing to compare
      const lbArns = service.inputs.networkLoadBalancerArns;
      if (!Array.isArray(lbArns) || isUnknown(lbArns)) {
        out.push(skip(endpoint, "subnetIds", `load balancers of ${service.name} computed at deploy time`));
        continue;
      }
      // Both sides by zone ID when every subnet has one, else both by zone name.
      const tries = ZONE_FIELDS.map((field) => compareZones(plan, lbArns, endpoint.inputs.subnetIds, field));
      const compared = tries.find((t): t is Compared => !("unknown" in t));
      if (!compared) {
        out.push(skip(endpoint, "subnetIds", (tries[tries.length - 1] as { unknown: string }).unknown));
        continue;
      }
      const { served, wanted } = compared;
      const missing = [...new Set(wanted.filter((z) => !served.has(z)))];
      if (missing.length > 0) {
        out.push(
          violation(
            endpoint,
            "subnetIds",
            `has subnets in ${missing.join(", ")}, where the load balancer of ${service.name} has none (it serves ${[...served].sort().join(", ")})`,
          ),
        );
      }
    }
    return out;
  },
};
