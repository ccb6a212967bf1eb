/**
 * The pack's shape: one policy per file named after it, the metadata the policy SDK and the
 * Pulumi CLI need, and the same SDK versions as the program.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PACK_DESCRIPTION, PACK_NAME, policies } from "../../policy/pack";
import { ROOT } from "../harness/plan";

const POLICY_DIR = path.join(ROOT, "policy");
const readJson = (file: string) =>
  JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Record<string, string>>;

/** Enforcement level of each policy: every rule is a security or data-integrity rule. */
const LEVELS: Record<string, string> = {
  "no-world-ingress": "mandatory",
  "vpc-flow-logs": "mandatory",
  "kms-encryption": "mandatory",
  "endpoint-service-restricted": "mandatory",
  "no-agent-port-with-websocket": "mandatory",
  "ecs-secrets-not-in-environment": "mandatory",
  "controller-single-writer": "mandatory",
  "eks-api-not-public": "mandatory",
  "pod-security-restricted": "mandatory",
  "agent-egress-every-pod": "mandatory",
  "no-credential-in-agent-namespace": "mandatory",
  "proxy-outside-agent-namespace": "mandatory",
  "agent-pod-admission": "mandatory",
};

describe("policy pack", () => {
  it("holds the blueprint's thirteen rules, each with a kebab-case name, a description and its level", () => {
    assert.deepStrictEqual(
      policies.map((p) => [p.name, p.enforcementLevel]),
      Object.entries(LEVELS),
    );
    for (const policy of policies) {
      assert.match(policy.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.notStrictEqual(policy.name, "all", "a name the policy SDK reserves");
      assert.ok(policy.description.length > 40, `${policy.name} has a description`);
      assert.ok(
        !policy.configSchema?.properties.enforcementLevel,
        "enforcementLevel is not a config property",
      );
    }
  });

  it("keeps one policy per file, named after the policy", () => {
    const files = fs.readdirSync(path.join(POLICY_DIR, "policies")).sort();
    assert.deepStrictEqual(files, policies.map((p) => `${p.name}.ts`).sort());
    for (const policy of policies) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = Object.values(require(path.join(POLICY_DIR, "policies", policy.name)) as object);
      assert.ok(exported.includes(policy), `policies/${policy.name}.ts exports ${policy.name}`);
    }
  });

  it("has a name the policy server accepts", () => {
    assert.match(PACK_NAME, /^[a-zA-Z0-9-_.]{1,100}$/);
    assert.match(fs.readFileSync(path.join(POLICY_DIR, "index.ts"), "utf8"), /new PolicyPack\(PACK_NAME, \{/);
  });

  it("declares a Node.js pack in PulumiPolicy.yaml with the pack's description", () => {
    const project = parse(fs.readFileSync(path.join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8")) as Record<
      string,
      unknown
    >;
    assert.strictEqual(project.runtime, "nodejs");
    assert.strictEqual(project.description, PACK_DESCRIPTION);
  });

  it("has a versioned package.json that depends on the program's versions of the Pulumi SDKs and the CEL evaluator", () => {
    const pack = readJson(path.join(POLICY_DIR, "package.json"));
    const program = readJson(path.join(ROOT, "package.json"));
    assert.match(String(pack.version), /^\d+\.\d+\.\d+$/);
    assert.strictEqual(String(pack.main), "index.ts");
    assert.deepStrictEqual(pack.dependencies, {
      "@pulumi/policy": program.dependencies["@pulumi/policy"],
      "@pulumi/pulumi": program.dependencies["@pulumi/pulumi"],
      // agent-pod-admission runs admission policies' expressions.
      "@bufbuild/cel": program.devDependencies["@bufbuild/cel"],
    });
  });
});
