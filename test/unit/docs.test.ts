import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { renderReference, withReference } from "../../config/reference";
import { STACK_SCHEMA, NAMESPACE } from "../../config/stack-config";
import { ROOT } from "../harness/plan";

const readme = () => fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

describe("README", () => {
  it("carries the current configuration reference (run npm run docs after changing the schema)", () => {
    assert.strictEqual(withReference(readme()), readme());
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
