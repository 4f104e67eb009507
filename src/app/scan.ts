import { networkChecks } from "../checks/network/index.js";
import { runChecks } from "../model/engine.js";
import type { Facts } from "../model/facts.js";
import { buildReport, type Report } from "../report/report.js";
import { type PortSelection, scanNetwork } from "../sources/network/index.js";
import { applySuppressions, type Suppression } from "./suppressions.js";

export interface ScanOptions {
  host: string;
  ports: PortSelection;
  budgetMs?: number;
  upnp?: boolean;
  suppressions: Suppression[];
  version: string;
  /** Progress for a person at a terminal; never part of the report. */
  progress?: (line: string) => void;
  now?: Date;
}

/** `hassguard scan`: the network facts of one host and the network checks over them, as a report. */
export async function runScan(options: ScanOptions): Promise<Report> {
  const started = new Date();
  const clock = performance.now();
  const scanned = await scanNetwork([options.host], {
    ports: options.ports,
    ...(options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs }),
    ...(options.upnp === undefined ? {} : { upnp: options.upnp }),
    ...(options.progress === undefined ? {} : { progress: options.progress }),
  });
  const facts: Facts = {
    network: scanned.facts,
    missing: {},
    errors: scanned.errors,
    options: { passwordBudgetSeconds: 0 },
    now: options.now ?? started,
  };
  const run = runChecks(networkChecks, facts);
  const { kept, suppressed } = applySuppressions(run.findings, options.suppressions);
  return buildReport({
    version: options.version,
    targets: { config: null, host: options.host, url: null },
    startedAt: started,
    durationMs: performance.now() - clock,
    findings: kept,
    network: scanned.facts,
    notChecked: run.notChecked,
    errors: [...scanned.errors, ...run.errors],
    suppressed,
  });
}
