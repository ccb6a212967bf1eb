import * as assert from "assert";
import {
  applyOverrides,
  listStacks,
  parseConfigPath,
  parseStackFile,
  readStack,
  SECRET_PLACEHOLDER,
  STACKS_DIR,
  UsageError,
} from "../../offline/stack-file";

describe("stack files", () => {
  it("lists the committed stacks", () => {
    assert.deepStrictEqual(listStacks(STACKS_DIR), ["dev", "prod", "tcp"]);
  });

  it("passes values as the engine does: scalars as text, structures as JSON", () => {
    const stack = parseStackFile(
      [
        "config:",
        "  aws:region: us-east-1",
        "  jenkins-agent-bridge:throwaway: true",
        "  jenkins-agent-bridge:masterNetwork:",
        "    azCount: 3",
        "  proxy:",
        "    replicas: 2",
      ].join("\n"),
      "test",
    );
    assert.deepStrictEqual(stack.values, {
      "aws:region": "us-east-1",
      "jenkins-agent-bridge:throwaway": "true",
      "jenkins-agent-bridge:masterNetwork": '{"azCount":3}',
      "jenkins-agent-bridge:proxy": '{"replicas":2}',
    });
    assert.deepStrictEqual(stack.secretKeys, []);
  });

  it("never reads encrypted values: they become a placeholder and their keys are secret", () => {
    const stack = parseStackFile(
      [
        "config:",
        "  jenkins-agent-bridge:token:",
        "    secure: v1:abcdef",
        "  jenkins-agent-bridge:controller:",
        "    password:",
        "      secure: v1:123456",
      ].join("\n"),
      "test",
    );
    assert.strictEqual(stack.values["jenkins-agent-bridge:token"], SECRET_PLACEHOLDER);
    assert.strictEqual(
      stack.values["jenkins-agent-bridge:controller"],
      `{"password":"${SECRET_PLACEHOLDER}"}`,
    );
    assert.deepStrictEqual(stack.secretKeys.sort(), [
      "jenkins-agent-bridge:controller",
      "jenkins-agent-bridge:token",
    ]);
    assert.ok(!JSON.stringify(stack).includes("v1:"));
  });

  it("refuses a file that is not YAML, naming it", () => {
    assert.throws(
      () => parseStackFile("config: [unclosed", "stacks/Pulumi.bad.yaml"),
      (err: Error) =>
        err instanceof UsageError && err.message.startsWith("stacks/Pulumi.bad.yaml: not valid YAML:"),
    );
  });

  it("refuses an unknown stack, listing the known ones", () => {
    assert.throws(
      () => readStack(STACKS_DIR, "staging"),
      (err: Error) =>
        err instanceof UsageError &&
        err.message === '--stack: got "staging"; expected one of dev, prod, tcp (files in stacks/)',
    );
  });

  describe("overrides", () => {
    const base = {
      values: {
        "aws:region": "us-east-1",
        "jenkins-agent-bridge:masterNetwork": '{"azCount":2,"natStrategy":"single"}',
      },
      secretKeys: [],
    };

    it("sets a project key, namespace implied", () => {
      assert.strictEqual(
        applyOverrides(base, ["transport=tcp"]).values["jenkins-agent-bridge:transport"],
        "tcp",
      );
    });

    it("sets a key of another namespace", () => {
      assert.strictEqual(applyOverrides(base, ["aws:region=eu-west-1"]).values["aws:region"], "eu-west-1");
    });

    it("sets one field of a structured value by path, keeping the others", () => {
      const values = applyOverrides(base, [
        "masterNetwork.natStrategy=perAz",
        "agentNetwork.azCount=3",
      ]).values;
      assert.deepStrictEqual(JSON.parse(values["jenkins-agent-bridge:masterNetwork"]), {
        azCount: 2,
        natStrategy: "perAz",
      });
      assert.deepStrictEqual(JSON.parse(values["jenkins-agent-bridge:agentNetwork"]), { azCount: "3" });
    });

    it("takes JSON structures as values", () => {
      const values = applyOverrides(base, ['tags={"Team":"ci"}']).values;
      assert.strictEqual(values["jenkins-agent-bridge:tags"], '{"Team":"ci"}');
    });

    it("leaves the input untouched", () => {
      applyOverrides(base, ["masterNetwork.natStrategy=none"]);
      assert.strictEqual(
        base.values["jenkins-agent-bridge:masterNetwork"],
        '{"azCount":2,"natStrategy":"single"}',
      );
    });

    it("refuses an override without a value", () => {
      assert.throws(
        () => applyOverrides(base, ["transport"]),
        (err: Error) =>
          err instanceof UsageError &&
          err.message === '--config: got "transport"; expected KEY=VALUE, such as transport=tcp',
      );
    });
  });
});

describe("config paths", () => {
  const base = {
    values: { "jenkins-agent-bridge:agentCluster": '{"nodeInstanceTypes":["t3.large"]}' },
    secretKeys: [],
  };

  it("sets list items by index", () => {
    const values = applyOverrides(base, ["agentCluster.nodeInstanceTypes[1]=m6i.large"]).values;
    assert.deepStrictEqual(JSON.parse(values["jenkins-agent-bridge:agentCluster"]), {
      nodeInstanceTypes: ["t3.large", "m6i.large"],
    });
  });

  it("sets fields whose names hold dots or colons", () => {
    const values = applyOverrides(base, ['tags["kubernetes.io/team"]=ci', "tags.team:a=b"]).values;
    assert.deepStrictEqual(JSON.parse(values["jenkins-agent-bridge:tags"]), {
      "kubernetes.io/team": "ci",
      "team:a": "b",
    });
  });

  it("takes the namespace from the first segment only", () => {
    assert.deepStrictEqual(parseConfigPath("aws:region"), { key: "aws:region", steps: [] });
    assert.deepStrictEqual(parseConfigPath("masterNetwork.availabilityZones[0]"), {
      key: "jenkins-agent-bridge:masterNetwork",
      steps: ["availabilityZones", 0],
    });
  });

  it("refuses a malformed path", () => {
    assert.throws(
      () => parseConfigPath("tags[x]"),
      (err: Error) =>
        err instanceof UsageError &&
        err.message ===
          '--config: got "tags[x]"; expected a path of .field, [index] or ["field.with.dots"] steps',
    );
  });
});
