/**
 * Files rendered by the program, recovered from what it declared, so `npm run plan --out DIR`
 * shows exactly what a deployment would deliver.
 */
import { Plan } from "./engine";
import { TYPES } from "../policy/lib/types";

interface Container {
  readonly name: string;
  readonly environment?: { name: string; value: string }[];
}

/** The JCasC file the controller's init container writes, decoded from its environment. */
export function deliveredJcasc(plan: Plan): string | undefined {
  const task = plan.resources.find((r) => r.type === TYPES.taskDefinition);
  if (!task || typeof task.inputs.containerDefinitions !== "string") {
    return undefined;
  }
  const containers = JSON.parse(task.inputs.containerDefinitions) as Container[];
  const encoded = containers
    .flatMap((c) => c.environment ?? [])
    .find((variable) => variable.name === "CASC_YAML_BASE64")?.value;
  return encoded === undefined ? undefined : Buffer.from(encoded, "base64").toString("utf8");
}

/** The nginx.conf the agent proxy mounts (websocket stacks), from its ConfigMap. */
export function deliveredNginxConf(plan: Plan): string | undefined {
  const configMap = plan.resources.find(
    (r) =>
      r.type === TYPES.configMap && (r.inputs.data as Record<string, unknown> | undefined)?.["nginx.conf"],
  );
  return configMap ? String((configMap.inputs.data as Record<string, unknown>)["nginx.conf"]) : undefined;
}

/** The dashboard body (JSON, indented for reading), from the declared dashboard. */
export function deliveredDashboard(plan: Plan): string | undefined {
  const dashboard = plan.resources.find((r) => r.type === TYPES.dashboard);
  if (!dashboard || typeof dashboard.inputs.dashboardBody !== "string") return undefined;
  return `${JSON.stringify(JSON.parse(dashboard.inputs.dashboardBody), null, 2)}\n`;
}

/** Every rendered file of the plan, by file name. */
export function renderedFiles(plan: Plan): Record<string, string> {
  const files: Record<string, string> = {};
  const nginxConf = deliveredNginxConf(plan);
  if (nginxConf !== undefined) {
    files["nginx.conf"] = nginxConf;
  }
  const jcasc = deliveredJcasc(plan);
  if (jcasc !== undefined) {
    files["jenkins.yaml"] = jcasc;
  }
  const dashboard = deliveredDashboard(plan);
  if (dashboard !== undefined) {
    files["dashboard.json"] = dashboard;
  }
  return files;
}
