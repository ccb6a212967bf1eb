import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { proxyNetworkPolicySpec } from "../cluster/isolation";
import { podSecurityLabels, restrictedSecurity } from "../cluster/plan";
import { SYSTEM_NODE_SELECTOR } from "../shared/capacity";
import { appLabels } from "../shared/labels";
import { TOKENS } from "../shared/tokens";
import { DRAIN_SECONDS, HEALTH_PATH, PROXY_CONFIG_DIR, PROXY_PORT } from "./nginx-conf";

/** Arguments of {@link AgentProxy}. */
export interface AgentProxyArgs {
  /** The cluster's Kubernetes provider; every object of the proxy is created with it. */
  readonly provider: k8s.Provider;
  /** Namespace of the proxy, its own: created here, and nothing else runs there. */
  readonly namespace: string;
  /** Namespace of the agents: the only one whose pods may connect. */
  readonly agentNamespace: string;
  /** nginx image, unprivileged variant, pinned. */
  readonly image: string;
  readonly replicas: number;
  readonly cpuMillicores: number;
  readonly memoryMiB: number;
  /** The rendered nginx.conf (it holds the endpoint's addresses, known once the endpoint exists). */
  readonly nginxConf: pulumi.Input<string>;
  /** PEM of the CA that issued the controller's gateway certificate. */
  readonly caPem: pulumi.Input<string>;
  /** The interface endpoint's addresses (as nginx.conf's upstream holds them): where the proxy may connect. */
  readonly endpointAddresses: pulumi.Input<string[]>;
}

/** Seconds a stopping pod waits before nginx drains. */
export const PRE_STOP_SECONDS = 5;

/** Name of the proxy's objects and its Service. */
export const PROXY_NAME = "agent-proxy";
/** The unprivileged nginx image's user and group. */
export const NGINX_UID = 101;

/** Labels of the proxy's pods. */
export const PROXY_LABELS = appLabels(PROXY_NAME);

/** The proxy's security contexts (Pod Security `restricted`), as the nginx image's user. */
const PROXY_SECURITY = restrictedSecurity(NGINX_UID, NGINX_UID);
/** The restricted security context of the proxy's container. */
export const PROXY_CONTAINER_SECURITY = PROXY_SECURITY.container;

/**
 * AgentProxy is a component that runs the in-cluster nginx through which WebSocket agents reach
 * the controller, in a namespace of its own (Pod Security `restricted`; the controller can create
 * nothing there, so no build can place a pod beside it or behind its Service): a ConfigMap
 * (config and CA), a Deployment of unprivileged nginx under the restricted profile on system
 * nodes, a ClusterIP Service, a PodDisruptionBudget, and a NetworkPolicy over the namespace (in:
 * the agent namespace only, by its name; out: the endpoint's TLS port and cluster DNS only).
 */
export class AgentProxy extends pulumi.ComponentResource {
  /** In-cluster URL agents use as the controller URL (with a trailing slash). */
  public readonly url: string;
  /** Namespace of the proxy's Service and pods. */
  public readonly namespace: string;

  constructor(name: string, args: AgentProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    super(TOKENS.agentProxy, name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    const labels = PROXY_LABELS;
    const namespace = new k8s.core.v1.Namespace(
      `${name}`,
      { metadata: { name: args.namespace, labels: podSecurityLabels() } },
      k8sOpts,
    );
    const metadata = { name: PROXY_NAME, namespace: namespace.metadata.name, labels };

    const config = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      { metadata, data: { "nginx.conf": args.nginxConf, "ca.pem": args.caPem } },
      k8sOpts,
    );
    // Any change of config (such as the endpoint's addresses) or CA changes the pod template,
    // which rolls the pods.
    const checksum = pulumi
      .all([args.nginxConf, args.caPem])
      .apply(([conf, ca]) => createHash("sha256").update(conf).update(ca).digest("hex"));
    const resources = { cpu: `${args.cpuMillicores}m`, memory: `${args.memoryMiB}Mi` };
    const probe = (periodSeconds: number, failureThreshold: number) => ({
      httpGet: { path: HEALTH_PATH, port: "http" },
      periodSeconds,
      failureThreshold,
      timeoutSeconds: 2,
    });
    new k8s.apps.v1.Deployment(
      `${name}`,
      {
        metadata,
        spec: {
          replicas: args.replicas,
          selector: { matchLabels: labels },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: {
            metadata: { labels, annotations: { "jenkins-agent-bridge/config-sha256": checksum } },
            spec: {
              automountServiceAccountToken: false,
              // System nodes: the gateway endpoint admits their security group, not the agents'.
              nodeSelector: { ...SYSTEM_NODE_SELECTOR },
              securityContext: PROXY_SECURITY.pod,
              topologySpreadConstraints: [
                {
                  maxSkew: 1,
                  topologyKey: "kubernetes.io/hostname",
                  whenUnsatisfiable: "ScheduleAnyway",
                  labelSelector: { matchLabels: labels },
                },
                {
                  maxSkew: 1,
                  topologyKey: "topology.kubernetes.io/zone",
                  whenUnsatisfiable: "ScheduleAnyway",
                  labelSelector: { matchLabels: labels },
                },
              ],
              // nginx stops gracefully (the image's stop signal is SIGQUIT) and drains for
              // DRAIN_SECONDS; the pod waits a little longer before it is killed.
              terminationGracePeriodSeconds: DRAIN_SECONDS + PRE_STOP_SECONDS + 10,
              containers: [
                {
                  name: "nginx",
                  image: args.image,
                  command: ["nginx"],
                  args: ["-c", `${PROXY_CONFIG_DIR}/nginx.conf`, "-e", "/dev/stderr", "-g", "daemon off;"],
                  ports: [{ name: "http", containerPort: PROXY_PORT, protocol: "TCP" }],
                  securityContext: PROXY_CONTAINER_SECURITY,
                  resources: { requests: resources, limits: resources },
                  // Let endpoints stop sending new agents here before nginx starts to drain.
                  lifecycle: { preStop: { exec: { command: ["sleep", String(PRE_STOP_SECONDS)] } } },
                  readinessProbe: probe(5, 2),
                  livenessProbe: probe(10, 3),
                  volumeMounts: [
                    { name: "config", mountPath: PROXY_CONFIG_DIR, readOnly: true },
                    { name: "tmp", mountPath: "/tmp" },
                  ],
                },
              ],
              volumes: [
                { name: "config", configMap: { name: config.metadata.name } },
                { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
              ],
            },
          },
        },
      },
      k8sOpts,
    );
    new k8s.core.v1.Service(
      `${name}`,
      {
        metadata,
        spec: {
          type: "ClusterIP",
          selector: labels,
          ports: [{ name: "http", port: PROXY_PORT, targetPort: "http", protocol: "TCP" }],
        },
      },
      k8sOpts,
    );
    new k8s.policy.v1.PodDisruptionBudget(
      `${name}`,
      { metadata, spec: { minAvailable: 1, selector: { matchLabels: labels } } },
      k8sOpts,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}`,
      {
        metadata,
        spec: pulumi.output(args.endpointAddresses).apply((endpointAddresses) =>
          proxyNetworkPolicySpec({
            agentNamespace: args.agentNamespace,
            port: PROXY_PORT,
            endpointAddresses,
          }),
        ) as unknown as k8s.types.input.networking.v1.NetworkPolicySpec,
      },
      k8sOpts,
    );

    this.url = `http://${PROXY_NAME}.${args.namespace}.svc.cluster.local:${PROXY_PORT}/`;
    this.namespace = args.namespace;
    this.registerOutputs({ url: this.url, namespace: this.namespace });
  }
}
