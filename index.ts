/**
 * Composition root: typed stack configuration in, components, stack outputs out. Pulumi calls the
 * exported function; a configuration mistake stops it before any resource is declared.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Network } from "./components";
import { stackTags } from "./components/shared/tags";
import { readStackConfig } from "./config";

async function main() {
  const config = readStackConfig();
  const tags = stackTags(pulumi.getProject(), pulumi.getStack(), config.tags);
  // One explicit provider carries the stack's region to every AWS resource and invoke.
  const provider = new aws.Provider("aws", { region: config.region });
  const opts: pulumi.ComponentResourceOptions = { providers: [provider] };

  const master = new Network("master", { ...config.masterNetwork, tags }, opts);
  const agent = new Network("agent", { ...config.agentNetwork, tags }, opts);

  return {
    transport: config.transport,
    region: config.region,
    masterVpcId: master.vpcId,
    masterPrivateSubnetIds: master.privateSubnetIds,
    masterNatPublicIps: master.natPublicIps,
    agentVpcId: agent.vpcId,
    agentPrivateSubnetIds: agent.privateSubnetIds,
  };
}

export = main;
