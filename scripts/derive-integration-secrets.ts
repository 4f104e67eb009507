// Updates the `domains` section of data/integration-secrets.json from a checkout of Home Assistant's source:
// for each integration, the keys its diagnostics.py redacts (TO_REDACT and the like), each entry naming the
// file and commit it was read from. Run by hand when the list should grow or follow Home Assistant:
//
//   git clone --depth 1 https://github.com/home-assistant/core ../core
//   node --import tsx scripts/derive-integration-secrets.ts ../core [domain ...]
//
// Without domains it refreshes those already in the file. Constants a library defines (zigpy's, aiohomekit's)
// cannot be resolved from the checkout: they are printed, and a person adds their value by hand (data/README.md).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { redactedKeys } from "./redacted-keys.js";

const [core, ...asked] = process.argv.slice(2);
if (core === undefined) {
  process.stderr.write("usage: derive-integration-secrets.ts <home-assistant/core checkout> [domain ...]\n");
  process.exit(2);
}
const dataFile = new URL("../data/integration-secrets.json", import.meta.url);
const data = JSON.parse(readFileSync(dataFile, "utf8")) as {
  domains: Record<string, { source: string; commit: string; sets: string[]; redacted: string[] }>;
};
const commit = execFileSync("git", ["-C", core, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
const read = (file: string) => (existsSync(path.join(core, file)) ? readFileSync(path.join(core, file), "utf8") : "");
const haConst = read("homeassistant/const.py");

for (const domain of asked.length > 0 ? asked : Object.keys(data.domains)) {
  const dir = `homeassistant/components/${domain}`;
  const source = `${dir}/diagnostics.py`;
  const diagnostics = read(source);
  if (diagnostics === "") {
    process.stderr.write(`${domain}: no diagnostics.py (add its secret keys to "schemas" from its config flow)\n`);
    continue;
  }
  const found = redactedKeys(diagnostics, [read(`${dir}/const.py`), read(`${dir}/__init__.py`), haConst]);
  if (found.unresolved.length > 0) {
    process.stderr.write(`${domain}: resolve by hand: ${found.unresolved.join(", ")}\n`);
  }
  if (found.keys.length === 0) {
    process.stderr.write(`${domain}: redacts no keys by name\n`);
    continue;
  }
  data.domains[domain] = { source, commit, sets: found.sets, redacted: found.keys };
}
data.domains = Object.fromEntries(Object.entries(data.domains).sort(([a], [b]) => (a < b ? -1 : 1)));
writeFileSync(dataFile, `${JSON.stringify(data, null, 1)}\n`);
