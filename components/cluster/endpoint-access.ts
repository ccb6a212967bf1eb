/**
 * Which nodes' security group the gateway endpoint admits. In websocket mode agents reach the
 * controller only through the in-cluster proxy, which runs on the system nodes: the endpoint admits
 * the system nodes' group and nothing else, so a build pod (on an agent node) cannot reach the
 * controller's UI or API through the endpoint whatever its pod spec says. In tcp mode agents connect
 * to the endpoint themselves: it admits the agent nodes' group.
 */
import type { Transport } from "../shared/jenkins";

/** The security group the endpoint admits for `transport`. */
export function endpointClientGroup<T>(
  transport: Transport,
  groups: { readonly systemNodeSecurityGroupId: T; readonly agentNodeSecurityGroupId: T },
): T {
  return transport === "websocket" ? groups.systemNodeSecurityGroupId : groups.agentNodeSecurityGroupId;
}
