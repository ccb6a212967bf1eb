/**
 * Pricing of Kubernetes capacity: EKS control planes, managed node groups (nodes and root volumes)
 * and Karpenter NodePools (their expected node-hours, on Spot and on-demand, and root volumes).
 */
import { PlannedResource } from "../../engine";
import { plural, roundQuantity } from "../lines";
import { T } from "../resource-types";
import { addHourly, capacityPrice, isObject, list, num, Pricing, str } from "./context";

/** EKS control planes, at the support tier of the assumptions. */
export function priceEksControlPlanes(c: Pricing): void {
  const { p, use, ofType } = c;
  const clusters = ofType(T.eksCluster);
  if (clusters.length > 0) {
    const support = use("eksSupport");
    const versions = [...new Set(clusters.map((k) => str(k.inputs.version) ?? "?"))].join(", ");
    addHourly(
      c,
      `EKS control plane (${support} support)`,
      support === "extended" ? p.eksExtendedSupportClusterHour : p.eksClusterHour,
      clusters.length,
      `${clusters.length} × ${T.eksCluster} (Kubernetes ${versions})`,
      T.eksCluster,
    );
  }
}

/** The launch template a node group names, by ID or by name. */
function launchTemplateOf(templates: PlannedResource[], ng: PlannedResource): PlannedResource | undefined {
  const ref = isObject(ng.inputs.launchTemplate) ? ng.inputs.launchTemplate : undefined;
  if (!ref) return undefined;
  return templates.find(
    (t) =>
      (ref.id !== undefined && t.id === ref.id) || (ref.name !== undefined && t.inputs.name === ref.name),
  );
}

/** Managed node groups: desired nodes of the first listed instance type, and their root volumes. */
export function priceNodeGroups(c: Pricing): void {
  const { p, lines, refuse, ofType, region } = c;
  const templates = ofType(T.launchTemplate);
  for (const ng of ofType(T.nodeGroup)) {
    const scaling = isObject(ng.inputs.scalingConfig) ? ng.inputs.scalingConfig : {};
    const desired = num(scaling.desiredSize) ?? num(scaling.minSize) ?? 0;
    const capacity = str(ng.inputs.capacityType) ?? "ON_DEMAND";
    const lt = launchTemplateOf(templates, ng);
    const types = list(ng.inputs.instanceTypes).map(String);
    const instanceType = types[0] ?? str(lt?.inputs.instanceType) ?? "t3.medium";
    const ami = str(ng.inputs.amiType) ?? "";
    const spot = capacity === "SPOT";
    if (capacity !== "ON_DEMAND" && !spot) {
      refuse(ng, `${capacity} capacity is not in the price table (on-demand and Spot only)`);
    } else if (ami.includes("WINDOWS")) {
      refuse(ng, `${ami} nodes are not in the price table (Linux only)`);
    } else if (!p.ec2OnDemandHour[instanceType]) {
      refuse(ng, `no on-demand price for ${instanceType} in ${region}`);
    } else {
      const choice =
        types.length > 1
          ? spot
            ? `, priced as the first of ${types.join(", ")}`
            : `, the first of ${types.join(", ")} (on-demand node groups launch the listed types in order)`
          : "";
      const { price, onSpot } = capacityPrice(c, p.ec2OnDemandHour[instanceType], spot);
      addHourly(
        c,
        `EC2 ${instanceType} (${spot ? "Spot" : "on-demand"}, Linux)`,
        price,
        desired,
        `${plural(desired, "node")} (desiredSize of ${ng.name})${choice}`,
        T.nodeGroup,
        onSpot,
      );
    }
    const ebs = lt
      ? list(lt.inputs.blockDeviceMappings)
          .map((m) => (isObject(m) ? m.ebs : undefined))
          .find(isObject)
      : undefined;
    const size = num(ebs?.volumeSize) ?? num(ng.inputs.diskSize) ?? 20;
    const volumeType = str(ebs?.volumeType) ?? "gp3";
    const volumePrice = p.ebsGbMonth[volumeType];
    if (!volumePrice) {
      refuse(ng, `no price for ${volumeType} volumes in ${region}`);
    } else {
      const from = ebs ? `launch template ${lt?.name}` : "node group default, volume type assumed gp3";
      lines.add(
        `EBS ${volumeType} volume (node root)`,
        volumePrice,
        desired * size,
        `${plural(desired, "node")} of ${ng.name} × ${size} GiB (${from})`,
        T.nodeGroup,
      );
    }
  }
}

