/** Tag layers and the tags a component gives its children. */
import * as assert from "assert";
import { childTagger, mergeTags, stackTags } from "../../components/shared/tags";

describe("tags", () => {
  it("merges layers with later layers winning, skipping missing ones", () => {
    assert.deepStrictEqual(mergeTags({ A: "1", B: "1" }, undefined, { B: "2" }), { A: "1", B: "2" });
  });

  it("names a component's children after the component, over any Name the component was given", () => {
    const tagged = childTagger({ Stack: "dev", Name: "ignored" }, "jenkins");
    assert.deepStrictEqual(tagged("cluster"), { Stack: "dev", Name: "jenkins-cluster" });
    assert.deepStrictEqual(tagged("task"), { Stack: "dev", Name: "jenkins-task" });
  });

  it("keeps the blueprint's own tags over a stack's", () => {
    assert.deepStrictEqual(stackTags("p", "dev", { ManagedBy: "me", Team: "x" }), {
      ManagedBy: "pulumi",
      Team: "x",
      Project: "p",
      Stack: "dev",
    });
  });
});
