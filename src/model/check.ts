import type { FactKind, Facts } from "./facts.js";
import type { ChecklistItem, FindingDraft } from "./finding.js";
import type { Severity } from "./severity.js";

export type CheckArea = "config" | "storage" | "network" | "instance" | "host";

/**
 * One check: pure, no I/O. `run` gets the facts and returns findings; everything about a finding that
 * does not vary (title, default severity, fix, checklist item, docs) lives here, once.
 */
export interface Check {
  /** Stable id, `area/what` in kebab case: `http/ip-ban-disabled`. Never reuse or rename one. */
  id: string;
  title: string;
  severity: Severity;
  area: CheckArea;
  checklist: ChecklistItem;
  /** The facts it needs; without them it is reported as not checked. */
  needs: FactKind[];
  /** The risk in plain words for a non-expert (for the docs page and `hassguard checks ID`). */
  description: string;
  remediation: string;
  /** Where the facts behind the check come from (Home Assistant source, docs, advisories). */
  sources: string[];
  /** Whether `hassguard fix` can repair it. */
  fixable?: boolean;
  run(facts: Facts): FindingDraft[];
}

/** Identity helper so check modules get type checking and inference without a class. */
export function defineCheck(check: Check): Check {
  return check;
}

/** The docs page of a check, relative to the package root. */
export function checkDocsPath(id: string): string {
  return `docs/checks/${id}.md`;
}
