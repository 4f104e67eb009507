import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DATA_MODULES, renderDataModule } from "../scripts/gen-data-modules.js";
import { PROJECT_ROOT } from "./helpers/cli.js";

describe("reference data compiled into the checks", () => {
  it.each(DATA_MODULES.map((entry) => [entry.module, entry] as const))(
    "%s matches its JSON in data/ (run `npm run docs`)",
    (_module, entry) => {
      expect(readFileSync(path.join(PROJECT_ROOT, entry.module), "utf8")).toBe(renderDataModule(entry));
    },
  );
});
