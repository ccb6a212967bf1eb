/**
 * Fargate task sizes: a task definition that requires FARGATE must use a CPU/memory pair from the
 * ECS table (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#task_size);
 * the table is {@link FARGATE_MEMORY_BY_CPU}, shared with the config check of controller.cpu and
 * controller.memoryMiB.
 */
import { fargateSizeProblem } from "../../config/aws-facts";
import { Finding, findings, isUnknown, PlanView, Rule } from "./rule";
import { TYPES } from "../../policy/lib/types";

const { violation, skip } = findings("fargate-size");

export const fargateSizes: Rule = {
  id: "fargate-size",
  title: "Fargate task CPU/memory pairs from the ECS table",
  check(plan: PlanView): Finding[] {
    const out: Finding[] = [];
    for (const r of plan.ofType(TYPES.taskDefinition)) {
      const compat = r.inputs.requiresCompatibilities;
      if (!Array.isArray(compat) || !compat.includes("FARGATE")) continue;
      const { cpu, memory } = r.inputs;
      if (isUnknown(cpu) || isUnknown(memory)) {
        out.push(skip(r, "cpu, memory", "computed at deploy time"));
        continue;
      }
      const problem = fargateSizeProblem(Number(cpu), Number(memory));
      if (problem)
        out.push(
          violation(r, "cpu, memory", `${String(cpu)} CPU units with ${String(memory)} MiB: ${problem}`),
        );
    }
    return out;
  },
};
