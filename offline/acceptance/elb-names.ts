/**
 * ELBv2 load balancer and target group names: at most 32 characters, only letters, digits and
 * hyphens, not beginning or ending with a hyphen; a load balancer's must not begin with
 * `internal-` (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html).
 * Without a `name`, Pulumi names the resource `<logical name>-<7 characters>`; that name is checked.
 */
import { describeName, Finding, plannedName, resourceRule } from "./rule";
import { TYPES } from "../../policy/lib/types";

export const ELB_NAME_MAX = 32;
const LOAD_BALANCER = TYPES.loadBalancer;
const TARGET_GROUP = TYPES.targetGroup;

export const elbNames = resourceRule(
  "elb-name",
  "load balancer and target group names: 32 letters, digits or hyphens",
  [LOAD_BALANCER, TARGET_GROUP],
  (r, { violation, unknown }) => {
    const name = plannedName(r);
    if (name.from === "unknown") return [unknown(r, name.path)];
    const out: Finding[] = [];
    const shown = describeName(name);
    const text = name.text;
    if (name.length > ELB_NAME_MAX) {
      out.push(violation(r, name.path, `${shown} is longer than ${ELB_NAME_MAX} characters`));
    }
    if (!/^[a-zA-Z0-9-]*$/.test(text)) {
      out.push(violation(r, name.path, `${shown} has characters other than letters, digits and hyphens`));
    }
    if (text.startsWith("-") || (name.from === "name" && text.endsWith("-"))) {
      out.push(violation(r, name.path, `${shown} begins or ends with a hyphen`));
    }
    if (r.type === LOAD_BALANCER && text.toLowerCase().startsWith("internal-")) {
      out.push(violation(r, name.path, `${shown} begins with internal-, which load balancer names may not`));
    }
    return out;
  },
);
