import type { Command } from "commander";
import { checkHost, parseBudget, parsePorts, terminalProgress } from "../network-options.js";
import { addReportOptions, type ReportFlags } from "../options.js";
import { VERSION } from "../version.js";

interface ScanFlags extends ReportFlags {
  ports: string;
  budget?: string;
  upnp: boolean;
  loginProbes: boolean;
}

/** `hassguard scan HOST`: network exposure only. */
export function registerScan(program: Command): void {
  const command = program
    .command("scan")
    .description("scan a host's network exposure: open ports, what answers on them, and what that means")
    .argument("<host>", "host name or address to scan (only this host is touched)")
    .option("-p, --ports <ports>", "all, top, or a list such as 22,8123,8000-8100", "top")
    .option("--budget <seconds>", "time budget for the host (scan and probes); default 600")
    .option("--upnp", "also list the LAN gateway's UPnP port mappings that point at the host", false)
    .option(
      "--login-probes",
      "also send what a service may log as a failed login: SSH auth-methods query, anonymous MQTT CONNECT, SMB anonymous and guest sessions",
      false,
    );
  addReportOptions(command).action(async (host: string, flags: ScanFlags) => {
    process.exitCode = await scan(host, flags);
  });
}

async function scan(host: string, flags: ScanFlags): Promise<number> {
  // loaded here, not at the top, so other commands start without the scanner
  const { emitReport, parseFailOn, parseFormats, parseMarkdownLimit, reportOutput } = await import("../output.js");
  const { runScan } = await import("../../app/scan.js");
  parseFormats(flags.format);
  parseFailOn(flags.failOn);
  parseMarkdownLimit(flags.markdownLimit);
  const ports = parsePorts(flags.ports);
  const budgetMs = parseBudget(flags.budget);
  checkHost(host);
  const progress = terminalProgress();
  const report = await runScan({
    host,
    ports,
    ...(budgetMs === undefined ? {} : { budgetMs }),
    upnp: flags.upnp,
    loginProbes: flags.loginProbes,
    suppressions: flags.ignore.map((id) => ({ id, reason: "--ignore on the command line" })),
    version: VERSION,
    ...(progress === undefined ? {} : { progress: progress.update }),
  }).finally(() => progress?.clear());
  return emitReport(report, reportOutput(flags));
}
