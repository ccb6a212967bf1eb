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
import { JENKINS_AGENT_PORT, Transport } from "../shared/jenkins";
import { AGENT_UID, AgentPodSettings, cloudPodSettings, podTemplateDocument } from "./agent-pod";
import { jobsDocument } from "./pipeline-job";

export { AGENT_UID };

/** Environment variable that carries the admin password into the controller container. */
export const ADMIN_PASSWORD_VARIABLE = "JENKINS_ADMIN_PASSWORD";

/** Environment variable that carries the agent cluster's token into the controller container. */
export const CLUSTER_TOKEN_VARIABLE = "KUBERNETES_TOKEN";
/** ID of the credential holding that token. */
export const CLUSTER_CREDENTIALS_ID = "agent-cluster-token";

/** The Kubernetes cloud that runs agents. */
export interface KubernetesCloud {
  /** API server URL of the agent cluster. */
  readonly serverUrl: string;
  /** The cluster's CA, PEM. */
  readonly serverCertificate: string;
  /** Namespace of agent pods. */
  readonly namespace: string;
  /** The controller URL agents use (websocket: the proxy; tcp: the private name on 8080). */
  readonly jenkinsUrl: string;
  /** tcp only: the JNLP tunnel, `<private name>:50000`. */
  readonly tunnel?: string;
  /** Inbound agent image of the pod template. */
  readonly agentImage: string;
  /** Service account of agent pods. */
  readonly serviceAccount: string;
  /** Most agent pods at once. */
  readonly containerCap: number;
  /** The agent pods' containers, deadline and orphan collection. */
  readonly pod: AgentPodSettings;
}

/** Inputs of {@link renderJcasc}. */
export interface JcascInputs {
  /** `websocket`: the TCP agent port is disabled (-1). `tcp`: it is fixed at 50000. */
  readonly transport: Transport;
  /** ID of the local admin user. */
  readonly adminUser: string;
  /** The UI's URL (`unclassified.location.url`); a trailing slash is added if missing. */
  readonly url: string;
  /** Shown on the dashboard; says where the configuration comes from. */
  readonly systemMessage: string;
  /** The Kubernetes cloud of agents, if any. */
  readonly cloud?: KubernetesCloud;
}

const withSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);

/**
 * The cloud's JCasC: WebSocket agents get `webSocket: true` and neither `jenkinsTunnel` nor
 * `directConnection`; TCP agents get `webSocket: false` and the tunnel. Agent pods run with the
 * plugin's restricted security context; their template is rendered in agent-pod.ts.
 */
function cloudDocument(transport: Transport, cloud: KubernetesCloud): Record<string, unknown> {
  return {
    kubernetes: {
      name: "agents",
      serverUrl: cloud.serverUrl,
      serverCertificate: cloud.serverCertificate,
      credentialsId: CLUSTER_CREDENTIALS_ID,
      namespace: cloud.namespace,
      jenkinsUrl: withSlash(cloud.jenkinsUrl),
      webSocket: transport === "websocket",
      ...(transport === "tcp" && cloud.tunnel ? { jenkinsTunnel: cloud.tunnel } : {}),
      restrictedPssSecurityContext: true,
      containerCapStr: String(cloud.containerCap),
      ...cloudPodSettings(cloud.pod),
      templates: [
        podTemplateDocument({
          namespace: cloud.namespace,
          serviceAccount: cloud.serviceAccount,
          agentImage: cloud.agentImage,
          settings: cloud.pod,
        }),
      ],
    },
  };
}

/** What every signed-in user who is not an administrator may do: look, not change. */
export const READ_ONLY_PERMISSIONS = ["Overall/Read", "Job/Read", "View/Read"] as const;

/**
 * Matrix-based authorization (the matrix-auth plugin's `globalMatrix`, JCasC syntax of its 3.x
 * releases: `entries` of `user` or `group`, each with `name` and `permissions`; source:
 * jenkinsci/matrix-auth-plugin, GlobalMatrixAuthorizationStrategyConfigurator and its
 * configuration-as-code-v3.yml test). The admin user administers; every other signed-in user
 * (the built-in `authenticated` group) reads only; anonymous users get no entry, so nothing.
 */
export function authorizationStrategy(adminUser: string): Record<string, unknown> {
  return {
    globalMatrix: {
      entries: [
        { user: { name: adminUser, permissions: ["Overall/Administer"] } },
        { group: { name: "authenticated", permissions: [...READ_ONLY_PERMISSIONS] } },
      ],
    },
  };
}

/** The TCP agent port for a transport: -1 (disabled) for websocket, 50000 for tcp. */
export function agentPort(transport: Transport): number {
  return transport === "tcp" ? JENKINS_AGENT_PORT : -1;
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
      authorizationStrategy: authorizationStrategy(inputs.adminUser),
      ...(inputs.cloud ? { clouds: [cloudDocument(inputs.transport, inputs.cloud)] } : {}),
    },
    ...(inputs.cloud
      ? {
          credentials: {
            system: {
              domainCredentials: [
                {
                  credentials: [
                    {
                      string: {
                        scope: "SYSTEM",
                        id: CLUSTER_CREDENTIALS_ID,
                        description: "Token of the controller's service account in the agent cluster",
                        secret: `\${${CLUSTER_TOKEN_VARIABLE}}`,
                      },
                    },
                  ],
                },
              ],
            },
          },
        }
      : {}),
    unclassified: {
      location: { url: withSlash(inputs.url) },
    },
    // The pipeline job that proves the agent path (needs the job-dsl plugin).
    ...(inputs.cloud ? { jobs: jobsDocument(inputs.transport) } : {}),
  };
}

/** The JCasC file (`jenkins.yaml`) as text. */
export function renderJcasc(inputs: JcascInputs): string {
  return stringify(jcascDocument(inputs), { lineWidth: 0 });
}
