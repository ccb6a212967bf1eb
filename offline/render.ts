/**
 * Renders a {@link Plan}: as a readable tree (components, their children, and the settings that
 * matter), or as JSON for tools and tests.
 */
import { Plan, PlannedResource } from "./engine";
import { MONITORING_SUMMARIES } from "./render-monitoring";
import { TYPES } from "../policy/lib/types";

type Inputs = Record<string, unknown>;
/** Names a resource by an ID or ARN it was given, for readable references. */
type Namer = (value: unknown) => string;

const onOff = (v: unknown) => (v === true ? "on" : "off");
const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);

function principals(policyText: unknown): string {
  try {
    const doc = JSON.parse(String(policyText)) as {
      Statement: { Principal?: { Service?: string | string[] } }[];
    };
    return doc.Statement.flatMap((s) => [s.Principal?.Service ?? []].flat()).join(", ");
  } catch {
    return String(policyText);
  }
}

function actions(policyText: unknown): string {
  try {
    const doc = JSON.parse(String(policyText)) as { Statement: { Action: string | string[] }[] };
    return doc.Statement.flatMap((s) => [s.Action].flat()).join(", ");
  } catch {
    return String(policyText);
  }
}

/** The settings worth a glance, by resource type. */
const SUMMARIES: Record<string, (inputs: Inputs, name: Namer) => string> = {
  [TYPES.vpc]: (i) =>
    `${i.cidrBlock}, DNS support ${onOff(i.enableDnsSupport)}, DNS hostnames ${onOff(i.enableDnsHostnames)}`,
  [TYPES.defaultSg]: (i) =>
    `default group taken over: ${count(i.ingress)} ingress, ${count(i.egress)} egress rules`,
  [TYPES.subnet]: (i) =>
    `${i.cidrBlock} in ${i.availabilityZoneId}, ${(i.tags as Inputs | undefined)?.Tier ?? "?"}, public IP on launch ${onOff(i.mapPublicIpOnLaunch)}`,
  [TYPES.eip]: (i) => `elastic IP (${i.domain})`,
  [TYPES.nat]: (i, name) => `${i.connectivityType} NAT in ${name(i.subnetId)}`,
  [TYPES.route]: (i, name) =>
    `${i.destinationCidrBlock} -> ${name(i.gatewayId ?? i.natGatewayId ?? i.vpcEndpointId ?? i.transitGatewayId)}`,
  [TYPES.association]: (i, name) => `${name(i.subnetId)} -> ${name(i.routeTableId)}`,
  [TYPES.logGroup]: (i) => `retention ${i.retentionInDays} days`,
  [TYPES.role]: (i) => `assumed by ${principals(i.assumeRolePolicy)}`,
  [TYPES.rolePolicy]: (i) => `allows ${actions(i.policy)}`,
  [TYPES.securityGroup]: (i) => `"${i.description}"`,
  [TYPES.ingressRule]: (i, name) =>
    `in ${i.ipProtocol} ${i.fromPort} from ${i.cidrIpv4 ?? name(i.referencedSecurityGroupId)}`,
  [TYPES.egressRule]: (i, name) =>
    `out ${i.ipProtocol} ${i.fromPort} to ${i.cidrIpv4 ?? name(i.referencedSecurityGroupId)}`,
  [TYPES.kmsKey]: (i) =>
    `rotation ${onOff(i.enableKeyRotation)}, deletion window ${i.deletionWindowInDays} days`,
  [TYPES.fileSystem]: (i, name) =>
    `encrypted ${onOff(i.encrypted)} with ${name(i.kmsKeyId)}, ${i.throughputMode} throughput`,
  [TYPES.accessPoint]: (i) => {
    const user = i.posixUser as Inputs;
    return `uid ${user.uid} gid ${user.gid}, root ${(i.rootDirectory as Inputs).path}`;
  },
  [TYPES.mountTarget]: (i, name) => `in ${name(i.subnetId)}`,
  [TYPES.secret]: (i, name) =>
    `encrypted with ${name(i.kmsKeyId)}, recovery window ${i.recoveryWindowInDays} days`,
  [TYPES.secretVersion]: (i) => `value ${i.secretString}`,
  [TYPES.loadBalancer]: (i) =>
    i.loadBalancerType === "network"
      ? `network, ${i.internal ? "internal" : "internet-facing"}, cross-zone ${onOff(i.enableCrossZoneLoadBalancing)}, deletion protection ${onOff(i.enableDeletionProtection)}`
      : `${i.loadBalancerType}, ${i.internal ? "internal" : "internet-facing"}, idle ${i.idleTimeout ?? 60} s, drop invalid headers ${onOff(i.dropInvalidHeaderFields)}, deletion protection ${onOff(i.enableDeletionProtection)}`,
  [TYPES.targetGroup]: (i) =>
    `${i.protocol} ${i.port} to ${i.targetType} targets, health ${(i.healthCheck as Inputs | undefined)?.path ?? (i.healthCheck as Inputs | undefined)?.protocol ?? "default"}`,
  [TYPES.listener]: (i) => {
    const action = (i.defaultActions as Inputs[])[0];
    return `${i.protocol} ${i.port} -> ${action.type}${i.sslPolicy ? `, ${i.sslPolicy}` : ""}`;
  },
  [TYPES.ecsCluster]: (i) =>
    (i.settings as Inputs[] | undefined)?.map((s) => `${s.name} ${s.value}`).join(", ") ?? "",
  [TYPES.taskDefinition]: (i) => {
    const containers = JSON.parse(String(i.containerDefinitions)) as Inputs[];
    const ports = containers.flatMap((c) =>
      ((c.portMappings as Inputs[] | undefined) ?? []).map((p) => p.containerPort),
    );
    return `cpu ${i.cpu}, memory ${i.memory} MiB, containers ${containers.map((c) => c.name).join(" then ")}, ports ${ports.join(", ")}`;
  },
  [TYPES.clusterCapacityProviders]: (i) => `offers ${(i.capacityProviders as string[]).join(", ")}`,
  [TYPES.ecsService]: (i) =>
    `${i.launchType ?? (i.capacityProviderStrategies as Inputs[]).map((s) => s.capacityProvider).join(", ")}, desired ${i.desiredCount}, healthy ${i.deploymentMinimumHealthyPercent}-${i.deploymentMaximumPercent} %, rollback ${onOff((i.deploymentCircuitBreaker as Inputs).rollback)}, grace ${i.healthCheckGracePeriodSeconds} s`,
  [TYPES.backupPlan]: (i) => {
    const rule = (i.rules as Inputs[])[0];
    return `${rule.schedule}, kept ${(rule.lifecycle as Inputs).deleteAfter} days`;
  },
  [TYPES.endpointService]: (i, name) =>
    `acceptance required ${onOff(i.acceptanceRequired)}, behind ${(i.networkLoadBalancerArns as string[]).map(name).join(", ")}`,
  [TYPES.allowedPrincipal]: (i) => `allows ${i.principalArn}`,
  [TYPES.endpoint]: (i, name) =>
    `${i.vpcEndpointType} in ${name(i.vpcId)}, ${(i.subnetIds as string[]).length} subnets, private DNS ${onOff(i.privateDnsEnabled)}`,
  [TYPES.accepter]: (i, name) => `accepts ${name(i.vpcEndpointId)} on ${name(i.vpcEndpointServiceId)}`,
  [TYPES.zone]: (i, name) =>
    `${i.name}, private to ${((i.vpcs as Inputs[] | undefined) ?? []).map((v) => name(v.vpcId)).join(", ")}`,
  [TYPES.record]: (i) => `${i.name} ${i.type} (alias)`,
  [TYPES.certificate]: (i) => (i.certificateBody ? "imported" : `for ${i.domainName}`),
  [TYPES.privateKey]: (i) => `${i.algorithm} ${i.ecdsaCurve ?? i.rsaBits ?? ""}`.trim(),
  [TYPES.selfSignedCert]: (i) =>
    `${i.isCaCertificate ? "CA, " : ""}valid ${Math.round(Number(i.validityPeriodHours) / 24)} days`,
  [TYPES.locallySignedCert]: (i) => `valid ${Math.round(Number(i.validityPeriodHours) / 24)} days`,
  [TYPES.certRequest]: (i) => `for ${((i.dnsNames as string[] | undefined) ?? []).join(", ")}`,
  [TYPES.eksCluster]: (i) => {
    const vpc = i.vpcConfig as Inputs;
    return `Kubernetes ${i.version}, ${(i.accessConfig as Inputs).authenticationMode} auth, private endpoint ${onOff(vpc.endpointPrivateAccess)}, public endpoint for ${((vpc.publicAccessCidrs as string[] | undefined) ?? []).join(" ")}, logs ${(i.enabledClusterLogTypes as string[]).join(" ")}`;
  },
  [TYPES.nodeGroup]: (i) => {
    const sizes = i.scalingConfig as Inputs;
    const labels = Object.entries((i.labels as Inputs | undefined) ?? {}).map(([k, v]) => `${k}=${v}`);
    return `${(i.instanceTypes as string[]).join(", ")} ${i.amiType} ${i.capacityType ?? "ON_DEMAND"}, ${sizes.minSize}-${sizes.maxSize} nodes (${sizes.desiredSize} at first)${labels.length > 0 ? `, labels ${labels.join(" ")}` : ""}`;
  },
  [TYPES.launchTemplate]: (i) => {
    const m = i.metadataOptions as Inputs | undefined;
    return m ? `IMDS tokens ${m.httpTokens}, hop limit ${m.httpPutResponseHopLimit}` : "";
  },
  [TYPES.accessEntry]: (i) => `${i.principalArn}`,
  [TYPES.accessPolicy]: (i) =>
    `${String(i.policyArn).split("/").pop()} on the ${(i.accessScope as Inputs).type}`,
  [TYPES.addon]: (i) => `${i.addonName} ${i.configurationValues ?? ""}`.trim(),
  [TYPES.namespace]: (i) =>
    `${(i.metadata as Inputs).name}, pod security ${((i.metadata as Inputs).labels as Inputs)["pod-security.kubernetes.io/enforce"]}`,
  [TYPES.quota]: (i) =>
    Object.entries((i.spec as Inputs).hard as Inputs)
      .map(([k, v]) => `${k}=${v}`)
      .join(" "),
  [TYPES.deployment]: (i) => {
    const spec = i.spec as Inputs;
    const container = (((spec.template as Inputs).spec as Inputs).containers as Inputs[])[0];
    return `${spec.replicas} x ${container.image}`;
  },
  [TYPES.k8sService]: (i) =>
    `${(i.spec as Inputs).type} ${((i.spec as Inputs).ports as Inputs[]).map((p) => p.port).join(", ")}`,
  [TYPES.networkPolicy]: (i) => `${((i.spec as Inputs).policyTypes as string[]).join(" and ")} restricted`,
  [TYPES.nodePool]: (i) => nodePoolSummary(i.spec as Inputs),
  [TYPES.helmRelease]: (i) => `${i.chart} ${i.version} in ${i.namespace}`,
  [TYPES.queue]: (i) =>
    `SSE ${i.sqsManagedSseEnabled ? "on (SQS-managed)" : "off"}, messages kept ${i.messageRetentionSeconds} s`,
  [TYPES.eventRule]: (i) =>
    ((JSON.parse(String(i.eventPattern)) as Inputs)["detail-type"] as string[]).join(", "),
  [TYPES.flowLog]: (i, name) =>
    `${i.trafficType} traffic of ${name(i.vpcId)} -> ${i.logDestinationType} ${name(i.logDestination)}, ${i.maxAggregationInterval} s windows`,
  ...MONITORING_SUMMARIES,
};

