import type { Severity } from "./severity.js";

/**
 * One entry of `data/ha-advisories.json`: advisories compiled from GitHub, the CVE list and the PyPA database.
 * Its `affected`/`fixed` fields are human text, sometimes with two sources disagreeing or the range missing.
 */
export interface AdvisoryRecord {
  id: string;
  aliases: string[];
  package: string;
  affected: string;
  fixed: string | null;
  severity: string | null;
  summary: string;
  source: string;
}

/** A Home Assistant Core advisory whose affected versions could be read as a range. */
export interface CoreAdvisory {
  record: AdvisoryRecord;
  /** Affected when `introduced <= version < below` (or `<= lastAffected`): the advisory's `affected` range. */
  introduced?: string;
  below?: string;
  lastAffected?: string;
  /** The release to update to, for the message: the advisory's `fixed`, else the range's bound. */
  fixedIn?: string;
  severity: Severity;
  /** True when the data gives no severity and the default was used. */
  severityAssumed: boolean;
}

/** The advisory facts: what src/sources/advisories.ts read from the shipped data. */
export interface AdvisoryIndex {
  /** Core advisories with a machine-readable range. */
  matchable: CoreAdvisory[];
  /** Core advisories whose affected versions are not given in a form that can be compared. */
  unmatchable: AdvisoryRecord[];
}
