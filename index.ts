/**
 * Composition root: typed stack configuration in, components, stack outputs out. Pulumi calls the
 * exported function; a configuration mistake stops it before any resource is declared.
 */
import * as pulumi from "@pulumi/pulumi";
import { AgentGateway, JenkinsController, Network } from "./components";
import { stackTags } from "./components/shared/tags";
import { readStackConfig } from "./config";

async function main() {
  const config = readStackConfig();
  const tags = stackTags(pulumi.getProject(), pulumi.getStack(), config.tags);
  // Every AWS resource uses the default provider, configured by the stack's `aws:*` settings
  // (region, profile, assumed roles, allowed accounts), which config validation checked.
  const opts: pulumi.ComponentResourceOptions = {};

  const master = new Network("master", { ...config.masterNetwork, tags }, opts);
  const agent = new Network("agent", { ...config.agentNetwork, tags }, opts);

  const gateway = new AgentGateway(
    "gateway",
    {
      ...config.gateway,
      transport: config.transport,
      throwaway: config.throwaway,
      master: { vpcId: master.vpcId, privateSubnetIds: master.privateSubnetIds },
      agent: { vpcId: agent.vpcId, cidrBlock: agent.cidrBlock, privateSubnetIds: agent.privateSubnetIds },
      tags,
    },
    opts,
  );

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
        privateSubnetIds: master.privateSubnetIdList,
      },
      gateway: { securityGroupId: gateway.securityGroupId, targetGroups: gateway.targetGroups },
      tags,
    },
    opts,
  );

  return {
    transport: config.transport,
    region: config.region,
    masterVpcId: master.vpcId,
    masterPrivateSubnetIds: master.privateSubnetIds,
    masterNatPublicIps: master.natPublicIps,
    agentVpcId: agent.vpcId,
    agentPrivateSubnetIds: agent.privateSubnetIds,
    jenkinsUrl: controller.url,
    jenkinsAdminSecretArn: controller.adminSecretArn,
    jenkinsClusterName: controller.clusterName,
    jenkinsServiceName: controller.serviceName,
    jenkinsHomeFileSystemId: controller.fileSystemId,
    endpointServiceName: gateway.endpointServiceName,
    endpointId: gateway.endpointId,
    controllerPrivateName: gateway.privateName,
    agentUrl: gateway.agentUrl,
    ...(gateway.agentTunnel ? { agentTunnel: gateway.agentTunnel } : {}),
    gatewayCaCertificatePem: gateway.caCertificatePem,
  };
}

export = main;