/** A NodePool in one line: limits, capacity types, taints, consolidation and expiry. */
function nodePoolSummary(spec: Inputs): string {
  const template = (spec.template as Inputs).spec as Inputs;
  const requirement = (key: string) =>
    ((template.requirements as Inputs[]).find((r) => r.key === key)?.values as string[] | undefined)?.join(
      "/",
    ) ?? "any";
  const limits = spec.limits as Inputs;
  const disruption = spec.disruption as Inputs;
  const taints = (template.taints as Inputs[]).map((t) => `${t.key}=${t.value}:${t.effect}`).join(" ");
  return `limits ${limits.cpu} vCPU ${limits.memory}, ${requirement("karpenter.sh/capacity-type")}, ${requirement("kubernetes.io/arch")}, taint ${taints}, ${disruption.consolidationPolicy} after ${disruption.consolidateAfter}, expire after ${template.expireAfter}`;
}

/** `aws:ec2/vpc:Vpc` -> `aws.ec2.Vpc`; `pulumi:providers:aws` -> `provider aws`. */
export function shortType(type: string): string {
  const [pkg, module, kind] = type.split(":");
  return pkg === "pulumi" && module === "providers"
    ? `provider ${kind}`
    : `${pkg}.${module.split("/")[0]}.${kind}`;
}

