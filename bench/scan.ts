// Network scan benchmark: nmap's TCP connect scan (`nmap -sT -p- -T4`) and hassguard's, over the same
// targets in the same run — on loopback inside a namespace, and across two namespaces joined by a link with
// added delay (bench/delayed-link.ts). Only namespaces this benchmark creates are scanned; all of them are
// removed at the end.
import { type ChildProcess, execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { openDelayedLink, startReady } from "./delayed-link.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const OPEN_PORTS = [1, 22, 1883, 8123, 22222, 40000, 65535];
const RUNS = 3;

interface ScanTiming {
  ms: number;
  open: number[];
}

function ip(args: string[]): void {
  execFileSync("ip", args, { stdio: "pipe" });
}

function inNs(ns: string, command: string[]): string[] {
  return ["netns", "exec", ns, ...command];
}

function nmapScan(ns: string, address: string): ScanTiming {
  const result = spawnSync("ip", inNs(ns, ["nmap", "-sT", "-p-", "-T4", "-n", "-Pn", "-oX", "-", address]), {
    encoding: "utf8",
    timeout: 900_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`nmap failed: ${result.stderr}`);
  const elapsed = /<finished [^>]*elapsed="([\d.]+)"/.exec(result.stdout)?.[1];
  const open = [...result.stdout.matchAll(/<port protocol="tcp" portid="(\d+)"><state state="open"/g)].map((m) =>
    Number(m[1]),
  );
  return { ms: Number(elapsed) * 1000, open: open.sort((a, b) => a - b) };
}

/** hassguard's scan; `connector` forces one connect path (src/sources/network/tcp-connect.ts). */
function hassguardScan(ns: string, address: string, connector?: "net.Socket"): ScanTiming {
  const result = spawnSync(
    "ip",
    inNs(ns, [
      process.execPath,
      "--import",
      "tsx",
      path.join(ROOT, "bench/scan-child.ts"),
      "scan",
      address,
      ...(connector === undefined ? [] : [connector]),
    ]),
    { encoding: "utf8", timeout: 900_000, cwd: ROOT },
  );
  if (result.status !== 0) throw new Error(`hassguard scan failed: ${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as { durationMs: number; open: number[] };
  return { ms: parsed.durationMs, open: parsed.open };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * Alternates the scanners `runs` times over one target; one printable line. `publicPath`: also time
 * hassguard through net.Socket, the public-API connect path, to show what the tcp_wrap path is worth.
 */
function compare(label: string, scannerNs: string, address: string, runs = RUNS, publicPath = false): string {
  const nmapTimes: number[] = [];
  const ourTimes: number[] = [];
  const publicTimes: number[] = [];
  const expected = OPEN_PORTS.join(",");
  /** Each scan that did not find exactly the open ports: which tool, which run, what it found. */
  const misses: string[] = [];
  const check = (tool: string, run: number, open: number[]) => {
    if (open.join(",") !== expected) misses.push(`${tool} run ${run + 1} found ${open.join(",") || "none"}`);
  };
  for (let run = 0; run < runs; run++) {
    const nmap = nmapScan(scannerNs, address);
    const ours = hassguardScan(scannerNs, address);
    nmapTimes.push(nmap.ms);
    ourTimes.push(ours.ms);
    check("nmap", run, nmap.open);
    check("hassguard", run, ours.open);
    if (publicPath) {
      const viaSocket = hassguardScan(scannerNs, address, "net.Socket");
      publicTimes.push(viaSocket.ms);
      check("hassguard through net.Socket", run, viaSocket.open);
    }
  }
  const seconds = (times: number[]) => `${(median(times) / 1000).toFixed(2)} s`;
  const ratio = median(ourTimes) / median(nmapTimes);
  return (
    `${label.padEnd(28)} nmap ${seconds(nmapTimes)}, hassguard ${seconds(ourTimes)}` +
    (publicPath ? ` (through net.Socket: ${seconds(publicTimes)})` : "") +
    ` (median of ${runs}; ratio hassguard/nmap ${ratio.toFixed(2)}); same open ports: ${misses.length === 0 ? "yes" : `NO (${misses.join("; ")})`}`
  );
}

async function loopback(lines: string[], firewalled: boolean): Promise<void> {
  const ns = `hgb-lo-${process.pid}`;
  ip(["netns", "add", ns]);
  let listeners: ChildProcess | undefined;
  try {
    ip(["-n", ns, "link", "set", "lo", "up"]);
    listeners = await startReady([
      "ip",
      ...inNs(ns, [
        process.execPath,
        "--import",
        "tsx",
        path.join(ROOT, "bench/scan-child.ts"),
        "listen",
        "127.0.0.1",
        OPEN_PORTS.join(","),
      ]),
    ]);
    if (firewalled) {
      // a host firewall that silently drops connection attempts to every other port (SYNs only, so the
      // open ports' answers still pass)
      execFileSync("ip", inNs(ns, ["nft", "-f", "-"]), {
        input: `table inet hgbench {\n chain input {\n  type filter hook input priority 0;\n  tcp flags & (syn|ack) == syn tcp dport != { ${OPEN_PORTS.join(", ")} } drop\n }\n}\n`,
        stdio: ["pipe", "pipe", "pipe"],
      });
      // one run: nmap needs over a minute and a half here
      lines.push(compare("loopback, all else dropped", ns, "127.0.0.1", 1));
    } else {
      lines.push(compare("loopback (namespace)", ns, "127.0.0.1", RUNS, true));
    }
  } finally {
    listeners?.kill("SIGKILL");
    ip(["netns", "delete", ns]);
  }
}

async function delayedLink(delayMs: number, lines: string[]): Promise<void> {
  const link = await openDelayedLink("hgb", delayMs, "10.231.0");
  try {
    await link.startReady([
      "ip",
      ...inNs(link.targetNs, [
        process.execPath,
        "--import",
        "tsx",
        path.join(ROOT, "bench/scan-child.ts"),
        "listen",
        link.targetAddress,
        OPEN_PORTS.join(","),
      ]),
    ]);
    const label = `namespace pair, +${delayMs} ms each way`;
    lines.push(compare(label, link.scannerNs, link.targetAddress, RUNS, delayMs === 1));
  } finally {
    link.remove();
  }
}

export async function benchScan(): Promise<string[]> {
  const lines = [
    `TCP connect scan of all 65,535 ports, ${OPEN_PORTS.length} open (${OPEN_PORTS.join(", ")}); times are each tool's own`,
    "(nmap: elapsed in its XML; hassguard: the scan, without node start-up). Port discovery only: hassguard's",
    "protocol probes are not part of nmap -sT either.",
  ];
  const missing = ["nmap", "ip", "python3"].filter((tool) => spawnSync("which", [tool]).status !== 0);
  if (missing.length > 0 || process.getuid?.() !== 0) {
    return [
      ...lines,
      `skipped: needs root and ${["nmap", "ip", "python3"].join(", ")} (missing: ${missing.join(", ") || "root"})`,
    ];
  }
  await loopback(lines, false);
  for (const delay of [1, 20]) await delayedLink(delay, lines);
  await loopback(lines, true);
  return lines;
}

// `node --import tsx bench/scan.ts` runs this benchmark alone
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchScan()) process.stdout.write(`${line}\n`);
}
