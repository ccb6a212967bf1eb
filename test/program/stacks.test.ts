/**
 * The whole program, once per committed stack, under the mock engine. Exact counts and inputs,
 * and what must not exist. What this does not prove: that AWS accepts these inputs, that the
 * names are free in an account, or that traffic flows; only a real `pulumi preview`/`up` can.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { decodeConfig, parseStackConfig, StackConfig } from "../../config";
import { mustParseCidr, overlaps } from "../../components/network/cidr";
import { natGatewayCount } from "../../components/network/nat";
import { runPlan } from "../../offline/engine";
import { applyOverrides, listStacks, readStack, STACKS_DIR } from "../../offline/stack-file";
import { planStack, PlanView, T } from "../harness/plan";

function configOf(stack: string): StackConfig {
  const parsed = parseStackConfig(decodeConfig(readStack(STACKS_DIR, stack).values));
  if (!parsed.ok) assert.fail(parsed.problems.join("\n"));
  return parsed.config;
}

/** Per stack: what the stack file asks for. */
interface Expected {
  region: string;
  zones: string[];
  /** NAT gateways per VPC. */
  nat: number;
  transport: string;
  /** UI over HTTPS (listeners 443 and 80) or HTTP only. */
  https: boolean;
  /** Ingress rules on the UI load balancer. */
  uiIngress: number;
  backups: boolean;
  /** The controller on Fargate Spot (its cluster then lists the FARGATE_SPOT provider). */
  spot: boolean;
}
const EXPECTED: Record<string, Expected> = {
  dev: {
    region: "us-east-1",
    zones: ["use1-az1", "use1-az2"],
    nat: 1,
    transport: "websocket",
    https: false,
    uiIngress: 1,
    backups: false,
    spot: true,
  },
  prod: {
    region: "eu-west-1",
    zones: ["euw1-az1", "euw1-az2", "euw1-az3"],
    nat: 3,
    transport: "websocket",
    https: true,
    uiIngress: 2,
    backups: true,
    spot: false,
  },
  tcp: {
    region: "us-east-1",
    zones: ["use1-az1", "use1-az2"],
    nat: 1,
    transport: "tcp",
    https: false,
    uiIngress: 1,
    backups: false,
    spot: false,
  },
};

