import path from "node:path";
import MarkdownIt from "markdown-it";
import { beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../src/app/audit.js";
import { defineCheck } from "../../src/model/check.js";
import { runChecks } from "../../src/model/engine.js";
import type { Facts } from "../../src/model/facts.js";
import type { FindingDraft } from "../../src/model/finding.js";
import { render } from "../../src/report/index.js";
import { MARKDOWN_MAX_CHARS } from "../../src/report/markdown.js";
import { buildReport, type Report } from "../../src/report/report.js";

const EXAMPLE = path.resolve(import.meta.dirname, "../../examples/insecure-home");
const markdown = (report: Report, maxChars?: number) =>
  render("markdown", report, { color: false, ...(maxChars === undefined ? {} : { markdownMaxChars: maxChars }) });

/** A report of `perCheck` findings from each of `checks` checks, every one with its own place and message. */
function bigReport(checks: number, perCheck: number, options: { distinctTitles?: boolean } = {}): Report {
  const defined = Array.from({ length: checks }, (_, c) =>
    defineCheck({
      id: `test/check-${c}`,
      title: `Check number ${c} with a \`code\` word`,
      severity: (["critical", "high", "medium", "low", "info"] as const)[c % 5] ?? "info",
      area: "config",
      checklist: "secrets",
      needs: [],
      description: "Many findings.",
      remediation: "Move `the_value` to `secrets.yaml`.",
      sources: ["test"],
      run: () =>
        Array.from(
          { length: perCheck },
          (_, i): FindingDraft => ({
            ...(options.distinctTitles ? { title: `Finding ${c}-${i} with its own title, so it is not grouped` } : {}),
            message: `Password written inline at \`packages/room_${i}.yaml\` for the device number ${i} of check ${c}.`,
            location: { file: `packages/room_${i}.yaml`, line: i + 1, column: 3 },
            evidence: `password: ${"*".repeat(3)}`,
          }),
        ),
    }),
  );
  const facts: Facts = { missing: {}, errors: [], now: new Date(0) };
  const run = runChecks(defined, facts);
  return buildReport({
    version: "9.9.9",
    targets: { config: "/config", host: null, url: null },
    startedAt: new Date(0),
    durationMs: 1,
    findings: run.findings,
    notChecked: [],
    errors: Array.from({ length: perCheck }, (_, i) => ({
      source: "config" as const,
      file: `broken_${i}.yaml`,
      message: "invalid YAML",
    })),
    suppressed: [],
  });
}

describe("Markdown report of the bundled example home", () => {
  let report: Report;
  let md: string;
  beforeAll(async () => {
    report = await runAudit({ configDir: EXAMPLE, passwordBudgetSeconds: 0, suppressions: [], version: "9.9.9" });
    md = markdown(report);
  });

  it("fits a forum post: under 30,000 characters, with every finding's group and a note of what was shortened", () => {
    expect(report.findings.length).toBeGreaterThan(40);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    // shortening first drops repeated places, never a kind of finding: every check that fired is still named
    for (const id of new Set(report.findings.map((f) => f.id))) expect(md).toContain(`\`${id}\``);
    const whole = render("markdown", report, { color: false, markdownMaxChars: 0 });
    if (whole.length > MARKDOWN_MAX_CHARS) expect(md).toMatch(/^> \*\*Shortened\*\* to stay under 30,000 characters/m);
    else expect(md).toBe(whole);
  });

  it("groups repeated findings under one heading, as the text report does", () => {
    // within a severity, one heading per check and title
    for (const section of md.split(/^## /m)) {
      const titles = [...section.matchAll(/^### (.*)$/gm)].map((m) => m[1]);
      expect(new Set(titles).size, section.slice(0, 40)).toBe(titles.length);
    }
    expect(md).toMatch(/^### Credential stored in a file outside Home Assistant's YAML \(×3\)$/m);
    const text = render("text", report, { color: false });
    expect(text).toContain("Credential stored in a file outside Home Assistant's YAML ×3");
  });

  it("keeps code as code in titles, messages and fixes", () => {
    expect(md).toContain("Remove the `legacy_api_password` provider");
    expect(md).not.toContain("\\`");
    const html = new MarkdownIt().render(md);
    expect(html).toContain("<code>legacy_api_password</code>");
    expect(html).toContain("<h3>Legacy <code>http: api_password</code></h3>");
  });
});

describe("Markdown report length", () => {
  it("a long report is shortened under the limit, says what was left out and where to find everything", () => {
    const report = bigReport(20, 150);
    const whole = markdown(report, 0);
    expect(whole.length).toBeGreaterThan(MARKDOWN_MAX_CHARS * 5);
    expect(whole).not.toContain("Shortened");
    const md = markdown(report);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    const note = /^> \*\*Shortened\*\* to stay under 30,000 characters.*$/m.exec(md)?.[0] ?? "";
    expect(note).toMatch(/\d+ places where a finding repeats not listed/);
    expect(note).toContain("--format json");
    // still every check's group, each with its fix, and the places it kept
    for (let c = 0; c < 20; c++) expect(md).toContain(`Check number ${c} with a \`code\` word`);
    expect(md).toMatch(/- … and \d+ more places \(shortened\)/);
  });

  it("thousands of different findings: one line per group, then whole sections, always under the limit", () => {
    const report = bigReport(10, 600, { distinctTitles: true });
    const md = markdown(report);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    expect(md).toMatch(/^> \*\*Shortened\*\*.*groups of findings shown in one line.*sections? left out/m);
    expect(md.startsWith("# hassguard report")).toBe(true);
    expect(md).toContain("**Score ");
  });

  it("a smaller limit is obeyed too, and 0 means no limit", () => {
    const report = bigReport(5, 40);
    expect(markdown(report, 5000).length).toBeLessThanOrEqual(5000);
    expect(markdown(report, 0)).toBe(markdown(report, 10_000_000));
  });
});
