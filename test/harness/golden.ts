import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const FIXTURES = path.resolve(__dirname, "..", "fixtures");

/** Compares with a golden file; `UPDATE_GOLDEN=1 npx mocha` rewrites it after a deliberate change. */
export function golden(name: string, actual: string): void {
  const file = path.join(FIXTURES, name);
  if (process.env.UPDATE_GOLDEN === "1") {
    fs.writeFileSync(file, actual);
  }
  assert.strictEqual(actual, fs.readFileSync(file, "utf8"), `${name} differs; UPDATE_GOLDEN=1 rewrites it`);
}
