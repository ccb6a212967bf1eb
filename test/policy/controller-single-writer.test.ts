import * as assert from "assert";
import { messages, Resource } from "../../policy/lib/resources";
import { COMPONENT_TYPES, TYPES } from "../../policy/lib/types";
import {
  checkSingleWriter,
  controllerSingleWriter,
  isControllerService,
} from "../../policy/policies/controller-single-writer";
import { TOKENS } from "../../components/shared/tokens";
import { runResourcePolicy, urnOf } from "./harness";

const SINGLE_WRITER = { desiredCount: 1, deploymentMinimumHealthyPercent: 0, deploymentMaximumPercent: 100 };
const inController = (props: Record<string, unknown>, name = "jenkins-service"): Resource => ({
  type: TYPES.ecsService,
  name,
  urn: urnOf(TYPES.ecsService, name, COMPONENT_TYPES.controller),
  props,
});
const SVC = `${TYPES.ecsService} "jenkins-service"`;
const WHY = "so two controllers never share JENKINS_HOME";

describe("policy controller-single-writer", () => {
  it("uses the controller component's type token", () => {
    assert.strictEqual(COMPONENT_TYPES.controller, TOKENS.jenkinsController);
  });

  it("recognises the controller's service by its component, whatever its name, or by its container", () => {
    assert.ok(isControllerService(inController({}, "renamed")));
    assert.ok(
      isControllerService({
        type: TYPES.ecsService,
        name: "elsewhere",
        props: { loadBalancers: [{ containerName: "jenkins", containerPort: 8080 }] },
      }),
    );
    assert.ok(
      !isControllerService({
        type: TYPES.ecsService,
        name: "other",
        urn: urnOf(TYPES.ecsService, "other"),
        props: {},
      }),
    );
    assert.ok(
      !isControllerService({
        type: "aws:ecs/cluster:Cluster",
        name: "c",
        urn: urnOf("aws:ecs/cluster:Cluster", "c", COMPONENT_TYPES.controller),
        props: {},
      }),
    );
  });

  it("accepts the single-writer settings", () => {
    assert.deepStrictEqual(checkSingleWriter(inController({ ...SINGLE_WRITER, launchType: "FARGATE" })), []);
  });

  it("reports each setting that could start a second controller", () => {
    assert.deepStrictEqual(
      messages(
        checkSingleWriter(
          inController({
            desiredCount: 2,
            deploymentMinimumHealthyPercent: 50,
            deploymentMaximumPercent: 200,
          }),
        ),
      ),
      [
        `${SVC}: desiredCount is 2; the controller's service must keep desiredCount 1 ${WHY}`,
        `${SVC}: deploymentMinimumHealthyPercent is 50; the controller's service must keep deploymentMinimumHealthyPercent 0 ${WHY}`,
        `${SVC}: deploymentMaximumPercent is 200; the controller's service must keep deploymentMaximumPercent 100 ${WHY}`,
      ],
    );
  });

  it("requires every setting explicitly, saying what ECS does when unset", () => {
    assert.deepStrictEqual(messages(checkSingleWriter(inController({}))), [
      `${SVC}: desiredCount is unset (ECS runs no task); the controller's service must keep desiredCount 1 ${WHY}`,
      `${SVC}: deploymentMinimumHealthyPercent is unset (ECS keeps 100 % running during a deployment); ` +
        `the controller's service must keep deploymentMinimumHealthyPercent 0 ${WHY}`,
      `${SVC}: deploymentMaximumPercent is unset (ECS starts up to 200 % during a deployment); ` +
        `the controller's service must keep deploymentMaximumPercent 100 ${WHY}`,
    ]);
  });

  it("leaves other services alone", () => {
    assert.deepStrictEqual(
      checkSingleWriter({
        type: TYPES.ecsService,
        name: "web",
        urn: urnOf(TYPES.ecsService, "web"),
        props: { desiredCount: 3 },
      }),
      [],
    );
  });

  describe("as a resource policy", () => {
    it("recognises the service from the URN the engine passes", async () => {
      const service = {
        type: TYPES.ecsService,
        name: "jenkins-service",
        urn: urnOf(TYPES.ecsService, "jenkins-service", COMPONENT_TYPES.controller),
        props: { ...SINGLE_WRITER, desiredCount: 0 },
      };
      assert.deepStrictEqual(await runResourcePolicy(controllerSingleWriter, service), [
        `${SVC}: desiredCount is 0; the controller's service must keep desiredCount 1 ${WHY}`,
      ]);
    });
  });
});
