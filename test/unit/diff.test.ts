import * as assert from "assert";
import {
  changedPaths,
  diffPlans,
  diffSummary,
  PlanJson,
  PlanJsonResource,
  renderDiffMarkdown,
  renderDiffText,
} from "../../offline/diff";

const resource = (
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<PlanJsonResource> = {},
): PlanJsonResource => ({ type, name, custom: true, parent: null, inputs, ...extra });

const plan = (resources: PlanJsonResource[]): PlanJson => ({ project: "p", stack: "dev", resources });

describe("plan diff", () => {
  describe("changedPaths", () => {
    it("names nested keys and list items that differ, and nothing that is equal", () => {
      assert.deepStrictEqual(changedPaths({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] } }), []);
      assert.deepStrictEqual(
        changedPaths({ a: 1, b: { c: [1, 2], d: "x" } }, { a: 2, b: { c: [1, 3], e: "y" } }),
        ["a", "b.c[1]", "b.d", "b.e"],
      );
    });

    it("treats a list that changed length as one change", () => {
      assert.deepStrictEqual(changedPaths({ l: [1] }, { l: [1, 2] }), ["l"]);
    });

    it("looks inside JSON documents held in strings (policies, container definitions)", () => {
      const before = JSON.stringify([{ name: "jenkins", environment: [{ name: "A", value: "1" }] }]);
      const after = JSON.stringify([{ name: "jenkins", environment: [{ name: "A", value: "2" }] }]);
      assert.deepStrictEqual(changedPaths({ defs: before }, { defs: after }), [
        "defs[0].environment[0].value",
      ]);
      assert.deepStrictEqual(changedPaths({ defs: before }, { defs: `${before}\n` }), []);
    });
  });

  describe("diffPlans", () => {
    const before = plan([
      resource("aws:ec2/vpc:Vpc", "agent", { cidrBlock: "10.20.0.0/16" }),
      resource("aws:lb/listener:Listener", "gateway-443", { port: 443 }),
      resource("aws:efs/fileSystem:FileSystem", "jenkins-home", { encrypted: true }, { protect: false }),
      resource("aws:ec2/subnet:Subnet", "a", { cidrBlock: "10.20.0.0/20" }, { parent: "Network::agent" }),
    ]);

    it("finds nothing between a plan and itself", () => {
      assert.strictEqual(diffSummary(diffPlans(before, before)), "+0 ~0 -0");
    });

    it("matches resources by parent, type and name, and lists the inputs that differ", () => {
      const after = plan([
        resource("aws:ec2/vpc:Vpc", "agent", { cidrBlock: "10.21.0.0/16" }),
        resource("aws:lb/listener:Listener", "gateway-8080", { port: 8080 }),
        resource("aws:efs/fileSystem:FileSystem", "jenkins-home", { encrypted: true }, { protect: true }),
        resource("aws:ec2/subnet:Subnet", "a", { cidrBlock: "10.20.0.0/20" }, { parent: "Network::master" }),
      ]);
      const diff = diffPlans(before, after);
      assert.strictEqual(diffSummary(diff), "+2 ~2 -2");
      assert.strictEqual(
        renderDiffText(diff),
        [
          "+2 ~2 -2",
          "+ aws:lb/listener:Listener gateway-8080",
          "+ aws:ec2/subnet:Subnet a",
          "~ aws:ec2/vpc:Vpc agent: cidrBlock",
          "~ aws:efs/fileSystem:FileSystem jenkins-home: (protect)",
          "- aws:lb/listener:Listener gateway-443",
          "- aws:ec2/subnet:Subnet a",
        ].join("\n"),
      );
    });

    it("ignores protect when one side's plan does not record it (an older checkout)", () => {
      const older = plan(before.resources.map(({ protect: _protect, ...r }) => r));
      assert.strictEqual(diffSummary(diffPlans(older, before)), "+0 ~0 -0");
    });

    it("counts everything as added for a stack that did not exist", () => {
      assert.strictEqual(diffSummary(diffPlans(plan([]), before)), "+4 ~0 -0");
    });
  });

  describe("markdown", () => {
    it("renders a heading, the summary and a table, escaping pipes and capping long path lists", () => {
      const many = Object.fromEntries(
        Array.from({ length: 14 }, (_, i) => [`k${String(i).padStart(2, "0")}`, i]),
      );
      const diff = diffPlans(
        plan([resource("t:m:R", "a|b", {}), resource("t:m:S", "s", many)]),
        plan([resource("t:m:S", "s", {})]),
      );
      assert.strictEqual(
        renderDiffMarkdown(diff, "Plan diff of stack dev: main → working tree"),
        [
          "### Plan diff of stack dev: main → working tree",
          "",
          "`+0 ~1 -1`",
          "",
          "| | type | name | changed inputs |",
          "| --- | --- | --- | --- |",
          "| ~ | `t:m:S` | `s` | `k00`, `k01`, `k02`, `k03`, `k04`, `k05`, `k06`, `k07`, `k08`, `k09`, `k10`, `k11`, and 2 more |",
          "| - | `t:m:R` | `a\\|b` |  |",
        ].join("\n"),
      );
    });

    it("says so when nothing changes", () => {
      assert.strictEqual(
        renderDiffMarkdown(diffPlans(plan([]), plan([])), "h"),
        "### h\n\n`+0 ~0 -0`\n\nNo resource changes.",
      );
    });
  });
});
