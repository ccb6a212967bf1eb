/**
 * The controller's ECS container definitions, as a pure function of plain values. The component
 * resolves ARNs and names, then calls it.
 */
import { JENKINS_AGENT_PORT, JENKINS_HTTP_PORT, Transport } from "../shared/jenkins";
import { ADMIN_PASSWORD_VARIABLE, agentPort, CLUSTER_TOKEN_VARIABLE } from "./jcasc";
import { cascPath, initScript, pluginsFor, PLUGINS_VARIABLE } from "./plugin-install";

/** JENKINS_HOME inside both containers (the EFS access point's root). */
export const JENKINS_HOME = "/var/jenkins_home";
/** Where the init container writes the JCasC file, and Jenkins reads it. */
export const CASC_PATH = cascPath(JENKINS_HOME);
/** Name of the Jenkins container (the load balancer's target). */
export const CONTROLLER_CONTAINER = "jenkins";
/** Name of the init container that installs plugins and writes JCasC. */
export const INIT_CONTAINER = "install";
/** Task volume holding JENKINS_HOME. */
export const HOME_VOLUME = "jenkins-home";

/**
 * The task's one volume: JENKINS_HOME through its access point, over TLS, authorised by IAM (the
 * task role). `V` is how the IDs are given (plain strings, or deploy-time values).
 */
export function homeVolume<V>(fileSystemId: V, accessPointId: V) {
  return {
    name: HOME_VOLUME,
    efsVolumeConfiguration: {
      fileSystemId,
      transitEncryption: "ENABLED",
      authorizationConfig: { accessPointId, iam: "ENABLED" },
    },
  };
}

/**
 * Remoting ping interval of TCP agents, seconds: well under the 350 s idle timeout of NLB and
 * interface-endpoint flows (Jenkins' default, 300 s, leaves too little room).
 */
export const TCP_PING_INTERVAL_SEC = 120;

/** JVM options of the controller for a transport. */
export function javaOpts(transport: Transport): string {
  const base = "-Djenkins.install.runSetupWizard=false -XX:MaxRAMPercentage=75";
  return transport === "tcp"
    ? `${base} -Dhudson.slaves.ChannelPinger.pingIntervalSeconds=${TCP_PING_INTERVAL_SEC}`
    : base;
}

/** The Jenkins image's user and group (the access point enforces the same). */
export const JENKINS_UID = 1000;

/** Inputs of {@link containerDefinitions}. */
export interface ContainerInputs {
  readonly image: string;
  readonly transport: Transport;
  /** The rendered JCasC file. */
  readonly jcasc: string;
  /** Pinned plugins, `name:version`. */
  readonly plugins: readonly string[];
  readonly adminSecretArn: string;
  /** Secret holding the agent cluster's token, if there is a cluster. */
  readonly clusterTokenSecretArn?: string;
  readonly logGroupName: string;
  readonly region: string;
}

/** The init container's script (see {@link initScript}). */
export const INIT_SCRIPT = initScript(JENKINS_HOME);

function logging(inputs: ContainerInputs, prefix: string) {
  return {
    logDriver: "awslogs",
    options: {
      "awslogs-group": inputs.logGroupName,
      "awslogs-region": inputs.region,
      "awslogs-stream-prefix": prefix,
    },
  };
}

const homeMount = [{ sourceVolume: HOME_VOLUME, containerPath: JENKINS_HOME, readOnly: false }];

/**
 * Two containers: `install` (same image, runs to completion first) and `jenkins`. Secrets reach
 * Jenkins only through `secrets` (ECS reads them from Secrets Manager at start); `environment`
 * holds nothing secret. Port 50000 is mapped only in `tcp` mode.
 */
export function containerDefinitions(inputs: ContainerInputs): Record<string, unknown>[] {
  const ports = [JENKINS_HTTP_PORT, ...(inputs.transport === "tcp" ? [JENKINS_AGENT_PORT] : [])];
  return [
    {
      name: INIT_CONTAINER,
      image: inputs.image,
      essential: false,
      user: `${JENKINS_UID}:${JENKINS_UID}`,
      entryPoint: ["sh", "-c"],
      command: [INIT_SCRIPT],
      environment: [
        { name: "CASC_YAML_BASE64", value: Buffer.from(inputs.jcasc, "utf8").toString("base64") },
        { name: PLUGINS_VARIABLE, value: pluginsFor(inputs.transport, inputs.plugins).join(" ") },
      ],
      mountPoints: homeMount,
      logConfiguration: logging(inputs, INIT_CONTAINER),
    },
    {
      name: CONTROLLER_CONTAINER,
      image: inputs.image,
      essential: true,
      user: `${JENKINS_UID}:${JENKINS_UID}`,
      dependsOn: [{ containerName: INIT_CONTAINER, condition: "SUCCESS" }],
      portMappings: ports.map((port) => ({ containerPort: port, protocol: "tcp" })),
      environment: [
        { name: "CASC_JENKINS_CONFIG", value: CASC_PATH },
        { name: "JAVA_OPTS", value: javaOpts(inputs.transport) },
        { name: "JENKINS_SLAVE_AGENT_PORT", value: String(agentPort(inputs.transport)) },
      ],
      secrets: [
        { name: ADMIN_PASSWORD_VARIABLE, valueFrom: inputs.adminSecretArn },
        ...(inputs.clusterTokenSecretArn
          ? [{ name: CLUSTER_TOKEN_VARIABLE, valueFrom: inputs.clusterTokenSecretArn }]
          : []),
      ],
      mountPoints: homeMount,
      linuxParameters: { initProcessEnabled: true },
      ulimits: [{ name: "nofile", softLimit: 65536, hardLimit: 65536 }],
      stopTimeout: 120,
      logConfiguration: logging(inputs, CONTROLLER_CONTAINER),
    },
  ];
}
