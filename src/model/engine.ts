import { type Check, checkDocsPath } from "./check.js";
import type { SourceError } from "./errors.js";
import type { Facts } from "./facts.js";
import { type Finding, formatLocation } from "./finding.js";
import { SEVERITIES, type Severity, severityRank } from "./severity.js";

export interface NotChecked {
  id: string;
  reason: string;
}

export interface CheckRun {
  findings: Finding[];
  notChecked: NotChecked[];
  errors: SourceError[];
}

/** Runs every check whose facts are present; a check that throws becomes an error, never a crash. */
export function runChecks(checks: readonly Check[], facts: Facts): CheckRun {
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  const errors: SourceError[] = [];
  for (const check of checks) {
    const missing = check.needs.find((kind) => facts[kind] === undefined);
    if (missing !== undefined) {
      notChecked.push({ id: check.id, reason: facts.missing[missing] ?? `no ${missing} facts were gathered` });
      continue;
    }
    try {
      for (const draft of check.run(facts)) {
        findings.push({
          id: check.id,
          severity: draft.severity ?? check.severity,
          title: draft.title ?? check.title,
          message: draft.message,
          ...(draft.location === undefined ? {} : { location: draft.location }),
          ...(draft.evidence === undefined ? {} : { evidence: draft.evidence }),
          remediation: draft.remediation ?? check.remediation,
          checklist: check.checklist,
          fixable: draft.fixable ?? check.fixable ?? false,
          docs: checkDocsPath(check.id),
          ...(draft.problem === undefined ? {} : { problem: draft.problem }),
          ...(draft.alsoSeen === undefined || draft.alsoSeen.length === 0
            ? {}
            : { alsoSeen: draft.alsoSeen.map((sighting) => ({ id: check.id, ...sighting })) }),
        });
      }
    } catch (error) {
      errors.push({ source: "checks", message: `check ${check.id} failed: ${errorMessage(error)}` });
    }
  }
  return { findings: sortFindings(findings), notChecked, errors };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Deterministic order: severity, then id, then location, then message. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      compare(a.id, b.id) ||
      compareLocations(a, b) ||
      compare(a.message, b.message),
  );
}

function compareLocations(a: Finding, b: Finding): number {
  const fileA = a.location && "file" in a.location ? a.location : undefined;
  const fileB = b.location && "file" in b.location ? b.location : undefined;
  if (fileA && fileB && fileA.file === fileB.file) {
    return (fileA.line ?? 0) - (fileB.line ?? 0) || (fileA.column ?? 0) - (fileB.column ?? 0);
  }
  return compare(formatLocation(a.location), formatLocation(b.location));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type SeverityCounts = Record<Severity, number>;

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

/**
 * 100 for a clean home, down to 0. Each severity costs a fixed weight per finding, but the first few of a
 * kind cost the most: ten inline passwords are one habit to fix, not ten times the danger.
 */
const WEIGHTS: SeverityCounts = { critical: 30, high: 12, medium: 5, low: 1, info: 0 };
export function score(counts: SeverityCounts): number {
  let total = 0;
  for (const severity of SEVERITIES) {
    const n = counts[severity];
    // full weight for the first finding, then half, a third, ... (harmonic): grows, but slowly
    for (let i = 1; i <= n; i++) total += WEIGHTS[severity] / i;
  }
  return Math.max(0, Math.round(100 - total));
}
