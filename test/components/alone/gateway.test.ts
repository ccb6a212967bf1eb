/**
 * AgentGateway, constructed on its own under the mock engine for each transport. The agent
 * network's private subnets are stand-ins declared by the test (the endpoint's addresses are
 * looked up from them). What this does not prove: that AWS accepts the endpoint connection or
 * that a client verifies the certificate chain.
 */
import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { createHash } from "crypto";
import { AgentGateway, AgentGatewayArgs } from "../../../components/gateway/gateway";
import { planGateway } from "../../../components/gateway/plan";
import { LISTENER_TLS_POLICY } from "../../../components/shared/tls";
import { MOCK_ACCOUNT_ID } from "../../../offline/mocks";
import { AloneView, constructAlone } from "../../harness/alone";
import { T } from "../../harness/plan";

const CLIENT_SG = "sg-0123456789abcdef0";
const OTHER_ACCOUNT = "arn:aws:iam::210987654321:root";

function build(overrides: Partial<AgentGatewayArgs> = {}): Promise<AloneView> {
  return constructAlone(() => {
    const agentSubnets = ["10.20.0.0/20", "10.20.16.0/20"].map(
      (cidrBlock, i) => new aws.ec2.Subnet(`agent-private-${i}`, { vpcId: "vpc-agent", cidrBlock }),
    );
    const gateway = new AgentGateway("gw", {
      plan: planGateway("websocket"),
      privateZoneName: "ci.internal",
      hostName: "jenkins",
      allowedPrincipals: [],
      deletionProtection: true,
      certificateValidityDays: 90,
      throwaway: false,
      master: { vpcId: "vpc-master", privateSubnetIds: ["subnet-m0", "subnet-m1"] },
      agent: { vpcId: "vpc-agent", privateSubnetIds: agentSubnets.map((s) => s.id) },
      clientSecurityGroupId: CLIENT_SG,
      tags: {},
      ...overrides,
    });
    return {
      caCertificatePem: gateway.caCertificatePem,
      endpointAddresses: gateway.endpointAddresses,
      agentUrl: gateway.agentUrl,
      agentTunnel: gateway.agentTunnel,
      certificateArn: gateway.certificateArn,
      targetGroups: gateway.targetGroups.map((t) => ({ port: t.port, arn: t.targetGroupArn })),
    };
  });
}

/** Listeners as [port, protocol, ssl policy, certificate, target group name]. */
const listeners = (view: AloneView) =>
  view
    .byType(T.listener)
    .map((l) => [
      l.inputs.port,
      l.inputs.protocol,
      l.inputs.sslPolicy ?? null,
      l.inputs.certificateArn ?? null,
      view.nameOf((l.inputs.defaultActions as { targetGroupArn: string }[])[0].targetGroupArn),
    ]);

/** The endpoint group's ingress rules as [port, source CIDR, source group]. */
const endpointIngress = (view: AloneView) => {
  const sg = view.one(T.securityGroup, "gw-endpoint");
  return view
    .byType(T.ingressRule)
    .filter((r) => r.inputs.securityGroupId === sg.id)
    .map((r) => {
      assert.strictEqual(r.inputs.ipProtocol, "tcp");
      assert.strictEqual(r.inputs.fromPort, r.inputs.toPort);
      return [r.inputs.fromPort, r.inputs.cidrIpv4 ?? null, r.inputs.referencedSecurityGroupId ?? null];
    });
};

const TLS_TYPES = [T.privateKey, T.selfSignedCert, T.certRequest, T.locallySignedCert, T.certificate];

