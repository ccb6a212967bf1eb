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

/**
 * Karpenter NodePools: the node-hours their `jenkins-agent-bridge/expected-node-hours-per-month`
 * annotation states (the stack's `agentNodes.expectedNodeHoursPerMonth`), on Spot for the assumed
 * share when the pool allows Spot, priced as a reference instance type, plus their root volumes.
 * Agent capacity is zero when no build runs, so the hours are all an assumption.
 */
export function priceNodePools(c: Pricing): void {
  const { p, hours: H, lines, refuse, ofType, region } = c;
  const classes = ofType(T.nodeClass);
  for (const pool of ofType(T.nodePool)) {
    const metadata = isObject(pool.inputs.metadata) ? pool.inputs.metadata : {};
    const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
    const hours = num(annotations["jenkins-agent-bridge/expected-node-hours-per-month"]);
    const spec = isObject(pool.inputs.spec) ? pool.inputs.spec : {};
    const template = isObject(spec.template) && isObject(spec.template.spec) ? spec.template.spec : {};
    const requirements = list(template.requirements).filter(isObject);
    const values = (key: string) => list(requirements.find((r) => r.key === key)?.values).map(String);
    if (hours === undefined) {
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
    const basis = `${hours} node-hours (expected-node-hours-per-month of ${pool.name}), priced as ${instanceType}`;
    if (spotShare > 0) {
      lines.add(
        `EC2 ${instanceType} (agent nodes, Spot, Linux)`,
        capacityPrice(c, onDemand, true).price,
        hours * spotShare,
        `${basis} × ${spotShare} on Spot (agentSpotShare)`,
        T.nodePool,
      );
    }
    if (spotShare < 1) {
      lines.add(
        `EC2 ${instanceType} (agent nodes, on-demand, Linux)`,
        onDemand,
        hours * (1 - spotShare),
        spotAllowed
          ? `${basis} × ${roundQuantity(1 - spotShare)} on-demand fallback`
          : `${basis}, on-demand only`,
        T.nodePool,
      );
    }
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
      `${hours} node-hours / ${H} h × ${sizeGiB} GiB (node class ${nodeClass?.name})`,
      T.nodePool,
    );
  }
}