function namer(plan: Plan): Namer {
  const names = new Map<string, string>();
  for (const r of plan.resources) {
    if (r.id) names.set(r.id, r.name);
    if (typeof r.state?.arn === "string") names.set(r.state.arn, r.name);
  }
  return (value) => (value === undefined ? "?" : (names.get(String(value)) ?? String(value)));
}

/** The plan as an indented tree, outputs after it, and a final `N resources` line. */
export function renderTree(plan: Plan, heading: string): string {
  const name = namer(plan);
  const children = new Map<string | undefined, PlannedResource[]>();
  const urns = new Set(plan.resources.map((r) => r.urn));
  for (const r of plan.resources) {
    const parent = r.parent && urns.has(r.parent) ? r.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const lines = [heading, ""];
  const walk = (parent: string | undefined, indent: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const branch = parent === undefined ? "" : last ? "└─ " : "├─ ";
      const summary = SUMMARIES[r.type]?.(r.inputs, name);
      const label = r.custom ? shortType(r.type) : `${r.type.split(":").pop()} (component)`;
      lines.push(`${indent}${branch}${label} ${r.name}${summary ? `  ${summary}` : ""}`);
      walk(r.urn, parent === undefined ? indent : indent + (last ? "   " : "│  "));
    });
  };
  walk(undefined, "");
  lines.push("", "Outputs:");
  for (const [key, value] of Object.entries(plan.outputs)) {
    const text = typeof value === "string" && !value.includes("\n") ? value : JSON.stringify(value);
    lines.push(`  ${key}: ${text}`);
  }
  const components = plan.resources.filter((r) => !r.custom).length;
  lines.push(
    "",
    `${plan.resources.length - components} cloud resources and providers, ${components} components`,
  );
  lines.push(`${plan.resources.length} resources`);
  return lines.join("\n");
}

/**
 * The plan as plain data, as `--json` prints it: project, stack, resources (type, name, custom,
 * provider, parent, protect, inputs), outputs. Also what `--diff` compares.
 */
export function planData(plan: Plan) {
  const shortUrn = (urn: string | undefined) => (urn ? urn.split("::").slice(-2).join("::") : null);
  return {
    project: plan.project,
    stack: plan.stack,
    resources: plan.resources.map((r) => ({
      type: r.type,
      name: r.name,
      custom: r.custom,
      provider: r.provider ?? null,
      parent: shortUrn(r.parent),
      protect: r.protect,
      inputs: r.inputs,
    })),
    outputs: plan.outputs,
  };
}

/** The plan as JSON ({@link planData}). */
export function planJson(plan: Plan): string {
  return JSON.stringify(planData(plan), null, 2);
}