describe("program", () => {
  it("has an expectation for every committed stack", () => {
    assert.deepStrictEqual(listStacks(STACKS_DIR), Object.keys(EXPECTED).sort());
  });

  for (const [stack, expected] of Object.entries(EXPECTED)) {
    describe(`stack ${stack}`, () => {
      let view: PlanView;
      let config: StackConfig;
      before(async () => {
        config = configOf(stack);
        view = await planStack(stack);
      });

      it("is valid and matches its intent", () => {
        assert.strictEqual(config.region, expected.region);
        assert.strictEqual(config.transport, expected.transport);
        for (const network of [config.masterNetwork, config.agentNetwork]) {
          assert.strictEqual(natGatewayCount(network.natStrategy, expected.zones.length), expected.nat);
        }
        assert.ok(
          !overlaps(
            mustParseCidr(config.masterNetwork.cidrBlock),
            mustParseCidr(config.agentNetwork.cidrBlock),
          ),
        );
      });

      it("declares exactly the expected resources", () => {
        const zones = expected.zones.length;
        const perNetwork: Record<string, number> = {
          [T.network]: 1,
          [T.vpc]: 1,
          [T.defaultSg]: 1,
          [T.igw]: 1,
          [T.subnet]: 2 * zones,
          [T.routeTable]: 1 + zones,
          [T.route]: 1 + zones,
          [T.association]: 2 * zones,
          [T.eip]: expected.nat,
          [T.nat]: expected.nat,
          [T.logGroup]: 1,
          // The flow logs' log group is encrypted with a key of the network's own.
          [T.kmsKey]: 1,
          [T.role]: 1,
          [T.rolePolicy]: 1,
          [T.flowLog]: 1,
        };
        const backup = expected.backups ? 1 : 0;
        const controller: Record<string, number> = {
          [T.controller]: 1,
          [T.kmsKey]: 1,
          [T.kmsAlias]: 1,
          [T.securityGroup]: 3,
          [T.ingressRule]: 2 + expected.uiIngress,
          [T.egressRule]: 3,
          [T.fileSystem]: 1,
          [T.accessPoint]: 1,
          [T.mountTarget]: zones,
          [T.fileSystemPolicy]: 1,
          [T.role]: 2 + backup,
          [T.rolePolicy]: 2,
          [T.password]: 1,
          [T.secret]: 1,
          [T.secretVersion]: 1,
          [T.logGroup]: 1,
          [T.loadBalancer]: 1,
          [T.targetGroup]: 1,
          [T.listener]: expected.https ? 2 : 1,
          [T.ecsCluster]: 1,
          [T.taskDefinition]: 1,
          [T.ecsService]: 1,
          ...(expected.spot ? { [T.clusterCapacityProviders]: 1 } : {}),
          ...(expected.backups
            ? { [T.backupVault]: 1, [T.backupPlan]: 1, [T.backupSelection]: 1, [T.rolePolicyAttachment]: 2 }
            : {}),
        };
        const tcp = expected.transport === "tcp";
        const gateway: Record<string, number> = {
          [T.gateway]: 1,
          [T.securityGroup]: 2,
          [T.loadBalancer]: 1,
          [T.targetGroup]: tcp ? 2 : 1,
          [T.listener]: tcp ? 2 : 1,
          [T.endpointService]: 1,
          [T.allowedPrincipal]: 1,
          [T.endpoint]: 1,
          [T.accepter]: 1,
          [T.ingressRule]: (tcp ? 2 : 1) + (tcp ? 2 : 1),
          [T.egressRule]: tcp ? 2 : 1,
          [T.zone]: 1,
          [T.record]: 1,
          ...(tcp
            ? {}
            : {
                [T.privateKey]: 2,
                [T.selfSignedCert]: 1,
                [T.certRequest]: 1,
                [T.locallySignedCert]: 1,
                [T.certificate]: 1,
              }),
        };
        const cluster: Record<string, number> = {
          [T.agentCluster]: 1,
          [T.kmsKey]: 1,
          [T.logGroup]: 1,
          [T.role]: 2,
          [T.rolePolicyAttachment]: 4,
          [T.eksCluster]: 1,
          [T.accessEntry]: 1,
          [T.accessPolicy]: 1,
          [T.launchTemplate]: 1,
          [T.nodeGroup]: 1,
          [T.addon]: 1,
          [T.k8sProvider]: 1,
          // The agent namespace and the controller's (its service account and token).
          [T.namespace]: 2,
          [T.limitRange]: 1,
          [T.quota]: 1,
          [T.serviceAccount]: 2,
          [T.k8sRole]: 1,
          [T.roleBinding]: 1,
          [T.k8sSecret]: 1,
          [T.networkPolicy]: 1,
          // The admission policy on agent pods, and its binding to the agent namespace.
          [T.admissionPolicy]: 1,
          [T.admissionBinding]: 1,
          // The controller keeps the cluster's token in a secret of its own.
          [T.secret]: 1,
          [T.secretVersion]: 1,
          // System nodes' own security group.
          [T.securityGroup]: 1,
        };
        // Karpenter: agent node role (3 policies), access entry and security group, the discovery
        // tag on the cluster group, the interruption queue with its policy and 5 rules with their
        // targets, the controller's role, policy and pod identity (with its agent add-on), the CRD
        // and controller charts, the node class and the node pool.
        const autoscaler: Record<string, number> = {
          [T.agentAutoscaler]: 1,
          [T.role]: 2,
          [T.rolePolicyAttachment]: 3,
          [T.rolePolicy]: 1,
          [T.accessEntry]: 1,
          [T.securityGroup]: 1,
          [T.ec2Tag]: 1,
          [T.queue]: 1,
          [T.queuePolicy]: 1,
          [T.eventRule]: 5,
          [T.eventTarget]: 5,
          [T.podIdentity]: 1,
          [T.addon]: 1,
          [T.helmRelease]: 2,
          [T.nodeClass]: 1,
          [T.nodePool]: 1,
        };
        const proxy: Record<string, number> = tcp
          ? {}
          : {
              [T.agentProxy]: 1,
              // The proxy's own namespace.
              [T.namespace]: 1,
              [T.configMap]: 1,
              [T.deployment]: 1,
              [T.k8sService]: 1,
              [T.pdb]: 1,
              [T.networkPolicy]: 1,
            };
        // Monitoring: the notification key and topic, the add-on with its identity and log groups,
        // the scheduled check and its two filters, the dashboard, and the alarms that apply: the
        // check, pending pods, the proxy (websocket), one per NAT gateway and gateway target group,
        // the certificate (TLS listener), controller down and restarting, UI health and 5xx.
        const monitoring: Record<string, number> = {
          [T.monitoring]: 1,
          [T.kmsKey]: 1,
          [T.kmsAlias]: 1,
          [T.topic]: 1,
          [T.topicPolicy]: 1,
          [T.logGroup]: 4,
          [T.role]: 1,
          [T.rolePolicyAttachment]: 1,
          // The observability add-on; the Pod Identity agent is the autoscaler's.
          [T.addon]: 1,
          [T.configMap]: 1,
          [T.cronJob]: 1,
          [T.logMetricFilter]: 2,
          [T.dashboard]: 1,
          [T.metricAlarm]: 2 + (tcp ? 0 : 1) + 2 * expected.nat + (tcp ? 2 : 1) + (tcp ? 0 : 1) + 4,
        };
        const counts: Record<string, number> = {};
        for (const r of view.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
        const expectedCounts: Record<string, number> = {};
        for (const [type, n] of Object.entries(perNetwork)) expectedCounts[type] = 2 * n;
        for (const [type, n] of [
          ...Object.entries(controller),
          ...Object.entries(gateway),
          ...Object.entries(cluster),
          ...Object.entries(autoscaler),
          ...Object.entries(proxy),
          ...Object.entries(monitoring),
        ]) {
          expectedCounts[type] = (expectedCounts[type] ?? 0) + n;
        }
        assert.deepStrictEqual(
          Object.fromEntries(Object.entries(counts).sort()),
          Object.fromEntries(Object.entries(expectedCounts).sort()),
        );
      });

      it("builds two VPCs with DNS on, at the configured blocks", () => {
        assert.deepStrictEqual(
          view
            .byType(T.vpc)
            .map((v) => [v.name, v.inputs.cidrBlock, v.inputs.enableDnsSupport, v.inputs.enableDnsHostnames]),
          [
            ["agent", config.agentNetwork.cidrBlock, true, true],
            ["master", config.masterNetwork.cidrBlock, true, true],
          ],
        );
      });

      it("spreads subnets over the expected zones, by zone ID and never by zone name", () => {
        for (const network of ["master", "agent"]) {
          const subnets = view.byType(T.subnet).filter((s) => s.name.startsWith(`${network}-`));
          const zones = [...new Set(subnets.map((s) => s.inputs.availabilityZoneId))].sort();
          assert.deepStrictEqual(zones, expected.zones);
          assert.deepStrictEqual(
            subnets.filter((s) => s.inputs.availabilityZone !== undefined).map((s) => s.name),
            [],
          );
        }
      });

      it("sends every VPC's flow logs to its own group, and takes over every default security group", () => {
        for (const vpc of view.byType(T.vpc)) {
          const logs = view.byType(T.flowLog).filter((f) => f.inputs.vpcId === vpc.id);
          assert.strictEqual(logs.length, 1, `flow logs of ${vpc.name}`);
          assert.strictEqual(logs[0].inputs.trafficType, "ALL");
          const groups = view.byType(T.defaultSg).filter((g) => g.inputs.vpcId === vpc.id);
          assert.strictEqual(groups.length, 1, `default group of ${vpc.name}`);
          assert.deepStrictEqual([groups[0].inputs.ingress, groups[0].inputs.egress], [[], []]);
        }
        const retention = view
          .byType(T.logGroup)
          .filter((g) => g.name.endsWith("-flow-logs"))
          .map((g) => [g.name, g.inputs.retentionInDays]);
        assert.deepStrictEqual(retention, [
          ["agent-flow-logs", config.agentNetwork.flowLogRetentionDays],
          ["master-flow-logs", config.masterNetwork.flowLogRetentionDays],
        ]);
      });

      it("creates every AWS resource with the default provider, so every aws:* stack setting applies", () => {
        assert.strictEqual(view.byType(T.awsProvider).length, 0);
        for (const r of view.resources.filter((r) => !r.type.startsWith("kubernetes:"))) {
          assert.strictEqual(r.provider, undefined, `${r.type} ${r.name} overrides the provider`);
        }
        // The region reaches policies through the provider's own invokes.
        const trust = JSON.parse(String(view.one(T.role, "master-flow-logs").inputs.assumeRolePolicy));
        assert.ok(
          trust.Statement[0].Condition.ArnLike["aws:SourceArn"].startsWith(`arn:aws:ec2:${expected.region}:`),
        );
      });

      it("tags every taggable resource with Project, Stack and the stack's tags", () => {
        // Kubernetes objects carry labels, not AWS tags.
        const custom = view.resources.filter(
          (r) => r.custom && !r.type.startsWith("kubernetes:") && r.type !== T.k8sProvider,
        );
        const tagged = custom.filter((r) => r.inputs.tags !== undefined);
        // Only resources that AWS cannot tag go without.
        const untaggedTypes = [
          ...new Set(custom.filter((r) => r.inputs.tags === undefined).map((r) => r.type)),
        ].sort();
        // Only resources that cannot carry tags go without.
        assert.deepStrictEqual(
          untaggedTypes,
          [
            T.route,
            T.association,
            T.rolePolicy,
            T.password,
            T.kmsAlias,
            T.mountTarget,
            T.fileSystemPolicy,
            T.secretVersion,
            T.allowedPrincipal,
            T.accepter,
            T.record,
            T.accessPolicy,
            T.rolePolicyAttachment,
            T.topicPolicy,
            T.logMetricFilter,
            T.dashboard,
            // A tag is not taggable, nor are an EventBridge target and an SQS queue policy.
            T.ec2Tag,
            T.eventTarget,
            T.queuePolicy,
            ...(expected.transport === "tcp"
              ? []
              : [T.privateKey, T.selfSignedCert, T.certRequest, T.locallySignedCert]),
            ...(expected.backups ? [T.backupSelection] : []),
            ...(expected.spot ? [T.clusterCapacityProviders] : []),
          ].sort(),
        );
        for (const r of tagged) {
          const tags = r.inputs.tags as Record<string, string>;
          assert.deepStrictEqual(
            [tags.Project, tags.Stack, tags.Environment, tags.CostCenter, tags.ManagedBy],
            ["jenkins-agent-bridge", stack, stack, "platform", "pulumi"],
            `${r.type} ${r.name}`,
          );
        }
      });

      it("opens nothing to the internet and creates no cross-VPC shortcut", () => {
        for (const rule of view.byType(T.ingressRule)) {
          assert.notStrictEqual(rule.inputs.cidrIpv4, "0.0.0.0/0", rule.name);
          assert.ok(String(rule.inputs.description).length > 10, `${rule.name} has no description`);
        }
        for (const sg of view.byType(T.securityGroup)) {
          assert.strictEqual(sg.inputs.ingress, undefined, `${sg.name} has inline rules`);
          assert.strictEqual(sg.inputs.egress, undefined, `${sg.name} has inline rules`);
        }
        for (const subnet of view.byType(T.subnet)) {
          assert.strictEqual(subnet.inputs.mapPublicIpOnLaunch, false);
        }
        const types = new Set(view.resources.map((r) => r.type));
        for (const forbidden of [
          "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
          "aws:ec2transitgateway/transitGateway:TransitGateway",
          "aws:ec2/securityGroupRule:SecurityGroupRule",
        ]) {
          assert.ok(!types.has(forbidden), forbidden);
        }
      });

      if (expected.transport === "websocket") {
        it("carries port 50000 nowhere", () => {
          assert.ok(!JSON.stringify(view.resources.map((r) => r.inputs)).includes("50000"));
        });
      }

      it("creates every Kubernetes object with the agent cluster's provider, never the ambient kubeconfig", () => {
        const provider = view.one(T.k8sProvider, "agents-k8s");
        const objects = view.resources.filter((r) => r.type.startsWith("kubernetes:"));
        // The scheduled agent path check adds its ConfigMap and CronJob; Karpenter four more: its
        // two charts, the node class and the node pool.
        assert.strictEqual(objects.length, expected.transport === "tcp" ? 18 : 24);
        for (const r of objects) {
          assert.strictEqual(r.provider, provider.urn, `${r.type} ${r.name}`);
        }
      });

      it("exports the networks' identities", () => {
        const outputs = view.plan.outputs;
        assert.strictEqual(outputs.transport, expected.transport);
        assert.strictEqual(outputs.region, expected.region);
        const rotatesAt = Date.parse(String(outputs.controllerTokenRotatesAt));
        assert.ok(rotatesAt > Date.now() && rotatesAt <= Date.now() + 30 * 24 * 3600 * 1000);
        assert.strictEqual(outputs.masterVpcId, view.one(T.vpc, "master").id);
        assert.strictEqual(outputs.agentVpcId, view.one(T.vpc, "agent").id);
        assert.deepStrictEqual(
          outputs.masterPrivateSubnetIds,
          expected.zones.map((_, i) => view.one(T.subnet, `master-private-${i}`).id),
        );
        assert.strictEqual((outputs.masterNatPublicIps as string[]).length, expected.nat);
      });
    });
  }

  describe("with a configuration mistake", () => {
    it("stops before declaring anything, with a RunError that Pulumi prints without a stack trace", async () => {
      const values = applyOverrides(readStack(STACKS_DIR, "dev"), [
        "transport=websockets",
        "masterNetwork.azCount=1",
      ]);
      await assert.rejects(
        () => runPlan("dev", values, "us-east-1"),
        (err: Error) =>
          pulumi.RunError.isInstance(err) &&
          err.message ===
            [
              "invalid stack configuration:",
              'jenkins-agent-bridge:transport: got "websockets"; expected one of websocket, tcp (did you mean "websocket"?)',
              'jenkins-agent-bridge:masterNetwork.azCount: got "1"; expected an integer from 2 to 6',
            ].join("\n"),
      );
      const monitor = settings.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
      assert.strictEqual(monitor.getRegisteredResources().size, 0);
    });
  });
});
