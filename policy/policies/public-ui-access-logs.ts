/**
 * public-ui-access-logs: an internet-facing application load balancer keeps access logs
 * (`accessLogs.enabled` true and a bucket): who reached a public Jenkins UI, from where and with
 * what answer, is on record. Internal load balancers are left alone.
 */
import {
  asList,
  asObject,
  isPublicAlb,
  isUnknown,
  mandatoryResourcePolicy,
  Resource,
  Violation,
  violation,
} from "../lib/resources";
import { LOAD_BALANCER_TYPES } from "../lib/types";

/** The violations of one resource. */
export function checkPublicUiAccessLogs(resource: Resource): Violation[] {
  if (!LOAD_BALANCER_TYPES.includes(resource.type)) return [];
  if (!isPublicAlb(resource)) return [];
  const p = resource.props;
  const logs = asObject(asList(p.accessLogs)[0]);
  if (logs?.enabled === true && typeof logs.bucket === "string" && logs.bucket !== "") return [];
  if (isUnknown(logs?.bucket) || isUnknown(logs?.enabled)) return [];
  return [
    violation(
      resource,
      "an internet-facing application load balancer without access logs; set accessLogs with a bucket and enabled true",
    ),
  ];
}

export const publicUiAccessLogs = mandatoryResourcePolicy(
  "public-ui-access-logs",
  "An internet-facing application load balancer (the public Jenkins UI) writes access logs to S3.",
  checkPublicUiAccessLogs,
);
