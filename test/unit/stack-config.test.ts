/**
 * What valid stack config parses to: every default, values given as text, accepted edge values,
 * the AWS CLI's credentials, and a throwaway stack's deletion protections.
 */
import * as assert from "assert";
import { NETWORK_DEFAULTS, parseStackConfig, StackConfig, withThrowawayProtections } from "../../config";
import {
  INBOUND_AGENT_IMAGE,
  JENKINS_IMAGE,
  KUBERNETES_VERSION,
  NGINX_IMAGE,
} from "../../components/shared/versions";
import { configOf, decodeStated, merged } from "../harness/config";

const NS = "jenkins-agent-bridge";
const REGION = { "aws:region": "us-east-1" };

describe("stack config", () => {
  describe("defaults", () => {
    it("fills every key from named defaults when only the region is set", () => {
      const config = configOf(REGION);
      assert.strictEqual(config.region, "us-east-1");
      assert.strictEqual(config.transport, "websocket");
      assert.deepStrictEqual(config.tags, {});
      assert.strictEqual(config.throwaway, false);
      assert.deepStrictEqual(config.masterNetwork, {
        cidrBlock: NETWORK_DEFAULTS.masterCidrBlock,
        azCount: 2,
        availabilityZoneIds: undefined,
        natStrategy: "perAz",
        publicSubnetPrefixLength: 24,
        privateSubnetPrefixLength: 20,
        flowLogRetentionDays: 90,
        flowLogTrafficType: "ALL",
      });
      assert.strictEqual(config.agentNetwork.cidrBlock, NETWORK_DEFAULTS.agentCidrBlock);
      assert.strictEqual(config.controller.image, JENKINS_IMAGE);
      assert.strictEqual(config.controller.healthCheckGracePeriodSec, 600);
      assert.strictEqual(config.controller.homeDeletionProtection, true);
      assert.deepStrictEqual(config.controller.ui, {
        internetFacing: false,
        certificateArn: undefined,
        allowedCidrs: [],
        idleTimeoutSec: 120,
        deletionProtection: true,
        oidc: {
          issuer: undefined,
          authorizationEndpoint: undefined,
          tokenEndpoint: undefined,
          userInfoEndpoint: undefined,
          clientId: undefined,
          clientSecretArn: undefined,
        },
        accessLogsBucket: undefined,
      });
      assert.deepStrictEqual(config.gateway.allowedPrincipals, []);
      assert.strictEqual(config.gateway.deletionProtection, true);
      assert.strictEqual(config.gateway.tcpTlsListener, false);
      assert.strictEqual(config.agentCluster.kubernetesVersion, KUBERNETES_VERSION);
      assert.strictEqual(config.agentCluster.inboundAgentImage, INBOUND_AGENT_IMAGE);
      assert.strictEqual(config.proxy.image, NGINX_IMAGE);
      assert.strictEqual(config.proxy.replicas, 2);
    });

    it("reads scalars given as text, as the engine passes them", () => {
      const config = configOf({
        ...REGION,
        [`${NS}:transport`]: "tcp",
        [`${NS}:throwaway`]: "true",
        [`${NS}:masterNetwork`]: { azCount: "3" },
        [`${NS}:agentNetwork`]: { azCount: "3", natStrategy: "single" },
      });
      assert.strictEqual(config.transport, "tcp");
      assert.strictEqual(config.throwaway, true);
      assert.strictEqual(config.agentNetwork.azCount, 3);
      assert.strictEqual(config.agentNetwork.natStrategy, "single");
    });

    it("ignores keys of other namespaces", () => {
      assert.strictEqual(
        configOf({ ...REGION, "aws:profile": "ci", "kubernetes:context": "x" }).region,
        "us-east-1",
      );
    });
  });

  describe("accepted edge values", () => {
    it("allows a public UI without a certificate in a throwaway stack", () => {
      const config = configOf({
        ...REGION,
        [`${NS}:throwaway`]: true,
        [`${NS}:controller`]: {
          ui: { internetFacing: true, allowedCidrs: ["198.51.100.0/24"], accessLogsBucket: "ci-logs" },
        },
      });
      assert.strictEqual(config.controller.ui.internetFacing, true);
    });

    it("accepts explicit zones of the region and a layout that fills the block exactly", () => {
      const config = configOf({
        ...REGION,
        [`${NS}:masterNetwork`]: { availabilityZoneIds: ["use1-az4", "use1-az1", "use1-az2"] },
        [`${NS}:agentNetwork`]: {
          cidrBlock: "10.20.0.0/24",
          availabilityZoneIds: ["use1-az1", "use1-az4"],
          publicSubnetPrefixLength: 26,
          privateSubnetPrefixLength: 26,
        },
      });
      assert.deepStrictEqual(config.agentNetwork.availabilityZoneIds, ["use1-az1", "use1-az4"]);
    });

    it("accepts account roots and roles as endpoint-service principals", () => {
      const principals = ["arn:aws:iam::210987654321:root", "arn:aws:iam::210987654321:role/ci-agents"];
      const config = configOf({ ...REGION, [`${NS}:gateway`]: { allowedPrincipals: principals } });
      assert.deepStrictEqual(config.gateway.allowedPrincipals, principals);
    });
  });
});

describe("stack config: the AWS CLI's credentials", () => {
  it("repeats the provider's profile and first assumed role", () => {
    const result = parseStackConfig(
      decodeStated({
        "aws:region": "us-east-1",
        "aws:profile": "ci",
        "aws:assumeRoles":
          '[{"roleArn":"arn:aws:iam::123456789012:role/deploy"},{"roleArn":"arn:aws:iam::1:role/x"}]',
      }),
    );
    assert.ok(result.ok);
    assert.deepStrictEqual(result.ok && result.config.awsCli, {
      profile: "ci",
      roleArn: "arn:aws:iam::123456789012:role/deploy",
    });
  });

  it("is empty when the provider uses the environment's credentials", () => {
    const result = parseStackConfig(decodeStated({ "aws:region": "us-east-1" }));
    assert.deepStrictEqual(result.ok && result.config.awsCli, {});
  });
});

describe("a throwaway stack's deletion protections", () => {
  const protections = (c: StackConfig) => [
    c.controller.homeDeletionProtection,
    c.controller.ui.deletionProtection,
    c.gateway.deletionProtection,
  ];

  it("are off whatever the protection keys say, and the rest of the config is unchanged", () => {
    const throwaway = merged(configOf(REGION), { throwaway: true });
    assert.deepStrictEqual(protections(throwaway), [true, true, true]);
    const resolved = withThrowawayProtections(throwaway);
    assert.deepStrictEqual(protections(resolved), [false, false, false]);
    assert.deepStrictEqual(
      merged(resolved, {
        controller: { homeDeletionProtection: true, ui: { deletionProtection: true } },
        gateway: { deletionProtection: true },
      }),
      throwaway,
    );
  });

  it("are as the keys say in a lasting stack", () => {
    const lasting = merged(configOf(REGION), { controller: { ui: { deletionProtection: false } } });
    assert.strictEqual(withThrowawayProtections(lasting), lasting);
    assert.deepStrictEqual(protections(lasting), [true, false, true]);
  });

  it("reach the parsed config final, so components take them as they are", () => {
    const values = { ...REGION, [`${NS}:gateway`]: { deletionProtection: true } };
    assert.deepStrictEqual(protections(configOf(values)), [true, true, true]);
    assert.deepStrictEqual(protections(configOf({ ...values, [`${NS}:throwaway`]: true })), [
      false,
      false,
      false,
    ]);
  });
});
