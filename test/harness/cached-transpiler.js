/**
 * A ts-node transpiler (transpile-only) that keeps each file's output in a folder, for the test
 * run: the tests start many child processes (`npm run plan` and the other scripts, as a user runs
 * them), and each would otherwise transpile the whole program again. The output is TypeScript's
 * own `transpileModule`, the same ts-node makes; an entry is named by a hash of the compiler's
 * version, the compiler options, the file name and the source text, so an edited file is
 * transpiled anew. Output with diagnostics is never kept. The folder is `TS_TRANSPILE_CACHE_DIR`;
 * without it, nothing is kept.
 *
 * Plain JavaScript: ts-node loads its transpiler before it can load TypeScript.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

function create({ service }) {
  const ts = require(service.projectLocalResolveHelper("typescript", true));
  const compilerOptions = service.config.options;
  const dir = process.env.TS_TRANSPILE_CACHE_DIR;
  const salt = JSON.stringify([ts.version, compilerOptions]);
  return {
    transpile(input, { fileName }) {
      const entry =
        dir &&
        path.join(
          dir,
          crypto
            .createHash("sha256")
            .update(salt)
            .update("\0")
            .update(fileName)
            .update("\0")
            .update(input)
            .digest("hex"),
        );
      if (entry) {
        try {
          return JSON.parse(fs.readFileSync(entry, "utf8"));
        } catch (err) {
          if (err.code !== "ENOENT") throw err;
        }
      }
      const result = ts.transpileModule(input, { fileName, compilerOptions, reportDiagnostics: true });
      if (entry && !(result.diagnostics && result.diagnostics.length)) {
        const partial = `${entry}.${process.pid}`;
        fs.writeFileSync(
          partial,
          JSON.stringify({ outputText: result.outputText, sourceMapText: result.sourceMapText }),
        );
        fs.renameSync(partial, entry);
      }
      return result;
    },
  };
}

module.exports = { create };
