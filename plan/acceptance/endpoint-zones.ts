/**
 * An interface endpoint to an endpoint service can only use zones where the service's load
 * balancer has a subnet: CreateVpcEndpoint fails for a subnet in any other zone ("The VPC
 * endpoint service ... does not support the availability zone of the subnet")
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/create-endpoint-service.html, "Availability
 * Zones": "the service is available in the Availability Zones of its load balancers";
 * https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html). Zones are
 * compared by name here; across accounts AWS maps names to physical zones differently, which
 * only the zone IDs settle (the preflight's part).
 */
import { subnetZones } from "./eks";
import { Finding, findings, isUnknown, PlanView, Rule } from "./rule";

const { violation, skip } = findings("endpoint-zones");

export const endpointZones: Rule = {
  id: "endpoint-zones",
  title: "interface endpoint zones served by the endpoint service's load balancer",
  check(plan: PlanView): Finding[] {
    const out: Finding[] = [];
    const services = plan.ofType("aws:ec2/vpcEndpointService:VpcEndpointService");
    for (const endpoint of plan.ofType("aws:ec2/vpcEndpoint:VpcEndpoint")) {
      if (endpoint.inputs.vpcEndpointType !== "Interface") continue;
      const serviceName = endpoint.inputs.serviceName;
      if (isUnknown(serviceName)) {
        out.push(skip(endpoint, "serviceName", "computed at deploy time"));
        continue;
      }
      const service = services.find((s) => s.state?.serviceName === serviceName);
      if (!service) continue; // an AWS service or one outside this stack: nothing to compare
      const lbArns = service.inputs.networkLoadBalancerArns;
      if (!Array.isArray(lbArns) || isUnknown(lbArns)) {
        out.push(skip(endpoint, "subnetIds", `load balancers of ${service.name} computed at deploy time`));
        continue;
      }
      const served = new Set<string>();
      let unknown: string | undefined;
      for (const arn of lbArns) {
        const lb = plan.resolve(arn);
        const found = lb
          ? subnetZones(
              plan,
              lb.inputs.subnets ??
                (lb.inputs.subnetMappings as { subnetId: string }[] | undefined)?.map((m) => m.subnetId),
            )
          : { unknown: `load balancer ${String(arn)} is not planned here` };
        if ("unknown" in found) unknown = found.unknown;
        else found.zones.forEach((z) => served.add(z));
      }
      const wanted = subnetZones(plan, endpoint.inputs.subnetIds);
      if (unknown || "unknown" in wanted) {
        out.push(skip(endpoint, "subnetIds", unknown ?? (wanted as { unknown: string }).unknown));
        continue;
      }
      const missing = [...new Set(wanted.zones.filter((z) => !served.has(z)))];
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
