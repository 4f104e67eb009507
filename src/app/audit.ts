import { allChecks } from "../checks/index.js";
import type { Check } from "../model/check.js";
import { runChecks } from "../model/engine.js";
import type { SourceError } from "../model/errors.js";
import type { Facts } from "../model/facts.js";
import { mergeSameProblem } from "../model/problems.js";
import { count, pick } from "../model/words.js";
import { buildReport, type Report } from "../report/report.js";
import { readAdvisories } from "../sources/advisories.js";
import { loadConfig } from "../sources/config/index.js";
import type { PortSelection } from "../sources/network/ports.js";
import { readStorage } from "../sources/storage/index.js";
import { secretValueMasker } from "./mask-secrets.js";
import { applySuppressions, type Suppression } from "./suppressions.js";

export interface NetworkTarget {
  host: string;
  ports: PortSelection;
  /** Wall-clock budget for the host, scan and probes together. */
  budgetMs?: number;
  upnp?: boolean;
  /** Send the probes a service may log as a failed login (see ScanNetworkOptions.loginProbes). */
  loginProbes?: boolean;
}

export interface AuditOptions {
  configDir?: string;
  network?: NetworkTarget;
  url?: string;
  passwordBudgetSeconds: number;
  /** At most this many weak-password candidates per user. */
  passwordCandidates?: number;
  suppressions: Suppression[];
  version: string;
  /** The checks to run (default: all); `hassguard scan` runs only those that read the network. */
  checks?: readonly Check[];
  /** Progress for people (stderr on a TTY); never part of the report. */
  progress?: (message: string) => void;
  /** One line worth saying even off a terminal, before a step that makes the run wait (the password test). */
  notice?: (line: string) => void;
  now?: Date;
  env?: NodeJS.ProcessEnv;
}

/**
 * The one pipeline behind `audit` and `scan`: gather the facts of every target given (a source that fails
 * becomes an error, the rest goes on), run the checks, apply the owner's suppressions, report each problem
 * once with every sighting, build the report.
 */
export async function runAudit(options: AuditOptions): Promise<Report> {
  const started = new Date();
  const clock = performance.now();
  const { facts, errors } = await gatherFacts(options, options.now ?? started);
  options.progress?.("running checks");
  const checks = options.checks ?? allChecks;
  const run = runChecks(checks, facts);
  // suppressions match the real paths; what leaves the pipeline has every secret value masked, paths included
  const formerIds = new Map(checks.map((check) => [check.id, check.formerIds]));
  const { kept, suppressed } = applySuppressions(run.findings, options.suppressions, (id) => formerIds.get(id) ?? []);
  // after the suppressions: suppressing one check hides its sighting, not another source's
  const findings = mergeSameProblem(kept);
  const mask = secretValueMasker(facts.config);
  return buildReport({
    version: options.version,
    targets: mask({ config: options.configDir ?? null, host: options.network?.host ?? null, url: options.url ?? null }),
    startedAt: started,
    durationMs: performance.now() - clock,
    findings: mask(findings),
    ...(facts.network === undefined ? {} : { network: facts.network }),
    notChecked: mask(run.notChecked),
    errors: mask([...errors, ...facts.errors, ...run.errors]),
    suppressed: mask(suppressed),
  });
}

async function gatherFacts(options: AuditOptions, now: Date): Promise<{ facts: Facts; errors: SourceError[] }> {
  const facts: Facts = { missing: {}, errors: [], now };
  const errors: SourceError[] = [];

  // small and shipped with the tool: read for every audit, so the version checks of every source share it
  const advisories = await readAdvisories();
  if (advisories.facts !== undefined) facts.advisories = advisories.facts;
  else facts.missing.advisories = advisories.missingReason ?? "no advisory data";
  errors.push(...advisories.errors);

  if (options.configDir !== undefined) {
    options.progress?.(`reading ${options.configDir}`);
    const loaded = await loadConfig(options.configDir, options.env);
    facts.config = loaded.facts;
    errors.push(...loaded.errors);

    options.progress?.("reading .storage");
    const budget = options.passwordBudgetSeconds;
    const notice = options.notice;
    const storage = await readStorage(options.configDir, {
      passwordBudgetSeconds: budget,
      ...(options.passwordCandidates === undefined ? {} : { passwordCandidates: options.passwordCandidates }),
      now,
      config: loaded.facts,
      ...(notice === undefined
        ? {}
        : {
            onPasswordAuditStart: (logins: number) =>
              notice(
                `testing ${pick(logins, "the password", "the passwords")} of ${count(logins, "Home Assistant login")} ` +
                  `against weak and home-specific ones, for up to ${budget} s (--password-budget 0 skips this)`,
              ),
          }),
    });
    if (storage.facts !== undefined) facts.storage = storage.facts;
    else facts.missing.storage = storage.missingReason ?? "no .storage folder";
    errors.push(...storage.errors);
  } else {
    facts.missing.config = "no configuration directory given";
    facts.missing.storage = "no configuration directory given";
  }

  if (options.network !== undefined) {
    // loaded only when a host is scanned: the scanner and its probes are the largest part of the tool
    const { scanNetwork } = await import("../sources/network/index.js");
    const { host, ports, budgetMs, upnp, loginProbes } = options.network;
    const scanned = await scanNetwork([host], {
      ports,
      ...(loginProbes === true ? { loginProbes } : {}),
      ...(budgetMs === undefined ? {} : { budgetMs }),
      ...(upnp === undefined ? {} : { upnp }),
      ...(options.progress === undefined ? {} : { progress: options.progress }),
    });
    facts.network = scanned.facts;
    errors.push(...scanned.errors);
  } else {
    facts.missing.network = "no --host given";
  }
  facts.missing.instance = options.url === undefined ? "no --url given" : "the instance check is not built yet";
  return { facts, errors };
}
