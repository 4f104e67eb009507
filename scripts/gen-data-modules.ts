// Turns the reference data that checks need (data/*.json) into TypeScript modules under src/checks, so a check
// never reads a file while it runs (checks do no I/O: test/layers.test.ts) and the data stays one JSON file
// with its provenance beside it (data/README.md). Generated modules end in `.generated.ts` (Biome leaves them
// as written). `npm run docs` runs this; test/data-modules.test.ts fails when
// a generated module is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

export interface DataModule {
  /** The JSON file under data/. */
  data: string;
  /** The module written under src/. */
  module: string;
  /** The exported constant, and the type it satisfies (imported type-only from `typeFrom`). */
  name: string;
  type: string;
  typeFrom: string;
}

export const DATA_MODULES: DataModule[] = [
  {
    data: "data/integration-secrets.json",
    module: "src/checks/config/integration-secrets.generated.ts",
    name: "INTEGRATION_SECRET_DATA",
    type: "IntegrationSecretData",
    typeFrom: "./integration-secrets.js",
  },
];

export function renderDataModule(entry: DataModule): string {
  const json = JSON.parse(readFileSync(path.join(ROOT, entry.data), "utf8")) as unknown;
  return [
    `// Generated from ${entry.data} by scripts/gen-data-modules.ts (npm run docs): do not edit.`,
    `import type { ${entry.type} } from "${entry.typeFrom}";`,
    "",
    // \`as const\` keeps the literal types, so the type below is checked for real; the provenance fields beside
    // the data (why, source, commit) are allowed because this is not a fresh literal
    `const data = ${JSON.stringify(json, null, 2)} as const;`,
    "",
    `export const ${entry.name}: ${entry.type} = data;`,
    "",
  ].join("\n");
}

if (process.argv[1] !== undefined && import.meta.filename === path.resolve(process.argv[1])) {
  for (const entry of DATA_MODULES) {
    writeFileSync(path.join(ROOT, entry.module), renderDataModule(entry));
    process.stdout.write(`wrote ${entry.module}\n`);
  }
}
