/**
 * Composition root: typed stack configuration in, components, stack outputs out. Pulumi calls the
 * exported function; a configuration mistake stops it before any resource is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  AgentCluster,
  AgentGateway,
  AgentProxy,
  JenkinsController,
  Monitoring,
  Network,
  planGateway,
} from "./components";
import { endpointClientGroup } from "./components/cluster/endpoint-access";
import { clusterNameFor, discoveryTags } from "./components/cluster/karpenter-plan";
import { AGENT_SERVICE_ACCOUNT } from "./components/cluster/plan";
import { deployedNginxInputs, PROXY_PORT, renderNginxConf } from "./components/proxy/nginx-conf";
import { PROXY_NAME } from "./components/proxy/proxy";
import { PROXY_NAMESPACE } from "./components/cluster/isolation";
import { stackTags } from "./components/shared/tags";
import { agentPodSettings, readStackConfig } from "./config";
import { configuredContainerCap } from "./config/capacity";

/** Name of the agent cluster component (and the first part of the EKS cluster's name). */
const CLUSTER = "agents";
import { apiAccessCidrs } from "./config/api-access";
import { zoneCount } from "./config/zones";
import { lookupStackZones } from "./components/network/stack-zones";

async function main() {
  const config = readStackConfig();
  const tags = stackTags(pulumi.getProject(), pulumi.getStack(), config.tags);
  // Every AWS resource uses the default provider, configured by the stack's `aws:*` settings
  // (region, profile, assumed roles, allowed accounts), which config validation checked.
  const opts: pulumi.ComponentResourceOptions = {};

  // One zone list for both networks, by zone ID; the agent network's zones are among the master's.
  // The system node group's types must be offered in every zone (Karpenter picks agent types per
  // zone itself).
  const zones = lookupStackZones({
    master: { count: zoneCount(config.masterNetwork), zoneIds: config.masterNetwork.availabilityZoneIds },
    agent: { count: zoneCount(config.agentNetwork), zoneIds: config.agentNetwork.availabilityZoneIds },
    instanceTypes: config.agentCluster.systemNodes.instanceTypes,
  });
  const master = new Network(
    "master",
    { ...config.masterNetwork, availabilityZoneIds: zones.master, tags },
    opts,
  );
  // Karpenter finds the agent subnets by the cluster's discovery tag.
  const clusterName = clusterNameFor(CLUSTER, pulumi.getStack());
  const agent = new Network(
    "agent",
    {
      ...config.agentNetwork,
      availabilityZoneIds: zones.agent,
      tags,
      privateSubnetTags: discoveryTags(clusterName),
    },
    opts,
  );

  // The gateway's exposure is planned first: the cluster's egress policy needs its endpoint ports,
  // and the gateway (created after the cluster) admits the cluster's proxy nodes.
  const gatewayPlan = planGateway(config.transport, config.gateway.tcpTlsListener);
  // The endpoint's addresses, for the tcp agents' egress policy: known once the gateway exists.
  const [endpointAddresses, resolveEndpointAddresses] = pulumi.deferredOutput<string[]>();

  const cluster = new AgentCluster(
    CLUSTER,
    {
      ...config.agentCluster,
      stack: pulumi.getStack(),
      throwaway: config.throwaway,
      apiAllowedCidrs: apiAccessCidrs(config),
      network: { vpcId: agent.vpcId, privateSubnetIds: agent.privateSubnetIds },
      controllerEgressIps: master.natPublicIps,
      awsCli: config.awsCli,
      agentEgress:
        config.transport === "websocket"
          ? {
              vpcCidr: agent.cidrBlock,
              proxy: { namespace: PROXY_NAMESPACE, port: PROXY_PORT },
            }
          : {
              vpcCidr: agent.cidrBlock,
              endpoint: { addresses: endpointAddresses, ports: gatewayPlan.endpointPorts },
            },
      tags,
    },
    opts,
  );

  const gateway = new AgentGateway(
    "gateway",
    {
      ...config.gateway,
      plan: gatewayPlan,
      throwaway: config.throwaway,
      master: { vpcId: master.vpcId, privateSubnetIds: master.privateSubnetIds },
      agent: { vpcId: agent.vpcId, privateSubnetIds: agent.privateSubnetIds },
      // Only the proxy's nodes reach the endpoint in websocket mode; tcp agents connect directly.
      clientSecurityGroupId: endpointClientGroup(config.transport, cluster),
      tags,
    },
    opts,
  );
  resolveEndpointAddresses(gateway.endpointAddresses);

  // WebSocket agents reach the controller through the in-cluster proxy; TCP agents go to the
  // endpoint directly (JNLP4 must never pass through an HTTP proxy).
  const proxy =
    config.transport === "websocket"
      ? new AgentProxy(
          "proxy",
          {
            ...config.proxy,
            provider: cluster.provider,
            namespace: PROXY_NAMESPACE,
            agentNamespace: cluster.namespace,
            nginxConf: gateway.endpointAddresses.apply((endpointAddresses) =>
              renderNginxConf(
                deployedNginxInputs({
                  stack: pulumi.getStack(),
                  privateName: gateway.privateName,
                  timeoutMinutes: config.proxy.timeoutMinutes,
                  endpointAddresses,
                  cpuMillicores: config.proxy.cpuMillicores,
                }),
              ),
            ),
            caPem: gateway.caCertificatePem,
            endpointAddresses: gateway.endpointAddresses,
          },
          { ...opts, dependsOn: [cluster], transformations: cluster.kubernetesTransformations },
        )
      : undefined;

  // The controller URL agents are given: the proxy (websocket) or the endpoint's name (tcp).
  const agentUrl = proxy ? proxy.url : gateway.agentUrl;
  const agentPod = agentPodSettings(config.agentPod);

  const controller = new JenkinsController(
    "jenkins",
    {
      ...config.controller,
      transport: config.transport,
      throwaway: config.throwaway,
      stack: pulumi.getStack(),
      network: {
        vpcId: master.vpcId,
        cidrBlock: master.cidrBlock,
        publicSubnetIds: master.publicSubnetIds,
        privateSubnetIds: master.privateSubnetIdPerZone,
      },
      gateway: { securityGroupId: gateway.securityGroupId, targetGroups: gateway.targetGroups },
      agentCloud: {
        serverUrl: cluster.endpoint,
        serverCertificate: cluster.certificateAuthorityPem,
        token: cluster.controllerToken,
        namespace: cluster.namespace,
        jenkinsUrl: agentUrl,
        tunnel: gateway.agentTunnel,
        agentImage: config.agentCluster.inboundAgentImage,
        serviceAccount: AGENT_SERVICE_ACCOUNT,
        containerCap: configuredContainerCap(config),
        pod: agentPod,
      },
      tags,
    },
    opts,
  );

  // Alarms on the whole agent path, the dashboard, and the scheduled check from the agent side.
  const monitoring = new Monitoring(
    "monitoring",
    {
      project: pulumi.getProject(),
      stack: pulumi.getStack(),
      watched: {
        controller: {
          clusterName: controller.clusterName,
          serviceName: controller.serviceName,
          uiLoadBalancer: controller.uiLoadBalancerArnSuffix,
          uiTargetGroup: controller.uiTargetGroupArnSuffix,
          fileSystemId: controller.fileSystemId,
        },
        gateway: {
          loadBalancer: gateway.loadBalancerArnSuffix,
          targetGroups: gateway.targetGroups,
          ...(gateway.certificateArn ? { certificateArn: gateway.certificateArn } : {}),
          endpointId: gateway.endpointId,
          endpointVpcId: gateway.endpointVpcId,
          endpointServiceName: gateway.endpointServiceName,
        },
        natGateways: [
          ...master.natGatewayIds.map((id, i) => ({ label: `master-${i}`, id })),
          ...agent.natGatewayIds.map((id, i) => ({ label: `agent-${i}`, id })),
        ],
        cluster: { name: cluster.clusterName, namespace: cluster.namespace },
        ...(proxy
          ? { proxy: { service: PROXY_NAME, namespace: proxy.namespace, replicas: config.proxy.replicas } }
          : {}),
      },
      alarms: config.monitoring.alarms,
      emails: config.monitoring.emails,
      httpsEndpoints: config.monitoring.httpsEndpoints,
      agentPathCheck: {
        minutes: config.monitoring.agentPathCheckMinutes,
        agentUrl,
        ...(agentUrl.startsWith("https://") ? { caPem: gateway.caCertificatePem } : {}),
      },
      clusterLogRetentionDays: config.monitoring.clusterLogRetentionDays,
      throwaway: config.throwaway,
      provider: cluster.provider,
      podIdentityAgent: cluster.podIdentityAgent,
      tags,
    },
    { ...opts, dependsOn: [cluster], transformations: cluster.kubernetesTransformations },
  );

  return {
    transport: config.transport,
    region: config.region,
    masterVpcId: master.vpcId,
    masterPrivateSubnetIds: master.privateSubnetIds,
    masterNatPublicIps: master.natPublicIps,
    agentVpcId: agent.vpcId,
    agentVpcCidr: agent.cidrBlock,
    agentPrivateSubnetIds: agent.privateSubnetIds,
    jenkinsUrl: controller.url,
    jenkinsAdminSecretArn: controller.adminSecretArn,
    jenkinsClusterName: controller.clusterName,
    jenkinsServiceName: controller.serviceName,
    jenkinsHomeFileSystemId: controller.fileSystemId,
    endpointServiceName: gateway.endpointServiceName,
    endpointId: gateway.endpointId,
    controllerPrivateName: gateway.privateName,
    agentClusterName: cluster.clusterName,
    agentClusterEndpoint: cluster.endpoint,
    agentNamespace: cluster.namespace,
    // The first `pulumi up` after this replaces the controller's cluster token and restarts it.
    controllerTokenRotatesAt: cluster.controllerTokenRotatesAt,
    agentUrl,
    ...(gateway.agentTunnel ? { agentTunnel: gateway.agentTunnel } : {}),
    gatewayCaCertificatePem: gateway.caCertificatePem,
    alarmTopicArn: monitoring.topicArn,
    dashboardName: monitoring.dashboardName,
    // Ephemeral stacks: when `npm run ephemeral -- reap` may remove the stack.
    ...(config.tags["expires-at"] ? { expiresAt: config.tags["expires-at"] } : {}),
  };
}

export = main;
