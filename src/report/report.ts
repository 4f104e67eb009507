import type { NotChecked } from "../model/engine.js";
import { countBySeverity, score } from "../model/engine.js";
import type { SourceError } from "../model/errors.js";
import type { Finding } from "../model/finding.js";
import type { NetworkFacts } from "../model/network-facts.js";
import type { Severity } from "../model/severity.js";

export const REPORT_SCHEMA = "hassguard-report/1";

/** A finding the owner chose to accept, with the reason they gave (`.hassguard.yaml` or `--ignore`). */
export interface SuppressedFinding {
  id: string;
  location?: Finding["location"];
  reason: string;
}

/** The report: the JSON contract of DESIGN.md, and what every other format is rendered from. */
export interface Report {
  schema: typeof REPORT_SCHEMA;
  tool: { name: "hassguard"; version: string };
  targets: { config: string | null; host: string | null; url: string | null };
  startedAt: string;
  durationMs: number;
  findings: Finding[];
  network?: NetworkFacts;
  notChecked: NotChecked[];
  errors: SourceError[];
  suppressed: SuppressedFinding[];
  /** `incomplete`: why the audit could not do what it was asked (errors marked `fatal`); no score then stands. */
  summary: Record<Severity, number> & { score: number; incomplete?: string[] };
}

export interface ReportInput {
  version: string;
  targets: Report["targets"];
  startedAt: Date;
  durationMs: number;
  findings: Finding[];
  network?: NetworkFacts;
  notChecked: NotChecked[];
  errors: SourceError[];
  suppressed: SuppressedFinding[];
}

export function buildReport(input: ReportInput): Report {
  const counts = countBySeverity(input.findings);
  return {
    schema: REPORT_SCHEMA,
    tool: { name: "hassguard", version: input.version },
    targets: input.targets,
    startedAt: input.startedAt.toISOString(),
    durationMs: Math.round(input.durationMs),
    findings: input.findings,
    ...(input.network === undefined ? {} : { network: input.network }),
    notChecked: [...input.notChecked].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    errors: input.errors,
    suppressed: input.suppressed,
    summary: { ...counts, score: score(counts), ...incompleteness(input.errors) },
  };
}

/** The fatal errors' messages, when there are any: the summary must say the audit is incomplete. */
function incompleteness(errors: readonly SourceError[]): { incomplete?: string[] } {
  const fatal = errors.filter((e) => e.fatal === true).map((e) => e.message);
  return fatal.length === 0 ? {} : { incomplete: fatal };
}
