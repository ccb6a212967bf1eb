/**
 * Facts about AWS the stack configuration is checked against offline: which regions exist (and
 * their partitions), which CPU/memory pairs Fargate offers, which names inside a VPC belong to AWS.
 */
import { partition } from "@aws-sdk/core/client";

/**
 * The partition (`aws`, `aws-cn`, `aws-us-gov`, ...) of a region the AWS SDK lists, or undefined
 * for a name it does not list. The list is the SDK's partition data
 * (@aws-sdk/core, submodules/client/util-endpoints/lib/aws/partitions.js), which the SDK keeps
 * current as regions open; a region name that only matches a partition's pattern is not a region.
 */
export function regionPartition(region: string): string | undefined {
  const info = partition(region) as { name: string; description?: string };
  return info.description !== undefined && !region.endsWith("-global") ? info.name : undefined;
}

/** Retention periods CloudWatch Logs accepts, in days (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Task memory (MiB) Fargate offers for each task CPU value (Linux), from the ECS developer guide,
 * "Task CPU and memory" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size)
 * and the RegisterTaskDefinition `memory` reference
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html):
 * 256: 512, 1024, 2048; 512: 1-4 GB; 1024: 2-8 GB; 2048: 4-16 GB and 4096: 8-30 GB in 1 GB steps;
 * 8192: 16-60 GB in 4 GB steps; 16384: 32-120 GB in 8 GB steps (both need platform 1.4.0, the
 * default). Any other pair fails with "No Fargate configuration exists for given values".
 */
export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: steps(1024, 4096, 1024),
  1024: steps(2048, 8192, 1024),
  2048: steps(4096, 16384, 1024),
  4096: steps(8192, 30720, 1024),
  8192: steps(16384, 61440, 4096),
  16384: steps(32768, 122880, 8192),
};

function steps(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let v = from; v <= to; v += step) values.push(v);
  return values;
}

/** Why Fargate refuses `cpu` units with `memoryMiB`, or undefined when it offers the pair. */
export function fargateSizeProblem(cpu: number, memoryMiB: number): string | undefined {
  const memory = FARGATE_MEMORY_BY_CPU[cpu];
  if (!memory) {
    return `Fargate offers task CPU ${Object.keys(FARGATE_MEMORY_BY_CPU).join(", ")}`;
  }
  return memory.includes(memoryMiB)
    ? undefined
    : `with ${cpu} CPU units Fargate offers ${describeSteps(memory)} MiB`;
}

function describeSteps(values: readonly number[]): string {
  if (values.length <= 3) return values.join(", ");
  return `${values[0]} to ${values[values.length - 1]} in steps of ${values[1] - values[0]}`;
}

/**
 * DNS names AWS answers inside a VPC: instance host names (`ec2.internal` in us-east-1,
 * `<region>.compute.internal` elsewhere; EC2 user guide, "Amazon EC2 instance hostname types",
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-naming.html) and service
 * endpoints (`amazonaws.com`). A private hosted zone associated with the VPC takes precedence for
 * its whole name space (Route 53 developer guide, "Considerations when working with a private
 * hosted zone": https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html),
 * so a zone equal to, inside or above one of these hides AWS names from the agent VPC: nodes then
 * cannot resolve each other, the cluster API or ECR.
 */
export function awsVpcNames(region: string): string[] {
  return ["ec2.internal", `${region}.compute.internal`, "compute.internal", "amazonaws.com"];
}

/** The AWS name a private zone `zone` would shadow in a VPC of `region`, if any. */
export function shadowedAwsName(zone: string, region: string): string | undefined {
  const within = (name: string, parent: string) => name === parent || name.endsWith(`.${parent}`);
  const names = awsVpcNames(region);
  return (
    names.find((name) => name === zone) ??
    names.find((name) => within(zone, name)) ??
    names.find((name) => within(name, zone))
  );
}
