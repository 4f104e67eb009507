import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allChecks } from "../src/checks/index.js";
import { checkDocsPath } from "../src/model/check.js";
import { SEVERITIES } from "../src/model/severity.js";
import { renderCheckDoc } from "../src/report/check-docs.js";
import { PROJECT_ROOT } from "./helpers/cli.js";

describe("the check catalogue", () => {
  it("has unique, well-formed ids and complete metadata", () => {
    const ids = allChecks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const check of allChecks) {
      expect(check.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
      expect(SEVERITIES).toContain(check.severity);
      expect(check.description.length, check.id).toBeGreaterThan(20);
      expect(check.remediation.length, check.id).toBeGreaterThan(10);
      expect(check.sources.length, check.id).toBeGreaterThan(0);
    }
  });

  it("has an up-to-date documentation page for every check (run `npm run docs`)", () => {
    for (const check of allChecks) {
      const file = path.join(PROJECT_ROOT, checkDocsPath(check.id));
      let text = "";
      try {
        text = readFileSync(file, "utf8");
      } catch {
        // reported by the assertion below
      }
      expect(text, `${file} is missing or stale`).toBe(renderCheckDoc(check));
    }
  });
});
