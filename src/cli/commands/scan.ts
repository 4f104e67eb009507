import type { Command } from "commander";
import { runScan } from "../../app/scan.js";
import { type PortSelection, parsePortList } from "../../sources/network/index.js";
import { UsageError } from "../exit.js";
import { collect, emitReport, parseFailOn, parseFormats } from "../output.js";
import { VERSION } from "../version.js";

interface ScanFlags {
  ports: string;
  budget?: string;
  upnp: boolean;
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
    .option("-f, --format <format>", "text, json, sarif or markdown (repeatable)", collect, [])
    .option("-o, --output <path>", "write to this file (one format) or folder (several)")
    .option("--fail-on <severity>", "exit 1 when a finding is at least this severe (or none)", "high")
    .option("--ignore <id>", "suppress a check id or glob (repeatable)", collect, [])
    .option("--no-color", "no colours in text output")
    .action(async (host: string, flags: ScanFlags) => {
      process.exitCode = await scan(host, flags);
    });
}

function parsePorts(value: string): PortSelection {
  if (value === "all" || value === "top") return value;
  try {
    return parsePortList(value);
  } catch (error) {
    throw new UsageError(`--ports: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** One self-overwriting status line on a terminal's stderr; nothing at all in pipes or CI. */
function terminalProgress(): { update: (line: string) => void; clear: () => void } | undefined {
  if (process.stderr.isTTY !== true || process.env.CI) return undefined;
  let last = 0;
  return {
    update: (line) => {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      process.stderr.write(`\r\x1b[K… ${line.slice(0, (process.stderr.columns ?? 80) - 3)}`);
    },
    clear: () => process.stderr.write("\r\x1b[K"),
  };
}

async function scan(host: string, flags: ScanFlags): Promise<number> {
  parseFormats(flags.format);
  parseFailOn(flags.failOn);
  const ports = parsePorts(flags.ports);
  let budgetMs: number | undefined;
  if (flags.budget !== undefined) {
    const seconds = Number(flags.budget);
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new UsageError(`--budget takes seconds (more than 0), not '${flags.budget}'`);
    budgetMs = seconds * 1000;
  }
  if (host.trim() === "" || host.startsWith("-")) throw new UsageError(`not a host: '${host}'`);
  const progress = terminalProgress();
  const report = await runScan({
    host,
    ports,
    ...(budgetMs === undefined ? {} : { budgetMs }),
    upnp: flags.upnp,
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
