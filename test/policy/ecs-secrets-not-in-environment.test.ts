import * as assert from "assert";
import { messages } from "../../policy/lib/resources";
import { TYPES } from "../../policy/lib/types";
import {
  checkTaskEnvironment,
  ecsSecretsNotInEnvironment,
} from "../../policy/policies/ecs-secrets-not-in-environment";
import { runResourcePolicy, UNKNOWN_FROM_ENGINE } from "./harness";

const task = (containerDefinitions: unknown) => ({
  type: TYPES.taskDefinition,
  name: "task",
  props: { containerDefinitions },
});
const check = (containerDefinitions: unknown) => messages(checkTaskEnvironment(task(containerDefinitions)));
const TD = `${TYPES.taskDefinition} "task"`;

describe("policy ecs-secrets-not-in-environment", () => {
  it("accepts secrets passed through `secrets`, and harmless environment", () => {
    const definitions = [
      {
        name: "jenkins",
        environment: [
          { name: "CASC_JENKINS_CONFIG", value: "/var/jenkins_home/casc/jenkins.yaml" },
          { name: "JAVA_OPTS", value: "-Djenkins.install.runSetupWizard=false" },
        ],
        secrets: [
          { name: "JENKINS_ADMIN_PASSWORD", valueFrom: "arn:aws:secretsmanager:us-east-1:1:secret:x" },
        ],
      },
    ];
    assert.deepStrictEqual(check(JSON.stringify(definitions)), []);
  });

  it("reports each secret-looking variable in plaintext, by container, never with its value", () => {
    const definitions = [
      { name: "install", environment: [{ name: "GITHUB_TOKEN", value: "ghp_not_a_real_token" }] },
      {
        name: "jenkins",
        environment: [
          { name: "JENKINS_ADMIN_PASSWORD", value: "hunter2" },
          { name: "aws_secret_access_key", value: "x" },
          { name: "SSH_KEY", value: "y" },
          { name: "PLUGINS", value: "git:1" },
        ],
      },
    ];
    const found = check(JSON.stringify(definitions));
    assert.deepStrictEqual(found, [
      `${TD}: container "install" sets GITHUB_TOKEN in its plaintext environment; pass it through secrets (valueFrom)`,
      `${TD}: container "jenkins" sets JENKINS_ADMIN_PASSWORD in its plaintext environment; pass it through secrets (valueFrom)`,
      `${TD}: container "jenkins" sets aws_secret_access_key in its plaintext environment; pass it through secrets (valueFrom)`,
      `${TD}: container "jenkins" sets SSH_KEY in its plaintext environment; pass it through secrets (valueFrom)`,
    ]);
    assert.ok(found.every((m) => !/ghp_|hunter2/.test(m)));
  });

  it("reads definitions given as a list too, and names unnamed containers by position", () => {
    assert.deepStrictEqual(check([{ environment: [{ name: "DB_PASSWORD", value: "x" }] }]), [
      `${TD}: container "#0" sets DB_PASSWORD in its plaintext environment; pass it through secrets (valueFrom)`,
    ]);
  });

  it("reports definitions it cannot read", () => {
    assert.deepStrictEqual(check("[{"), [
      `${TD}: containerDefinitions is not valid JSON; its environment cannot be checked`,
    ]);
    assert.deepStrictEqual(check('{"name":"x"}'), [
      `${TD}: containerDefinitions is not a JSON list; its environment cannot be checked`,
    ]);
  });

  it("leaves masked definitions alone (the offline plan masks secret inputs)", () => {
    assert.deepStrictEqual(check("[secret]"), []);
  });

  describe("as a resource policy", () => {
    it("skips definitions that are unknown during a preview (checked again by pulumi up)", async () => {
      assert.deepStrictEqual(
        await runResourcePolicy(ecsSecretsNotInEnvironment, task(UNKNOWN_FROM_ENGINE)),
        [],
      );
    });

    it("reports a plaintext password", async () => {
      const definitions = JSON.stringify([
        { name: "jenkins", environment: [{ name: "ADMIN_PASSWORD", value: "x" }] },
      ]);
      assert.deepStrictEqual(await runResourcePolicy(ecsSecretsNotInEnvironment, task(definitions)), [
        `${TD}: container "jenkins" sets ADMIN_PASSWORD in its plaintext environment; pass it through secrets (valueFrom)`,
      ]);
    });
  });
});
