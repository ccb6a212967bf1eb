import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REFERENCE_FILE, renderReference, withReference } from "../../config/reference";
import { STACK_SCHEMA, NAMESPACE } from "../../config/stack-config";
import { ROOT } from "../harness/plan";

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const readme = () => read("README.md");

describe("Documentation", () => {
  it("carries the current configuration reference (run npm run docs after changing the schema)", () => {
    const page = read(REFERENCE_FILE);
    assert.strictEqual(withReference(page), page);
  });

  it("documents every key of the schema with its type and default", () => {
    const reference = renderReference();
    for (const row of STACK_SCHEMA.rows(NAMESPACE)) {
      const key = row.key.slice(NAMESPACE.length);
      assert.ok(reference.includes(`| \`${key}\` |`), `${key} is not documented`);
      assert.ok(row.doc.length > 10, `${key} has no meaning documented`);
    }
  });

  it("keeps the two quick-start commands", () => {
    const text = readme();
    assert.ok(text.includes("npm ci && npm run plan -- --stack dev\nnpm test\n"));
    for (const step of ["pulumi login", "pulumi stack select", "pulumi config set", "pulumi up"]) {
      assert.ok(text.includes(step), step);
    }
  });
});
