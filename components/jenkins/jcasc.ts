/**
 * Jenkins configuration as code (JCasC), rendered from typed inputs. Pure.
 *
 * Emits only keys that JCasC accepts with its default settings: it refuses unknown, deprecated and
 * restricted keys, and Jenkins then fails to start. `agentProtocols` is deliberately absent
 * (deprecated since Jenkins 2.483). Secrets never appear: the admin password is the placeholder
 * `${JENKINS_ADMIN_PASSWORD}`, which JCasC resolves from the container's environment, where ECS
 * puts it from Secrets Manager.
 */
import { stringify } from "yaml";

/** Environment variable that carries the admin password into the controller container. */
export const ADMIN_PASSWORD_VARIABLE = "JENKINS_ADMIN_PASSWORD";

/** The inbound TCP agent port in `tcp` mode (fixed, never random). */
export const TCP_AGENT_PORT = 50000;

/** Inputs of {@link renderJcasc}. */
export interface JcascInputs {
  /** `websocket`: the TCP agent port is disabled (-1). `tcp`: it is fixed at 50000. */
  readonly transport: "websocket" | "tcp";
  /** ID of the local admin user. */
  readonly adminUser: string;
  /** The UI's URL (`unclassified.location.url`); a trailing slash is added if missing. */
  readonly url: string;
  /** Shown on the dashboard; says where the configuration comes from. */
  readonly systemMessage: string;
}

/** The TCP agent port for a transport: -1 (disabled) for websocket, 50000 for tcp. */
export function agentPort(transport: JcascInputs["transport"]): number {
  return transport === "tcp" ? TCP_AGENT_PORT : -1;
}

/** The JCasC document as data. */
export function jcascDocument(inputs: JcascInputs): Record<string, unknown> {
  return {
    jenkins: {
      systemMessage: inputs.systemMessage,
      // Builds run on agents only; the controller executes nothing.
      numExecutors: 0,
      mode: "EXCLUSIVE",
      slaveAgentPort: agentPort(inputs.transport),
      securityRealm: {
        local: {
          allowsSignup: false,
          users: [{ id: inputs.adminUser, password: `\${${ADMIN_PASSWORD_VARIABLE}}` }],
        },
      },
      authorizationStrategy: {
        loggedInUsersCanDoAnything: { allowAnonymousRead: false },
      },
    },
    unclassified: {
      location: { url: inputs.url.endsWith("/") ? inputs.url : `${inputs.url}/` },
    },
  };
}

/** The JCasC file (`jenkins.yaml`) as text. */
export function renderJcasc(inputs: JcascInputs): string {
  return stringify(jcascDocument(inputs), { lineWidth: 0 });
}
