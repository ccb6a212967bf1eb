import * as assert from "assert";
import {
  bool,
  editDistance,
  int,
  list,
  nearest,
  object,
  oneOf,
  optional,
  Problems,
  str,
} from "../../config/schema";

describe("config schema", () => {
  it("measures edit distance", () => {
    const table: [string, string, number][] = [
      ["", "", 0],
      ["abc", "", 3],
      ["transport", "transport", 0],
      ["trasnport", "transport", 2],
      ["kitten", "sitting", 3],
    ];
    for (const [a, b, d] of table) {
      assert.strictEqual(editDistance(a, b), d, `${a} / ${b}`);
    }
  });

  it("suggests only near candidates", () => {
    const keys = ["transport", "tags", "throwaway", "masterNetwork", "agentNetwork"];
    assert.strictEqual(nearest("trasnport", keys), "transport");
    assert.strictEqual(nearest("MasterNetwork", keys), "masterNetwork");
    assert.strictEqual(nearest("agentNetworks", keys), "agentNetwork");
    assert.strictEqual(nearest("tag", keys), "tags");
    assert.strictEqual(nearest("region", keys), undefined);
    assert.strictEqual(nearest("udp", ["websocket", "tcp"]), undefined);
  });

  it("takes defaults for absent keys and records nothing", () => {
    const schema = object("x", {
      size: int({ doc: "", default: 3, min: 1, max: 5 }),
      on: bool({ doc: "", default: true }),
      name: optional(str({ doc: "", default: "" })),
    });
    const problems = new Problems();
    assert.deepStrictEqual(schema.parse(undefined, "ns:", problems), { size: 3, on: true, name: undefined });
    assert.strictEqual(problems.count, 0);
  });

  it("names list items by index", () => {
    const field = list(oneOf(["a", "b"], { doc: "", default: "a" }), { doc: "", default: [] });
    const problems = new Problems();
    field.parse(["a", "c", "b", "x"], "ns:letters", problems);
    assert.deepStrictEqual(problems.lines(), [
      'ns:letters[1]: got "c"; expected one of a, b',
      'ns:letters[3]: got "x"; expected one of a, b',
    ]);
  });

  it("shortens long values in messages", () => {
    const problems = new Problems();
    str({ doc: "", default: "", pattern: /^a$/ }).parse("b".repeat(200), "ns:k", problems);
    assert.strictEqual(problems.lines()[0], `ns:k: got "${"b".repeat(76)}...; expected a non-empty string`);
  });

  it("documents every leaf with its dotted key", () => {
    const schema = object("x", {
      net: object("n", { cidr: str({ doc: "the block", default: "10.0.0.0/16" }) }),
      mode: oneOf(["a", "b"], { doc: "the mode", default: "a" }),
    });
    assert.deepStrictEqual(schema.rows("ns:"), [
      { key: "ns:net.cidr", type: "string", default: '"10.0.0.0/16"', doc: "the block" },
      { key: "ns:mode", type: "a | b", default: '"a"', doc: "the mode" },
    ]);
  });
});
