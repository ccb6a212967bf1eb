/**
 * Checks of the stack configuration against what AWS offers, each its own function over the
 * parsed config; every one skips keys that already have a problem. Called from `checkAcrossKeys`.
 */
import { fargateSizeProblem, regionPartition, shadowedAwsName } from "./aws-facts";
import { Problems } from "./schema";
import type { StackConfig } from "./stack-config";
import { eksVersionProblem } from "./versions";

const NS = "jenkins-agent-bridge:";

/** The controller's CPU and memory must be a pair Fargate offers. */
export function checkFargateSize(config: StackConfig, problems: Problems): void {
  const { cpu, memoryMiB } = config.controller;
  const key = `${NS}controller.memoryMiB`;
  if (problems.has(key) || problems.has(`${NS}controller.cpu`)) return;
  const problem = fargateSizeProblem(cpu, memoryMiB);
  if (problem) {
    problems.add(
      key,
      `got ${memoryMiB} with controller.cpu ${cpu}; expected a pair Fargate offers: ${problem}`,
    );
  }
}

/**
 * The UI certificate must live in the stack's region and partition: a load balancer takes only
 * certificates from ACM in its own region (ACM user guide, "Services integrated with ACM":
 * https://docs.aws.amazon.com/acm/latest/userguide/acm-services.html).
 */
export function checkCertificateRegion(config: StackConfig, problems: Problems): void {
  const arn = config.controller.ui.certificateArn;
  const key = `${NS}controller.ui.certificateArn`;
  if (arn === undefined || problems.has(key) || problems.has("aws:region")) return;
  const [, partition, , region] = arn.split(":");
  const wanted = regionPartition(config.region);
  if (partition !== wanted) {
    problems.add(
      key,
      `got ${JSON.stringify(arn)}; expected a certificate of partition ${wanted} (the partition of aws:region ${config.region}), not ${partition}`,
    );
  } else if (region !== config.region) {
    problems.add(
      key,
      `got ${JSON.stringify(arn)}; expected a certificate in aws:region ${config.region} (a load balancer uses certificates of its own region only), not ${region}`,
    );
  }
}

/** The cluster's Kubernetes version must be one EKS offers today (the dated table in config/versions.ts). */
export function checkKubernetesVersion(
  config: StackConfig,
  problems: Problems,
  today = new Date().toISOString().slice(0, 10),
): void {
  const key = `${NS}agentCluster.kubernetesVersion`;
  if (problems.has(key)) return;
  const problem = eksVersionProblem(config.agentCluster.kubernetesVersion, today);
  if (problem) problems.invalid(key, config.agentCluster.kubernetesVersion, problem);
}

/** The agent VPC's private zone must not hide names AWS answers in that VPC. */
export function checkPrivateZoneName(config: StackConfig, problems: Problems): void {
  const key = `${NS}gateway.privateZoneName`;
  if (problems.has(key) || problems.has("aws:region")) return;
  const shadowed = shadowedAwsName(config.gateway.privateZoneName, config.region);
  if (shadowed) {
    problems.invalid(
      key,
      config.gateway.privateZoneName,
      `a name apart from ${shadowed}, which AWS answers in the agent VPC (a private zone on, under or above it hides instance and service names from the nodes), such as ci.internal`,
    );
  }
}

/**
 * The agent nodes need egress: they pull images (the EKS add-ons' from ECR, the agents' and the
 * proxy's from Docker Hub) and call STS and EC2 when they join, and the agent VPC has no ECR, S3,
 * STS or EC2 interface endpoints that would stand in for NAT.
 */
export function checkAgentEgress(config: StackConfig, problems: Problems): void {
  const key = `${NS}agentNetwork.natStrategy`;
  if (config.agentNetwork.natStrategy !== "none" || problems.has(key)) return;
  problems.add(
    key,
    'got "none"; expected single or perAz: agent nodes pull their images (ECR, Docker Hub) and call STS and EC2 to join the cluster through NAT, and the agent VPC has no ECR, S3, STS or EC2 endpoints instead',
  );
}
