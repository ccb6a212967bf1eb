/**
 * Fargate task sizes: a task definition that requires FARGATE must use a CPU/memory pair from the
 * ECS table (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size);
 * the table is {@link FARGATE_MEMORY_BY_CPU}, shared with the config check of controller.cpu and
 * controller.memoryMiB.
 */
import { fargateSizeProblem } from "../../config/aws-facts";
import { Finding, findings, isUnknown, PlanView, resourceRule, Rule } from "./rule";
import { TYPES } from "../../policy/lib/types";

export const fargateSizes = resourceRule(
  "fargate-size",
  "Fargate task CPU/memory pairs from the ECS table",
  [TYPES.taskDefinition],
  (r, { violation, unknown }) => {
    const compat = r.inputs.requiresCompatibilities;
    if (!Array.isArray(compat) || !compat.includes("FARGATE")) return [];
    const { cpu, memory } = r.inputs;
    if (isUnknown(cpu) || isUnknown(memory)) return [unknown(r, "cpu, memory")];
    const problem = fargateSizeProblem(Number(cpu), Number(memory));
    return problem
      ? [violation(r, "cpu, memory", `${String(cpu)} CPU units with ${String(memory)} MiB: ${problem}`)]
      : [];
  },
);

const spotFindings = findings("fargate-spot");

/**
 * Fargate Spot
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html):
 * a service placed by a capacity provider strategy sets no launch type (CreateService refuses
 * both); FARGATE_SPOT runs only X86_64 Linux tasks; and the cluster must list FARGATE_SPOT among
 * its capacity providers.
 */
export const fargateSpot: Rule = {
  id: "fargate-spot",
  title: "Fargate Spot services: no launch type, X86_64 tasks, FARGATE_SPOT on the cluster",
  check(plan: PlanView): Finding[] {
    const out: Finding[] = [];
    const offered = plan
      .ofType("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders")
      .filter(
        (p) =>
          Array.isArray(p.inputs.capacityProviders) && p.inputs.capacityProviders.includes("FARGATE_SPOT"),
      )
      .map((p) => p.inputs.clusterName);
    for (const svc of plan.ofType("aws:ecs/service:Service")) {
      const strategies = svc.inputs.capacityProviderStrategies;
      if (!Array.isArray(strategies)) continue;
      if (!strategies.some((s) => (s as { capacityProvider?: unknown }).capacityProvider === "FARGATE_SPOT"))
        continue;
      if (svc.inputs.launchType !== undefined)
        out.push(
          spotFindings.violation(
            svc,
            "launchType",
            `${String(svc.inputs.launchType)} beside a capacity provider strategy: ECS takes one or the other`,
          ),
        );
      const td = plan.resolve(svc.inputs.taskDefinition);
      const platform = td?.inputs.runtimePlatform as { cpuArchitecture?: unknown } | undefined;
      if (!td) out.push(spotFindings.skip(svc, "taskDefinition", "task definition not in the plan"));
      else if (platform?.cpuArchitecture !== undefined && platform.cpuArchitecture !== "X86_64")
        out.push(
          spotFindings.violation(
            td,
            "runtimePlatform.cpuArchitecture",
            `${String(platform.cpuArchitecture)} for a FARGATE_SPOT service: Fargate Spot runs X86_64 tasks only`,
          ),
        );
      const cluster = plan.resolve(svc.inputs.cluster);
      const name = cluster?.state?.name ?? cluster?.inputs.name;
      if (!cluster || isUnknown(name))
        out.push(spotFindings.skip(svc, "cluster", "cluster name computed at deploy time"));
      else if (!offered.includes(name))
        out.push(
          spotFindings.violation(
            svc,
            "capacityProviderStrategies",
            `FARGATE_SPOT on cluster ${String(name)}, which has no aws:ecs/clusterCapacityProviders listing FARGATE_SPOT`,
          ),
        );
    }
    return out;
  },
};
