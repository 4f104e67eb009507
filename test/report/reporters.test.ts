import { describe, expect, it } from "vitest";
import { defineCheck } from "../../src/model/check.js";
import { runChecks } from "../../src/model/engine.js";
import type { Facts } from "../../src/model/facts.js";
import { FORMATS, render } from "../../src/report/index.js";
import { buildReport, type Report } from "../../src/report/report.js";
import { sarifSchema, sarifValidator } from "../helpers/sarif-schema.js";

const facts: Facts = { missing: {}, errors: [], now: new Date(0) };

// Checks defined here so the reporters are tested on every location kind and severity, independent of
// which real checks exist.
const testChecks = [
  defineCheck({
    id: "test/file-finding",
    title: "File finding",
    severity: "high",
    area: "config",
    checklist: "secrets",
    needs: [],
    description: "A finding in a file.",
    remediation: "Move it to secrets.yaml.",
    sources: ["test"],
    run: () => [
      { message: "second", location: { file: "b.yaml", line: 3, column: 1 }, evidence: "password: hu***" },
      { message: "first <script>", location: { file: "a dir/a.yaml", line: 10, column: 5 } },
      { message: "critical one", severity: "critical", location: { file: "a.yaml", line: 2 } },
    ],
  }),
  defineCheck({
    id: "test/network-finding",
    title: "Network finding",
    severity: "medium",
    area: "network",
    checklist: "ports",
    needs: [],
    description: "A finding on a port.",
    remediation: "Close the port.",
    sources: ["test"],
    run: () => [{ message: "open", location: { host: "::1", port: 1883, protocol: "tcp" } }],
  }),
  defineCheck({
    id: "test/user-finding",
    title: "User finding",
    severity: "info",
    area: "storage",
    checklist: "mfa",
    needs: ["storage"],
    description: "Needs storage facts.",
    remediation: "n/a",
    sources: ["test"],
    run: () => [{ message: "never runs" }],
  }),
  defineCheck({
    id: "test/broken",
    title: "Broken",
    severity: "low",
    area: "config",
    checklist: "secrets",
    needs: [],
    description: "Throws.",
    remediation: "n/a",
    sources: ["test"],
    run: () => {
      throw new Error("boom");
    },
  }),
];

function sampleReport(): Report {
  const run = runChecks(testChecks, { ...facts, missing: { storage: "no .storage folder" } });
  return buildReport({
    version: "9.9.9",
    targets: { config: "/config", host: null, url: null },
    startedAt: new Date("2026-11-23T12:00:00Z"),
    durationMs: 12.4,
    findings: run.findings,
    notChecked: run.notChecked,
    errors: [...run.errors, { source: "config", file: "bad.yaml", line: 2, message: "invalid YAML: x" }],
    suppressed: [],
  });
}

describe("the check engine", () => {
  it("sorts findings by severity, then id, then location, and fills metadata from the check", () => {
    const report = sampleReport();
    expect(report.findings.map((f) => `${f.severity} ${f.id} ${f.message}`)).toEqual([
      "critical test/file-finding critical one",
      "high test/file-finding first <script>",
      "high test/file-finding second",
      "medium test/network-finding open",
    ]);
    expect(report.findings[1]).toMatchObject({
      title: "File finding",
      remediation: "Move it to secrets.yaml.",
      checklist: "secrets",
      fixable: false,
      docs: "docs/checks/test/file-finding.md",
    });
  });

  it("reports a check without its facts as not checked, and a throwing check as an error", () => {
    const report = sampleReport();
    expect(report.notChecked).toEqual([{ id: "test/user-finding", reason: "no .storage folder" }]);
    expect(report.errors.map((e) => e.message)).toContain("check test/broken failed: boom");
  });

  it("scores: fewer and milder findings score higher, never below 0", () => {
    const report = sampleReport();
    expect(report.summary).toMatchObject({ critical: 1, high: 2, medium: 1, low: 0, info: 0 });
    expect(report.summary.score).toBeGreaterThan(0);
    expect(report.summary.score).toBeLessThan(100);
  });
});

