/**
 * What the agent gateway exposes for a transport: listeners, target groups and ports. Pure.
 *
 * - websocket: one TLS 443 listener (TLS ends at the NLB with the gateway's certificate) to
 *   Jenkins' HTTP port; port 50000 exists nowhere.
 * - tcp: TCP 8080 (HTTP, agent discovery) and TCP 50000 (JNLP4, which has its own TLS) to the
 *   controller; TLS 443 only when asked for.
 */

import { JENKINS_AGENT_PORT, JENKINS_HTTP_PORT, Transport } from "../shared/jenkins";

/** The gateway's TLS port. */
export const TLS_PORT = 443;

/** A target group: a controller port and how its health is checked. */
export interface GatewayTarget {
  readonly port: typeof JENKINS_HTTP_PORT | typeof JENKINS_AGENT_PORT;
  /** Health checks go to Jenkins' HTTP port: probing 50000 would log a failed agent connection each time. */
  readonly healthCheck: {
    readonly protocol: "HTTP";
    readonly port: typeof JENKINS_HTTP_PORT;
    readonly path: "/login";
  };
}

/** A listener: a port agents connect to, and the controller port it forwards to. */
export interface GatewayListener {
  readonly port: number;
  readonly protocol: "TLS" | "TCP";
  readonly targetPort: typeof JENKINS_HTTP_PORT | typeof JENKINS_AGENT_PORT;
}

/** The gateway's exposure for one transport. */
export interface GatewayPlan {
  /** How agents connect. */
  readonly transport: Transport;
  readonly listeners: readonly GatewayListener[];
  readonly targets: readonly GatewayTarget[];
  /** Ports the agent-side endpoint admits (the listener ports). */
  readonly endpointPorts: readonly number[];
  /** Whether a TLS listener exists (and so the certificate). */
  readonly tls: boolean;
}

const HEALTH = { protocol: "HTTP", port: JENKINS_HTTP_PORT, path: "/login" } as const;
const HTTP_TARGET: GatewayTarget = { port: JENKINS_HTTP_PORT, healthCheck: HEALTH };
const JNLP_TARGET: GatewayTarget = { port: JENKINS_AGENT_PORT, healthCheck: HEALTH };
const TLS_LISTENER: GatewayListener = { port: TLS_PORT, protocol: "TLS", targetPort: JENKINS_HTTP_PORT };

/** Plans the gateway for a transport; `tcpTlsListener` adds TLS 443 in tcp mode. */
export function planGateway(transport: Transport, tcpTlsListener = false): GatewayPlan {
  const listeners: GatewayListener[] =
    transport === "websocket"
      ? [TLS_LISTENER]
      : [
          { port: JENKINS_HTTP_PORT, protocol: "TCP", targetPort: JENKINS_HTTP_PORT },
          { port: JENKINS_AGENT_PORT, protocol: "TCP", targetPort: JENKINS_AGENT_PORT },
          ...(tcpTlsListener ? [TLS_LISTENER] : []),
        ];
  return {
    transport,
    listeners,
    targets: transport === "websocket" ? [HTTP_TARGET] : [HTTP_TARGET, JNLP_TARGET],
    endpointPorts: listeners.map((l) => l.port),
    tls: listeners.some((l) => l.protocol === "TLS"),
  };
}

/** The controller's private name for agents: `<hostName>.<privateZoneName>`. */
export function controllerPrivateName(hostName: string, privateZoneName: string): string {
  return `${hostName}.${privateZoneName}`;
}

/** The URL agents use to reach the controller through the endpoint, and the JNLP tunnel (tcp only). */
export function agentEndpoints(
  transport: Transport,
  privateName: string,
): { readonly url: string; readonly tunnel?: string } {
  return transport === "websocket"
    ? { url: `https://${privateName}/` }
    : { url: `http://${privateName}:${JENKINS_HTTP_PORT}/`, tunnel: `${privateName}:${JENKINS_AGENT_PORT}` };
}

/** Certificate lifetimes. The CA outlives many server certificates; both renew early on `pulumi up`. */
export const CA_VALIDITY_HOURS = 10 * 365 * 24;
/** Renew a certificate this many hours before it expires (on the next `pulumi up`). */
export const EARLY_RENEWAL_HOURS = 30 * 24;
