/**
 * Where Pulumi runs from, so that it reaches the agent cluster's API. Pulumi creates the cluster's
 * Kubernetes objects itself; a stack whose API nothing running Pulumi can reach creates most AWS
 * resources and then times out. The decision is explicit in every stack and checked here.
 */
import { natGatewayCount } from "../components/network/nat";
import { configKey } from "./keys";
import { Problems } from "./schema";
import type { StackConfig } from "./stack-schema";
import { zoneCount } from "./zones";

/** Where Pulumi runs from: given networks, or inside the master VPC. */
export const API_ACCESS_FROM = ["cidrs", "masterVpc"] as const;

/**
 * EKS accepts at most 40 public access CIDR blocks (EKS API reference, VpcConfigRequest
 * publicAccessCidrs; EKS user guide, cluster endpoint access:
 * https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html).
 */
export const MAX_PUBLIC_ACCESS_CIDRS = 40;

/** The blocks allowed on the public endpoint besides the master network's NAT addresses. */
export function apiAccessCidrs(config: StackConfig): string[] {
  return config.agentCluster.apiAccess.from === "cidrs" ? [...config.agentCluster.apiAccess.cidrs] : [];
}

/**
 * Records problems with `agentCluster.apiAccess`: `from` is required; `cidrs` needs at least one
 * block and only goes with `from: cidrs`; the blocks and the master network's NAT addresses
 * together stay within what EKS accepts.
 */
export function checkApiAccess(config: StackConfig, problems: Problems): void {
  const path = "agentCluster.apiAccess";
  const key = configKey(path);
  if (problems.has(key)) return;
  const { from, cidrs } = config.agentCluster.apiAccess;
  if (from === undefined) {
    problems.add(
      `${key}.from`,
      `got nothing; expected where pulumi up runs from: cidrs (with ${path}.cidrs naming the public blocks of the machines that run it) or masterVpc (a runner inside the master VPC, through its NAT addresses); without it nothing that runs Pulumi can reach the cluster's API`,
    );
    return;
  }
  if (from === "cidrs" && cidrs.length === 0) {
    problems.invalid(
      `${key}.cidrs`,
      cidrs,
      "at least one public block that pulumi up runs from, with apiAccess.from cidrs (or apiAccess.from masterVpc for a runner inside the master VPC)",
    );
  }
  if (from === "masterVpc" && cidrs.length > 0) {
    problems.invalid(
      `${key}.cidrs`,
      cidrs,
      `no blocks with apiAccess.from masterVpc (or apiAccess.from cidrs)`,
    );
  }
  const nat = natGatewayCount(config.masterNetwork.natStrategy, zoneCount(config.masterNetwork));
  if (from === "cidrs" && cidrs.length + nat > MAX_PUBLIC_ACCESS_CIDRS) {
    problems.invalid(
      `${key}.cidrs`,
      cidrs,
      `at most ${MAX_PUBLIC_ACCESS_CIDRS - nat} blocks: EKS takes ${MAX_PUBLIC_ACCESS_CIDRS} public access blocks, ${nat} of them the master network's NAT addresses`,
    );
  }
}
