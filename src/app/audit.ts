import { allChecks } from "../checks/index.js";
import { runChecks } from "../model/engine.js";
import type { SourceError } from "../model/errors.js";
import type { Facts } from "../model/facts.js";
import { buildReport, type Report } from "../report/report.js";
import { loadConfig } from "../sources/config/index.js";
import { readStorage } from "../sources/storage/index.js";
import { applySuppressions, type Suppression } from "./suppressions.js";

export interface AuditOptions {
  configDir?: string;
  host?: string;
  url?: string;
  passwordBudgetSeconds: number;
  suppressions: Suppression[];
  version: string;
  /** Progress for people (stderr on a TTY); never part of the report. */
  progress?: (message: string) => void;
  now?: Date;
  env?: NodeJS.ProcessEnv;
}

/** Gathers every kind of fact it was given a target for, runs the checks, and builds the report. */
export async function runAudit(options: AuditOptions): Promise<Report> {
  const started = new Date();
  const clock = performance.now();
  const facts: Facts = {
    missing: {},
    errors: [],
    options: { passwordBudgetSeconds: options.passwordBudgetSeconds },
    now: options.now ?? started,
  };
  const errors: SourceError[] = [];

  if (options.configDir !== undefined) {
    options.progress?.(`reading ${options.configDir}`);
    const loaded = await loadConfig(options.configDir, options.env);
    facts.config = loaded.facts;
    errors.push(...loaded.errors);
  } else {
    facts.missing.config = "no configuration directory given";
  }
  if (options.configDir !== undefined) {
    if (options.passwordBudgetSeconds > 0) options.progress?.("reading .storage and testing passwords");
    const storage = await readStorage(options.configDir, {
      passwordBudgetSeconds: options.passwordBudgetSeconds,
      now: facts.now,
      ...(facts.config === undefined ? {} : { config: facts.config }),
    });
    if (storage.facts !== undefined) facts.storage = storage.facts;
    else facts.missing.storage = storage.missingReason ?? "no .storage folder";
    errors.push(...storage.errors);
  } else {
    facts.missing.storage = "no configuration directory given";
  }
  facts.missing.network ??= "no --host given";
  facts.missing.instance ??= "no --url given";

  options.progress?.("running checks");
  const run = runChecks(allChecks, facts);
  const { kept, suppressed } = applySuppressions(run.findings, options.suppressions);
  return buildReport({
    version: options.version,
    targets: { config: options.configDir ?? null, host: options.host ?? null, url: options.url ?? null },
    startedAt: started,
    durationMs: performance.now() - clock,
    findings: kept,
    ...(facts.network === undefined ? {} : { network: facts.network }),
    notChecked: run.notChecked,
    errors: [...errors, ...facts.errors, ...run.errors],
    suppressed,
  });
}
