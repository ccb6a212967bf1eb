/**
 * How agents reach the Jenkins controller, and the controller's two ports. Every component, the
 * configuration schema and the plan read these from here.
 */

/** How agents reach the controller: WebSocket through the in-cluster proxy, or classic inbound TCP. */
export const Transport = { websocket: "websocket", tcp: "tcp" } as const;
export type Transport = (typeof Transport)[keyof typeof Transport];

/** Jenkins' HTTP port: UI, API, agent discovery and WebSocket agents. */
export const JENKINS_HTTP_PORT = 8080;
/** The inbound TCP agent port (JNLP4) in `tcp` mode: fixed, never random; closed in `websocket` mode. */
export const JENKINS_AGENT_PORT = 50000;
