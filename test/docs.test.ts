import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allChecks } from "../src/checks/index.js";
import { checkDocsPath } from "../src/model/check.js";
import { SEVERITIES } from "../src/model/severity.js";
import { renderCheckDoc, renderCheckIndex } from "../src/report/check-docs.js";
import { PROJECT_ROOT } from "./helpers/cli.js";

describe("the check catalogue", () => {
  it("has unique, well-formed ids and complete metadata", () => {
    const ids = allChecks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const check of allChecks) {
      expect(SEVERITIES).toContain(check.severity);
      expect(check.description.length, check.id).toBeGreaterThan(20);
      expect(check.remediation.length, check.id).toBeGreaterThan(10);
      expect(check.sources.length, check.id).toBeGreaterThan(0);
    }
  });

  it("has no page for a check that does not exist (a renamed check's old page; run `npm run docs`)", () => {
    const docs = path.join(PROJECT_ROOT, "docs/checks");
    const pages = new Set(
      allChecks.map((check) => path.relative(docs, path.join(PROJECT_ROOT, checkDocsPath(check.id)))),
    );
    const stale = readdirSync(docs, { recursive: true, encoding: "utf8" }).filter(
      (page) => page.endsWith(".md") && page !== "README.md" && !pages.has(page),
    );
    expect(stale).toEqual([]);
  });

  it("has an up-to-date catalogue listing every check and every former id", () => {
    expect(readFileSync(path.join(PROJECT_ROOT, "docs/checks/README.md"), "utf8")).toBe(renderCheckIndex(allChecks));
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
