// Writes docs/checks/<id>.md for every registered check and the catalogue docs/checks/README.md, and removes
// the pages of checks that no longer exist (a renamed check's old page): the folder holds only what is true.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { allChecks } from "../src/checks/index.js";
import { checkDocsPath } from "../src/model/check.js";
import { renderCheckDoc, renderCheckIndex } from "../src/report/check-docs.js";

const root = path.resolve(import.meta.dirname, "..");
const docs = path.join(root, "docs/checks");
const pages = new Set(["README.md"]);
for (const check of allChecks) {
  const file = path.join(root, checkDocsPath(check.id));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, renderCheckDoc(check));
  pages.add(path.relative(docs, file));
}
writeFileSync(path.join(docs, "README.md"), renderCheckIndex(allChecks));
const stale = readdirSync(docs, { recursive: true, encoding: "utf8" }).filter(
  (page) => page.endsWith(".md") && !pages.has(page),
);
for (const page of stale) rmSync(path.join(docs, page));
// folders left empty by the removals
for (const folder of readdirSync(docs, { withFileTypes: true })) {
  if (folder.isDirectory() && readdirSync(path.join(docs, folder.name)).length === 0)
    rmSync(path.join(docs, folder.name), { recursive: true });
}
process.stdout.write(
  `wrote ${allChecks.length} check pages${stale.length > 0 ? `, removed ${stale.join(", ")}` : ""}\n`,
);
