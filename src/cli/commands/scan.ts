import type { Command } from "commander";
import { checkHost, parseBudget, parsePorts, terminalProgress } from "../network-options.js";
import { collect } from "../options.js";
import { VERSION } from "../version.js";

interface ScanFlags {
  ports: string;
  budget?: string;
  upnp: boolean;
  loginProbes: boolean;
  format: string[];
  output?: string;
  failOn: string;
  ignore: string[];
  color: boolean;
}

/** `hassguard scan HOST`: network exposure only. */
export function registerScan(program: Command): void {
  program
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
    )
    .option("-f, --format <format>", "text, json, sarif or markdown (repeatable)", collect, [])
    .option("-o, --output <path>", "write to this file (one format) or folder (several)")
    .option("--fail-on <severity>", "exit 1 when a finding is at least this severe (or none)", "high")
    .option("--ignore <id>", "suppress a check id or glob (repeatable)", collect, [])
    .option("--no-color", "no colours in text output")
    .action(async (host: string, flags: ScanFlags) => {
      process.exitCode = await scan(host, flags);
    });
}

async function scan(host: string, flags: ScanFlags): Promise<number> {
  // loaded here, not at the top, so other commands start without the scanner
  const { emitReport, parseFailOn, parseFormats } = await import("../output.js");
  const { runScan } = await import("../../app/scan.js");
  parseFormats(flags.format);
  parseFailOn(flags.failOn);
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
  return emitReport(report, {
    format: flags.format,
    failOn: flags.failOn,
    color: flags.color,
    ...(flags.output === undefined ? {} : { output: flags.output }),
  });
}
