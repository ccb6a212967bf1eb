import * as assert from "assert";
import { mandatoryStackPolicy, violation } from "../../policy/lib/resources";
import { runStackPolicy, TestResource, urnOf } from "./harness";

const bucket = (name: string): TestResource => ({
  type: "aws:s3/bucketV2:BucketV2",
  name,
  urn: urnOf("aws:s3/bucketV2:BucketV2", name),
  props: { bucket: name },
});

describe("policy lib mandatoryStackPolicy", () => {
  const seen: { names: string[]; config: object }[] = [];
  const policy = mandatoryStackPolicy<{ limit: number }>(
    "bucket-limit",
    "At most `limit` buckets.",
    (resources, config) => {
      seen.push({ names: resources.map((r) => r.name), config });
      return resources.slice(config.limit ?? 1).map((r) => violation(r, "one bucket too many"));
    },
    { properties: { limit: { type: "integer" } } },
  );

  beforeEach(() => seen.splice(0));

  it("is mandatory, with its name, description and config schema", () => {
    assert.strictEqual(policy.name, "bucket-limit");
    assert.strictEqual(policy.description, "At most `limit` buckets.");
    assert.strictEqual(policy.enforcementLevel, "mandatory");
    assert.deepStrictEqual(policy.configSchema, { properties: { limit: { type: "integer" } } });
  });

  it("hands the check the stack's plain resources and the config, and reports with URNs", async () => {
    const reported = await runStackPolicy(policy, [bucket("a"), bucket("b"), bucket("c")], { limit: 2 });
    assert.deepStrictEqual(seen, [{ names: ["a", "b", "c"], config: { limit: 2 } }]);
    assert.deepStrictEqual(reported, [
      {
        message: 'aws:s3/bucketV2:BucketV2 "c": one bucket too many',
        urn: urnOf("aws:s3/bucketV2:BucketV2", "c"),
      },
    ]);
  });

  it("passes an empty config when none is given", async () => {
    const reported = await runStackPolicy(policy, [bucket("a"), bucket("b")]);
    assert.deepStrictEqual(seen, [{ names: ["a", "b"], config: {} }]);
    assert.strictEqual(reported.length, 1);
  });

  it("has no config schema when none is named", () => {
    const plain = mandatoryStackPolicy("none", "Nothing.", () => []);
    assert.strictEqual("configSchema" in plain, false);
  });
});
