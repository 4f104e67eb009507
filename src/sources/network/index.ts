import { lookup } from "node:dns/promises";
import net from "node:net";
import type { SourceError } from "../../model/errors.js";
import type { HostReport, NetworkFacts, PortReport } from "../../model/network-facts.js";
import { connectScan, type PortState } from "./connect-scan.js";
import { probePort } from "./dispatch.js";
import { type PortSelection, selectPorts } from "./ports.js";
import { discoverUpnpMappings } from "./probes/upnp.js";

export { type PortSelection, parsePortList } from "./ports.js";

export interface ScanNetworkOptions {
  ports: PortSelection;
  /** Wall-clock budget per host, scan and probes together. Default: 10 minutes. */
  budgetMs?: number;
  /** Also ask the LAN's UPnP gateway which of its port mappings point at the hosts. */
  upnp?: boolean;
  /** One line at a time, for a terminal; never called with report content. */
  progress?: (line: string) => void;
  /** Bound of each protocol probe (default 3 s, 256 KiB). */
  probeTimeoutMs?: number;
  probeMaxBytes?: number;
  /**
   * Also send what a service logs as a failed login (`--login-probes`): SSH's auth-methods query (sshd logs
   * "Invalid user …", which fail2ban and CrowdSec count), MQTT's anonymous CONNECT (Mosquitto logs a refused one
   * as "Client <unknown> disconnected, not authorised.", its line for a wrong password), SMB's anonymous and
   * guest session setups (Samba's auth audit logs the guest logon as a failed authentication). Off by default.
   */
  loginProbes?: boolean;
  /** Ports asked in plain HTTP before TLS (default: the dispatcher's `PLAIN_HTTP_FIRST_PORTS`, 8123 among them). */
  plainHttpFirstPorts?: readonly number[];
}

export interface ScanNetworkResult {
  facts: NetworkFacts;
  errors: SourceError[];
}

const DEFAULT_BUDGET_MS = 10 * 60_000;
/** Closed and filtered ports are listed one by one only for scans of at most this many ports. */
const LIST_ALL_STATES_UP_TO = 1000;
/** Open ports probed at the same time (each probe opens a few connections of its own). */
const PROBE_CONCURRENCY = 8;

/** Scans each named host (and only those) and probes what answers. Never throws for a host's problems. */
export async function scanNetwork(hosts: string[], options: ScanNetworkOptions): Promise<ScanNetworkResult> {
  const errors: SourceError[] = [];
  const reports: HostReport[] = [];
  for (const host of hosts) {
    const report = await scanHost(host, options, (message) => errors.push({ source: "network", message }));
    if (report !== undefined) reports.push(report);
  }
  const facts: NetworkFacts = { hosts: reports };
  if (options.upnp) {
    for (const report of reports) {
      try {
        const found = await discoverUpnpMappings(report.address, { timeoutMs: 3000, maxBytes: 256 * 1024 });
        // one gateway for the LAN: with several hosts, their mappings are listed together
        facts.upnp =
          facts.upnp === undefined ? found : { ...facts.upnp, mappings: [...facts.upnp.mappings, ...found.mappings] };
      } catch (error) {
        errors.push({ source: "network", message: `UPnP: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
  }
  return { facts, errors };
}

async function resolveHost(host: string): Promise<string> {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  if (net.isIP(bare)) return bare;
  // like nmap without -6: a name is scanned at its IPv4 address when it has one (an IPv6 address is
  // scanned when given as such, or when the name has no IPv4 address)
  const addresses = await lookup(bare, { all: true });
  const chosen = addresses.find((a) => a.family === 4) ?? addresses[0];
  if (chosen === undefined) throw new Error("no address");
  return chosen.address;
}

async function scanHost(
  host: string,
  options: ScanNetworkOptions,
  error: (message: string) => void,
): Promise<HostReport | undefined> {
  const started = Date.now();
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const deadline = started + budgetMs;
  let address: string;
  try {
    address = await resolveHost(host);
  } catch (cause) {
    error(
      `${host}: could not resolve the name (${cause instanceof Error ? cause.message : String(cause)}); not scanned`,
    );
    return undefined;
  }
  const ports = selectPorts(options.ports);
  const progress = options.progress;
  const scan = await connectScan(address, ports, {
    budgetMs,
    ...(progress === undefined
      ? {}
      : {
          onProgress: (done: number, total: number, open: number) =>
            progress(`${host}: ${done}/${total} ports, ${open} open`),
        }),
  });
  if (scan.skipped.length > 0) {
    error(
      `${host}: the time budget (${Math.round(budgetMs / 1000)} s) ran out; ${scan.skipped.length} ports were not scanned`,
    );
  }

  const openPorts = ports.filter((p) => scan.states.get(p) === "open").sort((a, b) => a - b);
  const probeBounds = { timeoutMs: options.probeTimeoutMs ?? 3000, maxBytes: options.probeMaxBytes ?? 256 * 1024 };
  const probed = await probeAll(address, host, openPorts, deadline, probeBounds, options, error);
  const listAll = ports.length <= LIST_ALL_STATES_UP_TO;
  const portReports: PortReport[] = [];
  const counts: Record<PortState, number> = { open: 0, closed: 0, filtered: 0 };
  for (const port of [...scan.states.keys()].sort((a, b) => a - b)) {
    const state = scan.states.get(port) ?? "filtered";
    counts[state]++;
    if (state !== "open" && !listAll) continue;
    portReports.push({ port, protocol: "tcp", state, ...(state === "open" ? probed.get(port) : {}) });
  }
  return {
    address,
    ...(address === host ? {} : { hostname: host }),
    ports: portReports,
    summary: { scanned: scan.states.size, ...counts, skipped: scan.skipped.length, durationMs: Date.now() - started },
  };
}

async function probeAll(
  address: string,
  host: string,
  openPorts: number[],
  deadline: number,
  bounds: { timeoutMs: number; maxBytes: number },
  options: ScanNetworkOptions,
  error: (message: string) => void,
): Promise<Map<number, Partial<PortReport>>> {
  const progress = options.progress;
  const results = new Map<number, Partial<PortReport>>();
  const queue = [...openPorts];
  const notProbed: number[] = [];
  const worker = async () => {
    for (let port = queue.shift(); port !== undefined; port = queue.shift()) {
      const left = deadline - Date.now();
      if (left < 500) {
        notProbed.push(port);
        continue;
      }
      progress?.(`${host}: probing port ${port}`);
      const findings = await probePort(
        address,
        port,
        {
          ...(address === host ? {} : { hostname: host }),
          probe: { timeoutMs: Math.min(bounds.timeoutMs, left), maxBytes: bounds.maxBytes },
          // servers that speak first (SSH, FTP, SMTP) do so at once; a second covers a slow link
          bannerWaitMs: Math.min(1000, bounds.timeoutMs),
          portBudgetMs: Math.min(6 * bounds.timeoutMs, left),
          ...(options.plainHttpFirstPorts === undefined ? {} : { plainHttpFirstPorts: options.plainHttpFirstPorts }),
          ...(options.loginProbes === true ? { loginProbes: true } : {}),
        },
        (message) => error(`${host}: ${message}`),
      );
      results.set(port, findings);
    }
  };
  await Promise.all(Array.from({ length: PROBE_CONCURRENCY }, worker));
  if (notProbed.length > 0) {
    error(`${host}: the time budget ran out before ports ${notProbed.sort((a, b) => a - b).join(", ")} were probed`);
  }
  return results;
}
