/**
 * The plugin list each committed stack's controller installs, as its task definition declares it:
 * tcp stacks carry instance-identity (inbound TCP agents need it since Jenkins 2.356), websocket
 * stacks do not.
 */
import * as assert from "assert";
import { JENKINS_PLUGINS, TCP_PLUGINS } from "../../components/shared/versions";
import { INIT_SCRIPT } from "../../components/jenkins/task-definition";
import { planStack } from "../harness/plan";

type Container = { name: string; command?: string[]; environment: { name: string; value: string }[] };

async function initContainer(stack: string, overrides: string[] = []): Promise<Container> {
  const view = await planStack(stack, overrides);
  const [task] = view.byType("aws:ecs/taskDefinition:TaskDefinition");
  const containers = JSON.parse(String(task.inputs.containerDefinitions)) as Container[];
  const init = containers.find((c) => c.name === "install");
  assert.ok(init, "no init container");
  return init;
}

const plugins = (c: Container) => c.environment.find((e) => e.name === "PLUGINS")?.value.split(" ");

describe("controller plugins per stack", () => {
  it("tcp installs the pinned list and instance-identity", async () => {
    const init = await initContainer("tcp");
    assert.deepStrictEqual(plugins(init), [...JENKINS_PLUGINS, ...TCP_PLUGINS]);
    assert.deepStrictEqual(init.command, [INIT_SCRIPT]);
  });

  it("dev with transport=tcp installs instance-identity too", async () => {
    assert.deepStrictEqual(plugins(await initContainer("dev", ["transport=tcp"])), [
      ...JENKINS_PLUGINS,
      ...TCP_PLUGINS,
    ]);
  });

  it("websocket stacks install the pinned list only", async () => {
    for (const stack of ["dev", "prod"]) {
      assert.deepStrictEqual(plugins(await initContainer(stack)), [...JENKINS_PLUGINS], stack);
    }
  });
});
