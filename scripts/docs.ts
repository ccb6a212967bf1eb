/** `npm run docs`: regenerates the configuration reference in docs/configuration.md from the schema. */
import * as fs from "fs";
import * as path from "path";
import { REFERENCE_FILE, withReference } from "../config/reference";

const page = path.resolve(__dirname, "..", REFERENCE_FILE);
const before = fs.readFileSync(page, "utf8");
const after = withReference(before);
fs.writeFileSync(page, after);
process.stdout.write(
  after === before
    ? `${REFERENCE_FILE} is current\n`
    : `${REFERENCE_FILE}: configuration reference updated\n`,
);
