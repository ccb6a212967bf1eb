/** Hand-built plans and the helpers the cost tests share. */
import * as assert from "assert";
import { CostEstimate, estimateCost } from "../../../offline/cost";
import { Plan, PlannedResource } from "../../../offline/engine";
import { T } from "../../harness/plan";

/** A declared custom resource, as a mock run records it. */
export function res(
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
  extra: Partial<PlannedResource> = {},
): PlannedResource {
  return {
    urn: `urn:pulumi:test::jenkins-agent-bridge::${type}::${name}`,
    type,
    name,
    custom: true,
    protect: false,
    inputs,
    ...extra,
  };
}

export const planOf = (...resources: PlannedResource[]): Plan => ({
  project: "jenkins-agent-bridge",
  stack: "test",
  resources,
  outputs: {},
});

/** The figures of each line, without the prose. */
export const figures = (e: CostEstimate) =>
  e.lines.map(({ item, quantity, unit, unitPrice, monthlyUsd }) => ({
    item,
    quantity,
    unit,
    unitPrice,
    monthlyUsd,
  }));
export const line = (e: CostEstimate, item: string) => {
  const found = e.lines.find((l) => l.item === item);
  assert.ok(found, `no line "${item}" in ${e.lines.map((l) => l.item).join(", ")}`);
  return found;
};

/** One NAT gateway with its address, an internal NLB, an interface endpoint in two zones, a key and a secret. */
export const network = () =>
  planOf(
    res("pulumi:providers:aws", "default"),
    res("jenkins-agent-bridge:network:Network", "master", {}, { custom: false }),
    res(T.vpc, "master", { cidrBlock: "10.10.0.0/16" }),
    res(T.eip, "master-nat-0", { domain: "vpc" }),
    res(T.nat, "master-nat-0", { connectivityType: "public" }),
    res(T.loadBalancer, "gateway-nlb", { loadBalancerType: "network", internal: true, subnets: ["a", "b"] }),
    res(T.listener, "gateway-443", { port: 443 }),
    res(T.endpoint, "gateway-endpoint", { vpcEndpointType: "Interface", subnetIds: ["c", "d"] }),
    res(T.kmsKey, "key", { enableKeyRotation: true }),
    res(T.secret, "admin"),
    res(T.secretVersion, "admin"),
    res("kubernetes:core/v1:Namespace", "agents"),
    res("tls:index/privateKey:PrivateKey", "ca"),
  );
export const NETWORK_USAGE = { natGbPerGateway: 100, nlbNlcuPerHour: 1, endpointGbPerEndpoint: 10 };

/** An EKS cluster with logging, two m6i.xlarge nodes, two ARM Fargate tasks, EFS elastic, flow logs. */
export const compute = () =>
  planOf(
    res(T.eksCluster, "agents", {
      name: "agents-test",
      version: "1.34",
      enabledClusterLogTypes: ["api", "audit"],
    }),
    res(T.logGroup, "agents-control-plane", { name: "/aws/eks/agents-test/cluster" }),
    res(
      T.launchTemplate,
      "agents-nodes",
      { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 40, volumeType: "gp3" } }] },
      { id: "lt-1" },
    ),
    res(T.nodeGroup, "agents-nodes", {
      capacityType: "ON_DEMAND",
      instanceTypes: ["m6i.xlarge", "m6a.xlarge"],
      launchTemplate: { id: "lt-1", version: "1" },
      scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 4 },
    }),
    res(
      T.taskDefinition,
      "task",
      { family: "test-task", cpu: "512", memory: "1024", runtimePlatform: { cpuArchitecture: "ARM64" } },
      { state: { arn: "arn:aws:ecs:eu-west-1:123456789012:task-definition/test-task:1" } },
    ),
    res(T.ecsService, "service", {
      launchType: "FARGATE",
      desiredCount: 2,
      taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/test-task:1",
    }),
    res(T.fileSystem, "home", { throughputMode: "elastic" }),
    res(T.logGroup, "flow", { namePrefix: "/vpc-flow-logs/master-", retentionInDays: 30 }),
    res(T.flowLog, "flow", {
      logDestinationType: "cloud-watch-logs",
      logDestination: "arn:aws:logs:eu-west-1:123456789012:log-group:/vpc-flow-logs/master-abc",
    }),
  );

/** The estimate of {@link network} with {@link NETWORK_USAGE}. */
export const estimateNetwork = () => estimateCost(network(), "us-east-1", NETWORK_USAGE);
/** The same with a second NAT gateway and its address. */
export const estimateNetworkWithTwoNats = () => {
  const plan = network();
  return estimateCost(
    { ...plan, resources: [...plan.resources, res(T.eip, "master-nat-1"), res(T.nat, "master-nat-1")] },
    "us-east-1",
    NETWORK_USAGE,
  );
};
