/** `npm run docs`: regenerates the configuration reference in README.md from the schema. */
import * as fs from "fs";
import * as path from "path";
import { withReference } from "../config/reference";

const readme = path.resolve(__dirname, "..", "README.md");
const before = fs.readFileSync(readme, "utf8");
const after = withReference(before);
fs.writeFileSync(readme, after);
process.stdout.write(
  after === before ? "README.md is current\n" : "README.md: configuration reference updated\n",
);