describe("JSON reporter", () => {
  it("follows the hassguard-report/1 contract", () => {
    const parsed = JSON.parse(render("json", sampleReport(), { color: false }));
    expect(Object.keys(parsed)).toEqual(
      expect.arrayContaining([
        "schema",
        "tool",
        "targets",
        "startedAt",
        "durationMs",
        "findings",
        "notChecked",
        "errors",
        "summary",
      ]),
    );
    expect(parsed.schema).toBe("hassguard-report/1");
    expect(parsed.durationMs).toBe(12);
    expect(parsed.findings[0]).toEqual({
      id: "test/file-finding",
      severity: "critical",
      title: "File finding",
      message: "critical one",
      location: { file: "a.yaml", line: 2 },
      remediation: "Move it to secrets.yaml.",
      checklist: "secrets",
      fixable: false,
      docs: "docs/checks/test/file-finding.md",
    });
    expect(parsed.findings[3].location).toEqual({ host: "::1", port: 1883, protocol: "tcp" });
  });
});

describe("SARIF reporter", () => {
  const schema = sarifSchema();

  it("validates against the official SARIF 2.1.0 schema", () => {
    const validate = sarifValidator(schema);
    const sarif = JSON.parse(render("sarif", sampleReport(), { color: false }));
    const valid = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("the schema check itself rejects a broken log", () => {
    const validate = sarifValidator(schema);
    const sarif = JSON.parse(render("sarif", sampleReport(), { color: false }));
    sarif.runs[0].results[0].level = "catastrophic";
    expect(validate(sarif)).toBe(false);
  });

  it("the schema check knows the formats too: a helpUri that is no URI fails", () => {
    const validate = sarifValidator(schema);
    const sarif = JSON.parse(render("sarif", sampleReport(), { color: false }));
    sarif.runs[0].tool.driver.rules[0].helpUri = "not a uri";
    expect(validate(sarif)).toBe(false);
    expect(JSON.stringify(validate.errors)).toContain('"format":"uri"');
  });

  it("maps severities to levels, paths to the config dir, ports to logical locations", () => {
    const sarif = JSON.parse(render("sarif", sampleReport(), { color: false }));
    const [run] = sarif.runs;
    expect(run.results.map((r: { level: string }) => r.level)).toEqual(["error", "error", "error", "warning"]);
    expect(run.results[1].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "a%20dir/a.yaml", uriBaseId: "CONFIGDIR" },
      region: { startLine: 10, startColumn: 5 },
    });
    expect(run.results[3].locations[0].logicalLocations[0].name).toBe("[::1]:1883/tcp");
    expect(run.results[2].message.text).toBe("second (password: hu***)");
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      "test/file-finding",
      "test/network-finding",
    ]);
  });
});

describe("text and Markdown reporters", () => {
  it("text groups by severity, worst first, with the score, and no colour codes when asked for none", () => {
    const text = render("text", sampleReport(), { color: false });
    expect(text.includes("\u001b[")).toBe(false);
    const order = ["CRITICAL (1)", "HIGH (2)", "MEDIUM (1)"].map((h) => text.indexOf(h));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toMatch(/Score \d+\/100/);
    expect(text).toContain("a dir/a.yaml:10:5");
    expect(text).toContain("Not checked (1):");
    expect(text).toContain("[config] bad.yaml:2: invalid YAML: x");
  });

  it("text is coloured when asked", () => {
    const text = render("text", sampleReport(), { color: true });
    expect(text.includes("\u001b[")).toBe(true);
  });

  it("Markdown escapes configuration text so it cannot inject markup", () => {
    const md = render("markdown", sampleReport(), { color: false });
    expect(md).toContain("first \\<script\\>");
    expect(md).not.toContain("<script>");
    expect(md).toContain("## Critical (1)");
  });

  it("every format renders an empty report", () => {
    const empty = buildReport({
      version: "1",
      targets: { config: null, host: null, url: null },
      startedAt: new Date(0),
      durationMs: 0,
      findings: [],
      notChecked: [],
      errors: [],
      suppressed: [],
    });
    for (const format of FORMATS) expect(render(format, empty, { color: false }).length).toBeGreaterThan(0);
    expect(empty.summary.score).toBe(100);
  });
});
