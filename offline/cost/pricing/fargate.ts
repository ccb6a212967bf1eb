/** Pricing of ECS services on Fargate and Fargate Spot: desired tasks × their task definition's size. */
import { PlannedResource } from "../../engine";
import { plural } from "../lines";
import { T } from "../resource-types";
import { addHourly, capacityPrice, isObject, list, num, Pricing, str } from "./context";

/** The task definition an ECS service runs: by ARN, else by family (`family` or `family:revision`). */
function taskDefinitionOf(definitions: PlannedResource[], reference: string): PlannedResource | undefined {
  const family = reference.split("task-definition/").pop()?.split(":")[0];
  return (
    definitions.find((d) => d.state?.arn === reference || d.id === reference) ??
    definitions.find((d) => d.inputs.family === family)
  );
}

/** ECS services on Fargate: desired tasks × the task definition's CPU and memory. */
export function priceFargateServices(c: Pricing): void {
  const { p, refuse, ofType } = c;
  const definitions = ofType(T.taskDefinition);
  for (const svc of ofType(T.ecsService)) {
    const strategies = list(svc.inputs.capacityProviderStrategies).filter(isObject);
    const launch =
      str(svc.inputs.launchType) ??
      (strategies.length === 1 ? str(strategies[0].capacityProvider) : undefined) ??
      (strategies.length > 1 ? "a mix of capacity providers" : "EC2");
    if (launch !== "FARGATE" && launch !== "FARGATE_SPOT") {
      refuse(svc, `${launch} capacity is not in the price table (Fargate and Fargate Spot only)`);
      continue;
    }
    const spot = launch === "FARGATE_SPOT";
    const td = taskDefinitionOf(definitions, String(svc.inputs.taskDefinition ?? ""));
    if (!td) {
      refuse(svc, `its task definition ${String(svc.inputs.taskDefinition)} is not in the plan`);
      continue;
    }
    const platform = isObject(td.inputs.runtimePlatform) ? td.inputs.runtimePlatform : {};
    const os = str(platform.operatingSystemFamily) ?? "LINUX";
    const arch = str(platform.cpuArchitecture) ?? "X86_64";
    const fargate = p.fargate[arch];
    const vcpu = (num(td.inputs.cpu) ?? 0) / 1024;
    const gb = (num(td.inputs.memory) ?? 0) / 1024;
    if (os !== "LINUX" || !fargate) {
      refuse(svc, `Fargate ${os}/${arch} is not in the price table`);
      continue;
    }
    if (spot && arch !== "X86_64") {
      refuse(svc, `Fargate Spot runs no ${arch} tasks`);
      continue;
    }
    const extraStorage = num(
      isObject(td.inputs.ephemeralStorage) ? td.inputs.ephemeralStorage.sizeInGib : undefined,
    );
    if (extraStorage !== undefined && extraStorage > 20) {
      refuse(
        td,
        `ephemeral storage above the included 20 GiB (${extraStorage} GiB) is not in the price table`,
      );
    }
    const tasks = num(svc.inputs.desiredCount) ?? 0;
    const basis = `${plural(tasks, "task")} (desiredCount of ${svc.name}) × ${td.name}`;
    const kind = spot ? `Fargate Spot` : "Fargate";
    for (const [what, onDemand, each, size] of [
      ["vCPU", fargate.vcpuHour, vcpu, `${vcpu} vCPU`],
      ["memory", fargate.gbHour, gb, `${gb} GB`],
    ] as const) {
      const { price, onSpot } = capacityPrice(c, onDemand, spot);
      addHourly(
        c,
        `${kind} ${what} (Linux/${arch})`,
        price,
        tasks * each,
        `${basis} ${size}`,
        T.ecsService,
        onSpot,
      );
    }
  }
}
