import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import AjvDraft04 from "ajv-draft-04";
import { describe, expect, it } from "vitest";
import { defineCheck } from "../../src/model/check.js";
import { runChecks } from "../../src/model/engine.js";
import { mergeSameProblem } from "../../src/model/problems.js";
import { render } from "../../src/report/index.js";
import { buildReport, type Report } from "../../src/report/report.js";

/** A problem two checks saw: every format shows it once, with both sightings and their evidence. */
const meta = {
  title: "Plain HTTP",
  severity: "high" as const,
  area: "config" as const,
  checklist: "tls" as const,
  needs: [],
  description: "Seen from two sides.",
  remediation: "Serve HTTPS.",
  sources: ["test"],
};
const checks = [
  defineCheck({
    ...meta,
    id: "test/config-side",
    run: () => [
      {
        message: "external_url is plain HTTP",
        location: { file: "configuration.yaml", line: 3, column: 3 },
        evidence: "external_url: http://home.example.com",
        problem: "plain-http",
      },
    ],
  }),
  defineCheck({
    ...meta,
    id: "test/scan-side",
    severity: "medium",
    run: () => [
      {
        message: "port answers plain HTTP",
        location: { host: "192.0.2.10", port: 8123, protocol: "tcp" },
        evidence: "http://192.0.2.10:8123/ answered 200",
        problem: "plain-http",
      },
    ],
  }),
];

function report(): Report {
  const run = runChecks(checks, { missing: {}, errors: [], now: new Date(0) });
  return buildReport({
    version: "test",
    targets: { config: "/config", host: "192.0.2.10", url: null },
    startedAt: new Date(0),
    durationMs: 0,
    findings: mergeSameProblem(run.findings),
    notChecked: [],
    errors: [],
    suppressed: [],
  });
}

describe("a problem seen twice, in every format", () => {
  it("JSON: one finding, the other sighting under alsoSeen (hassguard-report/1, an added field)", () => {
    const parsed = JSON.parse(render("json", report(), { color: false })) as Report;
    expect(parsed.schema).toBe("hassguard-report/1");
    expect(parsed.findings).toHaveLength(1);
    expect(parsed.findings[0]).toMatchObject({
      id: "test/config-side",
      evidence: "external_url: http://home.example.com",
      alsoSeen: [
        {
          id: "test/scan-side",
          message: "port answers plain HTTP",
          location: { host: "192.0.2.10", port: 8123, protocol: "tcp" },
          evidence: "http://192.0.2.10:8123/ answered 200",
        },
      ],
    });
    expect(parsed.summary).toMatchObject({ high: 1, medium: 0 });
  });

  it("text and Markdown: both places and both pieces of evidence under one heading", () => {
    for (const format of ["text", "markdown"] as const) {
      const out = render(format, report(), { color: false });
      expect(out, format).toContain("configuration.yaml:3:3");
      expect(out, format).toContain("192.0.2.10:8123/tcp");
      expect(out, format).toContain("http://192.0.2.10:8123/ answered 200");
      expect(out, format).toContain("test/scan-side");
      expect(out.match(/Plain HTTP/g), format).toHaveLength(1);
    }
  });

  it("SARIF: one result with the other sighting as a related location, valid against the 2.1.0 schema", () => {
    const sarif = JSON.parse(render("sarif", report(), { color: false }));
    const [result, ...rest] = sarif.runs[0].results;
    expect(rest).toEqual([]);
    expect(result.relatedLocations).toEqual([
      {
        id: 1,
        logicalLocations: [{ name: "192.0.2.10:8123/tcp", kind: "resource" }],
        message: { text: "test/scan-side: port answers plain HTTP (http://192.0.2.10:8123/ answered 200)" },
      },
    ]);
    const schemaPath = createRequire(import.meta.url).resolve(
      "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json",
    );
    const validate = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false }).compile(
      JSON.parse(readFileSync(schemaPath, "utf8")),
    );
    validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
  });
});
