/**
 * AgentGateway, in whole-program mock runs of every committed stack. What this does not prove:
 * that AWS accepts the endpoint connection, that DNS resolves inside the agent VPC, or that the
 * certificate chain verifies in a client; those need a real deployment (the proxy tests verify
 * the chain with real TLS).
 */
import * as assert from "assert";
import { planStack, PlanView, T } from "../harness/plan";

const STACKS = {
  dev: { transport: "websocket", zone: "dev.ci.internal", protect: false },
  prod: { transport: "websocket", zone: "ci.internal", protect: true },
  tcp: { transport: "tcp", zone: "tcp.ci.internal", protect: false },
} as const;

describe("AgentGateway", () => {
  for (const [stack, expected] of Object.entries(STACKS)) {
    describe(`stack ${stack}`, () => {
      let view: PlanView;
      const tcp = expected.transport === "tcp";
      before(async () => {
        view = await planStack(stack);
      });

      it("puts an internal network load balancer with cross-zone balancing in the master VPC's private subnets", () => {
        const nlb = view.one(T.loadBalancer, "gateway-nlb");
        assert.strictEqual(nlb.inputs.loadBalancerType, "network");
        assert.strictEqual(nlb.inputs.internal, true);
        assert.strictEqual(nlb.inputs.enableCrossZoneLoadBalancing, true);
        assert.strictEqual(nlb.inputs.enableDeletionProtection, expected.protect);
        assert.strictEqual(nlb.inputs.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic, "off");
        assert.deepStrictEqual(
          (nlb.inputs.subnets as string[]).map((id) => view.nameOf(id)),
          (nlb.inputs.subnets as string[]).map((_, i) => `master-private-${i}`),
        );
        const sg = view.one(T.securityGroup, "gateway-nlb");
        assert.strictEqual(view.nameOf(sg.inputs.vpcId), "master");
        assert.deepStrictEqual(nlb.inputs.securityGroups, [sg.id]);
        assert.deepStrictEqual(
          view.byType(T.ingressRule).filter((r) => r.inputs.securityGroupId === sg.id),
          [],
          "nothing may reach the load balancer except through PrivateLink",
        );
      });

      it(`listens exactly on ${tcp ? "TCP 8080 and 50000" : "TLS 443"}`, () => {
        const listeners = view
          .byType(T.listener)
          .filter((l) => l.name.startsWith("gateway-"))
          .map((l) => [
            l.inputs.port,
            l.inputs.protocol,
            l.inputs.sslPolicy ?? null,
            view.nameOf((l.inputs.defaultActions as { targetGroupArn: string }[])[0].targetGroupArn),
          ]);
        assert.deepStrictEqual(
          listeners.sort(),
          tcp
            ? [
                [50000, "TCP", null, "gateway-50000"],
                [8080, "TCP", null, "gateway-8080"],
              ]
            : [[443, "TLS", "ELBSecurityPolicy-TLS13-1-2-2021-06", "gateway-8080"]],
        );
        if (!tcp) {
          const listener = view.one(T.listener, "gateway-443");
          assert.strictEqual(listener.inputs.certificateArn, view.one(T.certificate, "gateway-server").id);
        }
      });

      it("forwards to ip targets with health checks", () => {
        const groups = view
          .byType(T.targetGroup)
          .filter((g) => g.name.startsWith("gateway-"))
          .map((g) => [g.name, g.inputs.targetType, g.inputs.protocol, g.inputs.port, g.inputs.healthCheck]);
        // Both groups check Jenkins' HTTP port: probing 50000 would log a failed agent connection.
        const health = {
          protocol: "HTTP",
          port: "8080",
          path: "/login",
          matcher: "200",
          interval: 30,
          healthyThreshold: 2,
          unhealthyThreshold: 3,
        };
        assert.deepStrictEqual(
          groups,
          tcp
            ? [
                ["gateway-50000", "ip", "TCP", 50000, health],
                ["gateway-8080", "ip", "TCP", 8080, health],
              ]
            : [["gateway-8080", "ip", "TCP", 8080, health]],
        );
      });

      it("requires acceptance, allows the deploying account only, and accepts its own endpoint", () => {
        const service = view.one(T.endpointService, "gateway-service");
        assert.strictEqual(service.inputs.acceptanceRequired, true);
        assert.deepStrictEqual(service.inputs.networkLoadBalancerArns, [
          view.one(T.loadBalancer, "gateway-nlb").id,
        ]);
        assert.strictEqual(service.inputs.allowedPrincipals, undefined);
        const principals = view.byType(T.allowedPrincipal);
        assert.deepStrictEqual(
          principals.map((p) => [p.name, p.inputs.vpcEndpointServiceId, p.inputs.principalArn]),
          [["gateway-principal-self", service.id, "arn:aws:iam::123456789012:root"]],
        );
        const endpoint = view.one(T.endpoint, "gateway-endpoint");
        assert.deepStrictEqual(view.one(T.accepter, "gateway-accept").inputs, {
          vpcEndpointServiceId: service.id,
          vpcEndpointId: endpoint.id,
        });
      });

      it("places the interface endpoint in the agent VPC's private subnets, admitting only the listener ports from one node group", () => {
        const endpoint = view.one(T.endpoint, "gateway-endpoint");
        assert.strictEqual(endpoint.inputs.vpcEndpointType, "Interface");
        assert.strictEqual(view.nameOf(endpoint.inputs.vpcId), "agent");
        assert.strictEqual(endpoint.inputs.privateDnsEnabled, false);
        assert.strictEqual(
          endpoint.inputs.serviceName,
          view.one(T.endpointService, "gateway-service").state?.serviceName,
        );
        assert.deepStrictEqual(
          (endpoint.inputs.subnetIds as string[]).map((id) => view.nameOf(id)),
          (endpoint.inputs.subnetIds as string[]).map((_, i) => `agent-private-${i}`),
        );
        const sg = view.one(T.securityGroup, "gateway-endpoint");
        assert.deepStrictEqual(endpoint.inputs.securityGroupIds, [sg.id]);
        const rules = view
          .byType(T.ingressRule)
          .filter((r) => r.inputs.securityGroupId === sg.id)
          .map((r) => [
            r.inputs.ipProtocol,
            r.inputs.fromPort,
            r.inputs.toPort,
            r.inputs.cidrIpv4,
            r.inputs.referencedSecurityGroupId,
          ]);
        // Narrowed to one node group's own security group, never the cluster's (every node and pod)
        // nor a block: websocket admits the system nodes (where the proxy runs) only, tcp the agent
        // nodes (agents connect directly).
        const clusterSg = (
          view.one(T.eksCluster, "agents").state?.vpcConfig as { clusterSecurityGroupId: string }
        ).clusterSecurityGroupId;
        const admitted = view.one(T.securityGroup, tcp ? "agents-autoscaler-nodes" : "agents-system").id;
        assert.deepStrictEqual(
          rules.sort(),
          (tcp ? [50000, 8080] : [443]).map((p) => ["tcp", p, p, undefined, admitted]),
        );
        assert.ok(!rules.some((r) => r[4] === clusterSg));
        assert.deepStrictEqual(
          view
            .byType(T.ingressRule)
            .filter((r) => r.inputs.securityGroupId === sg.id)
            .map((r) => r.inputs.description)
            .sort(),
          tcp
            ? [
                "Agents to the controller on 50000, from the agent nodes",
                "Agents to the controller on 8080, from the agent nodes",
              ]
            : ["Agent proxy to the controller on 443, from the system nodes only"],
        );
        assert.deepStrictEqual(
          view.byType(T.egressRule).filter((r) => r.inputs.securityGroupId === sg.id),
          [],
        );
      });

      it("names the endpoint privately in the agent VPC, after the connection is accepted", () => {
        const zone = view.one(T.zone, "gateway-zone");
        assert.strictEqual(zone.inputs.name, expected.zone);
        assert.deepStrictEqual(
          (zone.inputs.vpcs as { vpcId: string }[]).map((v) => view.nameOf(v.vpcId)),
          ["agent"],
        );
        const record = view.one(T.record, "gateway-record");
        const endpoint = view.one(T.endpoint, "gateway-endpoint");
        const entry = (endpoint.state?.dnsEntries as { dnsName: string; hostedZoneId: string }[])[0];
        assert.deepStrictEqual(record.inputs, {
          zoneId: zone.state?.zoneId,
          name: `jenkins.${expected.zone}`,
          type: "A",
          aliases: [{ name: entry.dnsName, zoneId: entry.hostedZoneId, evaluateTargetHealth: false }],
        });
        assert.strictEqual(view.plan.outputs.controllerPrivateName, `jenkins.${expected.zone}`);
      });

      it("admits the gateway into the controller on the target ports only", () => {
        const controllerSg = view.one(T.securityGroup, "jenkins-controller").id;
        const nlbSg = view.one(T.securityGroup, "gateway-nlb").id;
        const fromGateway = view
          .byType(T.ingressRule)
          .filter(
            (r) => r.inputs.securityGroupId === controllerSg && r.inputs.referencedSecurityGroupId === nlbSg,
          )
          .map((r) => r.inputs.fromPort);
        assert.deepStrictEqual(fromGateway.sort(), tcp ? [50000, 8080] : [8080]);
        const out = view
          .byType(T.egressRule)
          .filter((r) => r.inputs.securityGroupId === nlbSg)
          .map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId]);
        assert.deepStrictEqual(
          out.sort(),
          (tcp ? [50000, 8080] : [8080]).map((p) => [p, controllerSg]),
        );
      });

      if (tcp) {
        it("has no certificate, and keeps agents' connections alive well under the 350 s idle timeout", () => {
          for (const type of [T.certificate, T.privateKey, T.selfSignedCert, T.locallySignedCert]) {
            assert.strictEqual(view.byType(type).length, 0, type);
          }
          assert.strictEqual(view.plan.outputs.gatewayCaCertificatePem, "");
          assert.strictEqual(view.plan.outputs.agentUrl, "http://jenkins.tcp.ci.internal:8080/");
          assert.strictEqual(view.plan.outputs.agentTunnel, "jenkins.tcp.ci.internal:50000");
          const task = view.one(T.taskDefinition, "jenkins-task");
          const env = JSON.parse(String(task.inputs.containerDefinitions))[1].environment as {
            name: string;
            value: string;
          }[];
          assert.match(
            env.find((e) => e.name === "JAVA_OPTS")!.value,
            / -Dhudson\.slaves\.ChannelPinger\.pingIntervalSeconds=120$/,
          );
        });
      } else {
        it("terminates TLS with a certificate for the private name, issued by its own CA, keys secret", () => {
          const name = `jenkins.${expected.zone}`;
          assert.deepStrictEqual(view.one(T.certRequest, "gateway-server").inputs.dnsNames, [name]);
          const ca = view.one(T.selfSignedCert, "gateway-ca");
          assert.strictEqual(ca.inputs.isCaCertificate, true);
          assert.deepStrictEqual(ca.inputs.allowedUses, ["cert_signing", "crl_signing"]);
          assert.strictEqual(ca.inputs.privateKeyPem, "[secret]");
          const server = view.one(T.locallySignedCert, "gateway-server");
          assert.deepStrictEqual(server.inputs.allowedUses, [
            "digital_signature",
            "key_encipherment",
            "server_auth",
          ]);
          assert.strictEqual(server.inputs.validityPeriodHours, 397 * 24);
          assert.strictEqual(server.inputs.caPrivateKeyPem, "[secret]");
          for (const key of view.byType(T.privateKey)) {
            assert.deepStrictEqual([key.inputs.algorithm, key.inputs.ecdsaCurve], ["ECDSA", "P256"]);
          }
          const acm = view.one(T.certificate, "gateway-server");
          assert.strictEqual(acm.inputs.privateKey, "[secret]");
          assert.strictEqual(acm.inputs.certificateChain, ca.state?.certPem);
          assert.strictEqual(view.plan.outputs.gatewayCaCertificatePem, ca.state?.certPem);
          assert.strictEqual(view.plan.outputs.agentTunnel, undefined);
        });
      }

      it("exports the endpoint's identities", () => {
        assert.strictEqual(
          view.plan.outputs.endpointServiceName,
          view.one(T.endpointService, "gateway-service").state?.serviceName,
        );
        assert.strictEqual(view.plan.outputs.endpointId, view.one(T.endpoint, "gateway-endpoint").id);
      });
    });
  }

  it("allows each configured principal, by a name derived from its ARN", async () => {
    const view = await planStack("dev", [
      'gateway.allowedPrincipals=["arn:aws:iam::210987654321:root","arn:aws:iam::123456789012:role/ci"]',
    ]);
    const principals = view.byType(T.allowedPrincipal).map((p) => p.inputs.principalArn);
    assert.deepStrictEqual(principals.sort(), [
      "arn:aws:iam::123456789012:role/ci",
      "arn:aws:iam::210987654321:root",
    ]);
    assert.deepStrictEqual(view.names(T.allowedPrincipal), [
      "gateway-principal-7dbb1908",
      "gateway-principal-fe6c5c08",
    ]);
  });

  it("adds TLS 443 in tcp mode only when asked", async () => {
    const view = await planStack("tcp", ["gateway.tcpTlsListener=true"]);
    const ports = view
      .byType(T.listener)
      .filter((l) => l.name.startsWith("gateway-"))
      .map((l) => l.inputs.port);
    assert.deepStrictEqual(ports.sort(), [443, 50000, 8080]);
    assert.strictEqual(view.byType(T.certificate).length, 1);
  });
});
