/**
 * Checks of the stack configuration against what AWS offers, each its own function over the
 * parsed config; every one skips keys that already have a problem. Run in the order of
 * `CROSS_CHECKS` (config/cross-checks.ts).
 */
import { fargateSizeProblem, regionPartition, shadowedAwsName } from "./aws-facts";
import type { CheckContext } from "./cross-checks";
import { configKey, REGION_KEY } from "./keys";
import { Problems } from "./schema";
import type { StackConfig } from "./stack-schema";
import { eksVersionProblem } from "../components/shared/versions";

/** The controller's CPU and memory must be a pair Fargate offers. */
export function checkFargateSize(config: StackConfig, problems: Problems): void {
  const { cpu, memoryMiB } = config.controller;
  const key = configKey("controller.memoryMiB");
  if (problems.has(key) || problems.has(configKey("controller.cpu"))) return;
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
  const key = configKey("controller.ui.certificateArn");
  if (arn === undefined || problems.has(key) || problems.has(REGION_KEY)) return;
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

/**
 * The cluster's Kubernetes version must be one EKS offers on `context.today` (the dated table in
 * components/shared/versions.ts).
 */
export function checkKubernetesVersion(config: StackConfig, problems: Problems, context: CheckContext): void {
  const key = configKey("agentCluster.kubernetesVersion");
  if (problems.has(key)) return;
  const problem = eksVersionProblem(config.agentCluster.kubernetesVersion, context.today);
  if (problem) problems.invalid(key, config.agentCluster.kubernetesVersion, problem);
}

/** The agent VPC's private zone must not hide names AWS answers in that VPC. */
export function checkPrivateZoneName(config: StackConfig, problems: Problems): void {
  const key = configKey("gateway.privateZoneName");
  if (problems.has(key) || problems.has(REGION_KEY)) return;
  const shadowed = shadowedAwsName(config.gateway.privateZoneName, config.region);
  if (shadowed) {
    problems.invalid(
      key,
      config.gateway.privateZoneName,
      `a name apart from ${shadowed}, which AWS answers in the agent VPC (a private zone on, under or above it hides instance and service names from the nodes), such as ci.internal`,
    );
  }
}

/** Refuses `natStrategy: none` on `network`, saying `why` its workloads need NAT. */
function checkNatEgress(
  config: StackConfig,
  problems: Problems,
  network: "masterNetwork" | "agentNetwork",
  why: string,
): void {
  const key = configKey(`${network}.natStrategy`);
  if (config[network].natStrategy !== "none" || problems.has(key)) return;
  problems.add(key, `got "none"; expected single or perAz: ${why}`);
}

/** The master network has NAT: the controller reaches its image, plugins and the cluster's API through it. */
export function checkControllerEgress(config: StackConfig, problems: Problems): void {
  checkNatEgress(
    config,
    problems,
    "masterNetwork",
    "the controller pulls its image and plugins and reaches the agent cluster's API through NAT",
  );
}

/**
 * The agent nodes need egress: they pull images (the EKS add-ons' from ECR, the agents' and the
 * proxy's from Docker Hub) and call STS and EC2 when they join, and the agent VPC has no ECR, S3,
 * STS or EC2 interface endpoints that would stand in for NAT.
 */
export function checkAgentEgress(config: StackConfig, problems: Problems): void {
  checkNatEgress(
    config,
    problems,
    "agentNetwork",
    "agent nodes pull their images (ECR, Docker Hub) and call STS and EC2 to join the cluster through NAT, and the agent VPC has no ECR, S3, STS or EC2 endpoints instead",
  );
}