describe("AgentGateway alone", () => {
  describe("websocket, the deploying account", () => {
    let view: AloneView;
    before(async () => {
      view = await build();
    });

    it("admits nothing to the internal load balancer and protects it from deletion", () => {
      const nlb = view.one(T.loadBalancer, "gw-nlb");
      const sg = view.one(T.securityGroup, "gw-nlb");
      assert.deepStrictEqual(
        [
          nlb.inputs.loadBalancerType,
          nlb.inputs.internal,
          nlb.inputs.subnets,
          nlb.inputs.securityGroups,
          nlb.inputs.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic,
          nlb.inputs.enableDeletionProtection,
          sg.inputs.vpcId,
        ],
        ["network", true, ["subnet-m0", "subnet-m1"], [sg.id], "off", true, "vpc-master"],
      );
      assert.deepStrictEqual(
        view.byType(T.ingressRule).filter((r) => r.inputs.securityGroupId === sg.id),
        [],
      );
      assert.deepStrictEqual(view.byType(T.egressRule), []);
    });

    it("terminates TLS 1.2+ on 443 with its own certificate and has no port 50000 anywhere", () => {
      const acm = view.one(T.certificate, "gw-server");
      assert.deepStrictEqual(listeners(view), [[443, "TLS", LISTENER_TLS_POLICY, acm.id, "gw-8080"]]);
      assert.deepStrictEqual(view.names(T.targetGroup), ["gw-8080"]);
      assert.deepStrictEqual(endpointIngress(view), [[443, null, CLIENT_SG]]);
      assert.deepStrictEqual(view.outputs.certificateArn, acm.id);
      assert.deepStrictEqual(view.outputs.agentUrl, "https://jenkins.ci.internal/");
      assert.strictEqual(view.outputs.agentTunnel, undefined);
    });

    it("issues the server certificate for the private name only, from a CA of its own, keys secret", () => {
      const ca = view.one(T.selfSignedCert, "gw-ca");
      assert.deepStrictEqual(
        [ca.inputs.isCaCertificate, ca.inputs.allowedUses, ca.inputs.privateKeyPem],
        [true, ["cert_signing", "crl_signing"], "[secret]"],
      );
      const request = view.one(T.certRequest, "gw-server");
      assert.deepStrictEqual(request.inputs.dnsNames, ["jenkins.ci.internal"]);
      const server = view.one(T.locallySignedCert, "gw-server");
      assert.deepStrictEqual(
        [server.inputs.allowedUses, server.inputs.validityPeriodHours, server.inputs.caPrivateKeyPem],
        [["digital_signature", "key_encipherment", "server_auth"], 90 * 24, "[secret]"],
      );
      for (const key of view.byType(T.privateKey)) {
        assert.deepStrictEqual([key.inputs.algorithm, key.inputs.ecdsaCurve], ["ECDSA", "P256"], key.name);
      }
      assert.strictEqual(view.one(T.certificate, "gw-server").inputs.privateKey, "[secret]");
      assert.strictEqual(view.outputs.caCertificatePem, ca.state?.certPem);
    });

    it("requires acceptance, allows the deploying account only, and accepts its own endpoint", () => {
      const service = view.one(T.endpointService, "gw-service");
      assert.strictEqual(service.inputs.acceptanceRequired, true);
      assert.deepStrictEqual(
        view.byType(T.allowedPrincipal).map((p) => [p.name, p.inputs.principalArn]),
        [["gw-principal-self", `arn:aws:iam::${MOCK_ACCOUNT_ID}:root`]],
      );
      const endpoint = view.one(T.endpoint, "gw-endpoint");
      assert.deepStrictEqual(
        [endpoint.inputs.vpcId, endpoint.inputs.privateDnsEnabled, endpoint.inputs.securityGroupIds],
        ["vpc-agent", false, [view.one(T.securityGroup, "gw-endpoint").id]],
      );
      assert.deepStrictEqual(view.one(T.accepter, "gw-accept").inputs, {
        vpcEndpointServiceId: service.id,
        vpcEndpointId: endpoint.id,
      });
    });

    it("names the endpoint in a private zone of the agent VPC that is not destroyed with its records", () => {
      const zone = view.one(T.zone, "gw-zone");
      assert.deepStrictEqual(
        [zone.inputs.name, zone.inputs.vpcs, zone.inputs.forceDestroy],
        ["ci.internal", [{ vpcId: "vpc-agent" }], false],
      );
      const record = view.one(T.record, "gw-record");
      assert.deepStrictEqual([record.inputs.name, record.inputs.type], ["jenkins.ci.internal", "A"]);
      assert.deepStrictEqual(view.outputs.endpointAddresses, ["10.20.0.4", "10.20.16.4"]);
    });
  });

  describe("tcp, named principals, throwaway", () => {
    let view: AloneView;
    before(async () => {
      // A throwaway stack's configuration turns the deletion protection off.
      view = await build({
        plan: planGateway("tcp"),
        allowedPrincipals: [OTHER_ACCOUNT],
        deletionProtection: false,
        throwaway: true,
      });
    });

    it("forwards TCP 8080 and 50000 and makes no TLS listener, key or certificate", () => {
      assert.deepStrictEqual(listeners(view), [
        [50000, "TCP", null, null, "gw-50000"],
        [8080, "TCP", null, null, "gw-8080"],
      ]);
      for (const type of TLS_TYPES) {
        assert.deepStrictEqual(view.byType(type), [], type);
      }
      assert.strictEqual(view.outputs.caCertificatePem, "");
      assert.strictEqual(view.outputs.certificateArn, undefined);
      assert.strictEqual(view.outputs.agentTunnel, "jenkins.ci.internal:50000");
    });

    it("admits the listener ports from the client group only, never from the VPC block", () => {
      assert.deepStrictEqual(endpointIngress(view), [
        [50000, null, CLIENT_SG],
        [8080, null, CLIENT_SG],
      ]);
    });

    it("allows the named principals instead of the deploying account", () => {
      const key = createHash("sha256").update(OTHER_ACCOUNT).digest("hex").slice(0, 8);
      assert.deepStrictEqual(
        view.byType(T.allowedPrincipal).map((p) => [p.name, p.inputs.principalArn]),
        [[`gw-principal-${key}`, OTHER_ACCOUNT]],
      );
    });

    it("lets a throwaway stack delete the load balancer and the zone with its records", () => {
      assert.strictEqual(view.one(T.loadBalancer, "gw-nlb").inputs.enableDeletionProtection, false);
      assert.strictEqual(view.one(T.zone, "gw-zone").inputs.forceDestroy, true);
    });

    it("hands out both target groups with their ports", () => {
      assert.deepStrictEqual(view.outputs.targetGroups, [
        { port: 8080, arn: view.one(T.targetGroup, "gw-8080").id },
        { port: 50000, arn: view.one(T.targetGroup, "gw-50000").id },
      ]);
    });
  });

  describe("tcp with the TLS listener", () => {
    let view: AloneView;
    before(async () => {
      view = await build({ plan: planGateway("tcp", true), deletionProtection: false });
    });

    it("adds TLS 443 to Jenkins' HTTP port beside the TCP listeners, with its certificate", () => {
      const acm = view.one(T.certificate, "gw-server");
      assert.deepStrictEqual(listeners(view), [
        [443, "TLS", LISTENER_TLS_POLICY, acm.id, "gw-8080"],
        [50000, "TCP", null, null, "gw-50000"],
        [8080, "TCP", null, null, "gw-8080"],
      ]);
      assert.deepStrictEqual(endpointIngress(view), [
        [443, null, CLIENT_SG],
        [50000, null, CLIENT_SG],
        [8080, null, CLIENT_SG],
      ]);
      assert.strictEqual(view.one(T.loadBalancer, "gw-nlb").inputs.enableDeletionProtection, false);
    });
  });
});
