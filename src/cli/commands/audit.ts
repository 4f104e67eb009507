import { existsSync } from "node:fs";
import type { Command } from "commander";
import type { Suppression } from "../../app/suppressions.js";
import { UsageError } from "../exit.js";
import { checkHost, parseBudget, parsePorts, terminalProgress } from "../network-options.js";
import { addReportOptions, type ReportFlags } from "../options.js";
import { VERSION } from "../version.js";

/**
 * Seconds for the weak-password test. A minute covers about 480 cost-12 candidates on two idle cores: with the
 * likeliest-first order, the first ~120 per user for a four-user home (bench/password-order.ts).
 */
export const DEFAULT_PASSWORD_BUDGET = 60;

interface AuditFlags extends ReportFlags {
  host?: string;
  ports: string;
  budget?: string;
  upnp: boolean;
  loginProbes: boolean;
  suppressions?: string;
  passwordBudget: string;
  passwordCandidates?: string;
}

export function registerAudit(program: Command): void {
  const command = program
    .command("audit")
    .description("audit a Home Assistant configuration directory (and, with --host, its network exposure)")
    .argument("[config-dir]", "the configuration directory (the one with configuration.yaml)")
    .option("--host <host>", "also scan this host's network exposure (only this host is touched)")
    .option("-p, --ports <ports>", "with --host: all, top, or a list such as 22,8123,8000-8100", "top")
    .option("--budget <seconds>", "with --host: time budget for the scan and probes; default 600")
    .option("--upnp", "with --host: also list the LAN gateway's UPnP port mappings that point at it", false)
    .option(
      "--login-probes",
      "also send what a service may log as a failed login: SSH auth-methods query, anonymous MQTT CONNECT, SMB anonymous and guest sessions",
      false,
    )
    .option("--suppressions <file>", "suppressions file (default: CONFIG_DIR/.hassguard.yaml)")
    .option(
      "--password-budget <seconds>",
      "time for the weak-password check; 0 turns it off",
      String(DEFAULT_PASSWORD_BUDGET),
    )
    .option("--password-candidates <n>", "also stop the weak-password check after N candidates per user");
  // (a --url for the running instance comes back once that check exists: an option that does nothing misleads)
  addReportOptions(command).action(async (configDir: string | undefined, flags: AuditFlags) => {
    process.exitCode = await audit(configDir, flags);
  });
}

async function audit(configDirArg: string | undefined, flags: AuditFlags): Promise<number> {
  // loaded here, not at the top: every other command (the guard above all) starts faster without them
  const { parseFailOn, parseFormats, parseMarkdownLimit, emitReport, reportOutput } = await import("../output.js");
  const { readSuppressions, SuppressionFileError, suppressionsPath } = await import("../../app/suppressions.js");
  const { runAudit } = await import("../../app/audit.js");
  // check the flags before any work, so a typo costs nothing
  parseFormats(flags.format);
  parseFailOn(flags.failOn);
  parseMarkdownLimit(flags.markdownLimit);
  const budget = Number(flags.passwordBudget);
  if (!Number.isFinite(budget) || budget < 0)
    throw new UsageError(`--password-budget takes seconds (0 or more), not '${flags.passwordBudget}'`);
  const candidates = flags.passwordCandidates === undefined ? undefined : Number(flags.passwordCandidates);
  if (candidates !== undefined && !(Number.isInteger(candidates) && candidates >= 0))
    throw new UsageError(`--password-candidates takes a count (0 or more), not '${flags.passwordCandidates}'`);

  let configDir = configDirArg;
  if (configDir === undefined && flags.host === undefined) {
    if (!existsSync("configuration.yaml")) throw new UsageError("name a configuration directory (or --host)");
    configDir = ".";
  }
  if (configDir !== undefined && !existsSync(configDir))
    throw new UsageError(`configuration directory not found: ${configDir}`);

  let suppressions: Suppression[];
  try {
    suppressions = readSuppressions(flags.suppressions ?? suppressionsPath(configDir));
  } catch (error) {
    if (error instanceof SuppressionFileError) throw new UsageError(error.message);
    throw error;
  }
  suppressions.push(...flags.ignore.map((id) => ({ id, reason: "--ignore on the command line" })));

  const ports = parsePorts(flags.ports);
  const budgetMs = parseBudget(flags.budget);
  if (flags.host !== undefined) checkHost(flags.host);

  const terminal = terminalProgress();
  const progress = terminal?.update;
  const report = await runAudit({
    ...(configDir === undefined ? {} : { configDir }),
    ...(flags.host === undefined
      ? {}
      : {
          network: {
            host: flags.host,
            ports,
            upnp: flags.upnp,
            loginProbes: flags.loginProbes,
            ...(budgetMs === undefined ? {} : { budgetMs }),
          },
        }),
    passwordBudgetSeconds: budget,
    ...(candidates === undefined ? {} : { passwordCandidates: candidates }),
    suppressions,
    version: VERSION,
    ...(progress === undefined ? {} : { progress }),
    // said on stderr even off a terminal: without it a piped run is silent for the whole budget
    notice: (line: string) => {
      terminal?.clear();
      process.stderr.write(`hassguard: ${line}\n`);
    },
  }).finally(() => terminal?.clear());
  return emitReport(report, reportOutput(flags));
}
