import { checksReading } from "../checks/index.js";
import type { Report } from "../report/report.js";
import { type NetworkTarget, runAudit } from "./audit.js";
import type { Suppression } from "./suppressions.js";

export interface ScanOptions extends NetworkTarget {
  suppressions: Suppression[];
  version: string;
  /** Progress for a person at a terminal; never part of the report. */
  progress?: (line: string) => void;
  now?: Date;
}

/** `hassguard scan`: the audit pipeline with only a host to look at and only the checks that read the network. */
export function runScan(options: ScanOptions): Promise<Report> {
  const { suppressions, version, progress, now, ...network } = options;
  return runAudit({
    network,
    passwordBudgetSeconds: 0,
    suppressions,
    version,
    checks: checksReading("network"),
    ...(progress === undefined ? {} : { progress }),
    ...(now === undefined ? {} : { now }),
  });
}
