import { describe, expect, it } from "vitest";
import { defineCheck } from "../../src/model/check.js";
import { runChecks } from "../../src/model/engine.js";
import type { FindingDraft } from "../../src/model/finding.js";
import { mergeSameProblem, problemKey } from "../../src/model/problems.js";
import type { Severity } from "../../src/model/severity.js";
import { buildReport } from "../../src/report/report.js";

const NOW = new Date("2026-11-23T12:00:00Z");

function check(id: string, severity: Severity, drafts: FindingDraft[]) {
  return defineCheck({
    id,
    title: id,
    severity,
    area: "config",
    checklist: "users",
    needs: [],
    description: "A check made for the merge tests.",
    remediation: `fix of ${id}`,
    sources: ["test"],
    run: () => drafts,
  });
}

const key = problemKey.onboardingOpen();
const fromStorage = check("test/storage-sighting", "critical", [
  { message: "no owner in .storage", location: { file: ".storage/onboarding" }, evidence: "done: []", problem: key },
]);
const fromScan = check("test/scan-sighting", "critical", [
  {
    message: "no owner at 192.0.2.10:8123",
    location: { host: "192.0.2.10", port: 8123, protocol: "tcp" },
    evidence: "GET /api/onboarding: user=not done",
    problem: key,
  },
]);
const unrelated = check("test/unrelated", "low", [{ message: "something else", location: { file: "a.yaml" } }]);

function findingsOf(...checks: ReturnType<typeof check>[]) {
  return runChecks(checks, { missing: {}, errors: [], now: NOW }).findings;
}

describe("one finding per problem", () => {
  it("merges findings with the same problem key, keeping every sighting and its evidence", () => {
    const merged = mergeSameProblem(findingsOf(fromStorage, fromScan, unrelated));
    expect(merged).toHaveLength(2);
    const problem = merged.find((f) => f.problem === key);
    // equal severity: the first in the report's order (by id) leads
    expect(problem?.id).toBe("test/scan-sighting");
    expect(problem?.evidence).toBe("GET /api/onboarding: user=not done");
    expect(problem?.alsoSeen).toEqual([
      {
        id: "test/storage-sighting",
        message: "no owner in .storage",
        location: { file: ".storage/onboarding" },
        evidence: "done: []",
      },
    ]);
    expect(merged.find((f) => f.id === "test/unrelated")?.alsoSeen).toBeUndefined();
  });

  it("leads with the most severe sighting, whichever check saw it", () => {
    const mild = check("test/mild", "low", [{ message: "mild", problem: "same" }]);
    const severe = check("test/severe", "high", [{ message: "severe", problem: "same" }]);
    const [merged] = mergeSameProblem(findingsOf(mild, severe));
    expect(merged?.id).toBe("test/severe");
    expect(merged?.severity).toBe("high");
    expect(merged?.remediation).toBe("fix of test/severe");
    expect(merged?.alsoSeen?.map((s) => s.id)).toEqual(["test/mild"]);
  });

  it("counts a problem once in the summary and the score", () => {
    const separate = buildReport(reportInput(findingsOf(fromStorage, fromScan)));
    const merged = buildReport(reportInput(mergeSameProblem(findingsOf(fromStorage, fromScan))));
    expect(separate.summary.critical).toBe(2);
    expect(merged.summary.critical).toBe(1);
    expect(merged.summary.score).toBeGreaterThan(separate.summary.score);
  });

  it("keeps a check's own sightings from other sources and gives them the check's id", () => {
    const both = check("test/two-sources", "high", [
      {
        message: "version 2023.11.3",
        location: { file: ".HA_VERSION", line: 1 },
        alsoSeen: [{ message: "the WebSocket greets with 2023.11.3", evidence: "ha_version 2023.11.3" }],
      },
    ]);
    const [finding] = mergeSameProblem(findingsOf(both));
    expect(finding?.alsoSeen).toEqual([
      { id: "test/two-sources", message: "the WebSocket greets with 2023.11.3", evidence: "ha_version 2023.11.3" },
    ]);
  });

  it("leaves findings without a key alone, even identical ones", () => {
    const twice = check("test/twice", "low", [{ message: "x" }, { message: "x" }]);
    expect(mergeSameProblem(findingsOf(twice))).toHaveLength(2);
  });
});

function reportInput(findings: ReturnType<typeof findingsOf>) {
  return {
    version: "test",
    targets: { config: null, host: null, url: null },
    startedAt: NOW,
    durationMs: 0,
    findings,
    notChecked: [],
    errors: [],
    suppressed: [],
  };
}
