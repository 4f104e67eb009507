// Writes docs/checks/<id>.md for every registered check and the catalogue docs/checks/README.md.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { allChecks } from "../src/checks/index.js";
import { checkDocsPath } from "../src/model/check.js";
import { renderCheckDoc, renderCheckIndex } from "../src/report/check-docs.js";

const root = path.resolve(import.meta.dirname, "..");
for (const check of allChecks) {
  const file = path.join(root, checkDocsPath(check.id));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, renderCheckDoc(check));
}
writeFileSync(path.join(root, "docs/checks/README.md"), renderCheckIndex(allChecks));
process.stdout.write(`wrote ${allChecks.length} check pages\n`);