/** The instance type an agent NodePool is priced as: its first family's `large`, else by architecture. */
const REFERENCE_AGENT_TYPE: Readonly<Record<string, string>> = { amd64: "m6i.large", arm64: "m6g.large" };

/** Minutes between runs of a cron schedule that runs every N minutes, or undefined for any other. */
function everyMinutes(schedule: string): number | undefined {
  if (schedule === "* * * * *") return 1;
  if (/^\d+ \* \* \* \*$/.test(schedule)) return 60;
  const m = /^\*\/(\d+) \* \* \* \*$/.exec(schedule);
  return m ? Number(m[1]) : undefined;
}

/** A Karpenter duration (`30s`, `5m`, `1h`) in minutes; undefined for `Never` or another form. */
function durationMinutes(duration: unknown): number | undefined {
  const m = /^(\d+)(s|m|h)$/.exec(String(duration));
  return m ? Number(m[1]) * { s: 1 / 60, m: 1, h: 60 }[m[2] as "s" | "m" | "h"] : undefined;
}

/**
 * Agent node-hours a month that CronJobs whose pods select the pool's nodes keep up, or undefined
 * when none does. Each run needs an agent node: when none is up, Karpenter launches one, which
 * stays `checkRunNodeMinutes` plus the pool's `consolidateAfter`. Runs closer together than that
 * keep one node up all month. Hours shared with builds are counted twice (an upper bound).
 */
function scheduledCheckHours(
  c: Pricing,
  poolLabels: Record<string, unknown>,
  consolidateAfter: unknown,
): { hours: number; basis: string } | undefined {
  const intervals: { job: PlannedResource; minutes: number }[] = [];
  for (const job of c.ofType(T.cronJob)) {
    const spec = isObject(job.inputs.spec) ? job.inputs.spec : {};
    const template = isObject(spec.jobTemplate) ? spec.jobTemplate : {};
    const jobSpec = isObject(template.spec) ? template.spec : {};
    const podTemplate = isObject(jobSpec.template) ? jobSpec.template : {};
    const podSpec = isObject(podTemplate.spec) ? podTemplate.spec : {};
    const selector = isObject(podSpec.nodeSelector) ? podSpec.nodeSelector : {};
    const entries = Object.entries(selector);
    if (entries.length === 0 || !entries.every(([k, v]) => poolLabels[k] === v)) continue;
    const minutes = everyMinutes(String(spec.schedule));
    if (minutes === undefined) c.refuse(job, `its schedule ${String(spec.schedule)} is not every N minutes`);
    else intervals.push({ job, minutes });
  }
  if (intervals.length === 0) return undefined;
  const { job, minutes } = intervals.reduce((a, b) => (b.minutes < a.minutes ? b : a));
  const stay = durationMinutes(consolidateAfter);
  const perRun = stay === undefined ? undefined : c.use("checkRunNodeMinutes") + stay;
  const H = c.hours;
  if (perRun === undefined || minutes <= perRun) {
    return {
      hours: H,
      basis: `one node all month: ${job.name} runs every ${minutes} min, and a node stays ${perRun ?? "for ever"} min a run (checkRunNodeMinutes + consolidateAfter ${String(consolidateAfter)})`,
    };
  }
  const runs = (H * 60) / minutes;
  return {
    hours: roundQuantity((runs * perRun) / 60),
    basis: `${roundQuantity(runs)} runs of ${job.name} (every ${minutes} min) × ${perRun} min (checkRunNodeMinutes + consolidateAfter ${String(consolidateAfter)})`,
  };
}

/**
 * Karpenter NodePools: the node-hours their `jenkins-agent-bridge/expected-node-hours-per-month`
 * annotation states (the stack's `agentNodes.expectedNodeHoursPerMonth`), and the hours scheduled
 * checks on agent nodes keep them up; on Spot for the assumed share when the pool allows Spot,
 * priced as a reference instance type, plus their root volumes.
 */
export function priceNodePools(c: Pricing): void {
  const { p, hours: H, lines, refuse, ofType, region } = c;
  const classes = ofType(T.nodeClass);
  for (const pool of ofType(T.nodePool)) {
    const metadata = isObject(pool.inputs.metadata) ? pool.inputs.metadata : {};
    const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
    const expected = num(annotations["jenkins-agent-bridge/expected-node-hours-per-month"]);
    const spec = isObject(pool.inputs.spec) ? pool.inputs.spec : {};
    const templateOf = isObject(spec.template) ? spec.template : {};
    const template = isObject(templateOf.spec) ? templateOf.spec : {};
    const poolLabels =
      isObject(templateOf.metadata) && isObject(templateOf.metadata.labels) ? templateOf.metadata.labels : {};
    const requirements = list(template.requirements).filter(isObject);
    const values = (key: string) => list(requirements.find((r) => r.key === key)?.values).map(String);
    if (expected === undefined) {
      refuse(pool, "no expected node-hours annotation to price it by");
      continue;
    }
    const family = values("karpenter.k8s.aws/instance-family")[0];
    const byFamily = family !== undefined ? `${family}.large` : undefined;
    const instanceType =
      byFamily !== undefined && p.ec2OnDemandHour[byFamily]
        ? byFamily
        : REFERENCE_AGENT_TYPE[values("kubernetes.io/arch")[0] ?? "amd64"];
    const onDemand = instanceType ? p.ec2OnDemandHour[instanceType] : undefined;
    if (!instanceType || !onDemand) {
      refuse(pool, `no on-demand price for its reference instance type in ${region}`);
      continue;
    }
    const spotAllowed = values("karpenter.sh/capacity-type").includes("spot");
    const spotShare = spotAllowed ? c.use("agentSpotShare") : 0;
    const checks = scheduledCheckHours(
      c,
      poolLabels,
      isObject(spec.disruption) ? spec.disruption.consolidateAfter : undefined,
    );
    const sources = [
      {
        what: "agent nodes",
        hours: expected,
        basis: `${expected} node-hours (expected-node-hours-per-month of ${pool.name})`,
      },
      ...(checks ? [{ what: "agent nodes for scheduled checks", ...checks }] : []),
    ];
    for (const source of sources) {
      const basis = `${source.basis}, priced as ${instanceType}`;
      if (spotShare > 0) {
        lines.add(
          `EC2 ${instanceType} (${source.what}, Spot, Linux)`,
          capacityPrice(c, onDemand, true).price,
          source.hours * spotShare,
          `${basis} × ${spotShare} on Spot (agentSpotShare)`,
          T.nodePool,
        );
      }
      if (spotShare < 1) {
        lines.add(
          `EC2 ${instanceType} (${source.what}, on-demand, Linux)`,
          onDemand,
          source.hours * (1 - spotShare),
          spotAllowed
            ? `${basis} × ${roundQuantity(1 - spotShare)} on-demand fallback`
            : `${basis}, on-demand only`,
          T.nodePool,
        );
      }
    }
    const hours = sources.reduce((n, source) => n + source.hours, 0);
    const nodeClassName = isObject(template.nodeClassRef) ? template.nodeClassRef.name : undefined;
    const nodeClass = classes.find(
      (k) => isObject(k.inputs.metadata) && k.inputs.metadata.name === nodeClassName,
    );
    const classSpec = nodeClass && isObject(nodeClass.inputs.spec) ? nodeClass.inputs.spec : {};
    const root = list(classSpec.blockDeviceMappings)
      .filter(isObject)
      .map((m) => (isObject(m.ebs) ? m.ebs : {}))[0];
    const sizeGiB = num(String(root?.volumeSize ?? "").replace(/Gi$/, ""));
    const volumeType = str(root?.volumeType) ?? "gp3";
    if (sizeGiB === undefined || !p.ebsGbMonth[volumeType]) {
      refuse(pool, `no root volume of a priced type in its node class ${String(nodeClassName)}`);
      continue;
    }
    lines.add(
      `EBS ${volumeType} volume (agent node root)`,
      p.ebsGbMonth[volumeType],
      (hours / H) * sizeGiB,
      `${roundQuantity(hours)} node-hours / ${H} h × ${sizeGiB} GiB (node class ${nodeClass?.name})`,
      T.nodePool,
    );
  }
}
