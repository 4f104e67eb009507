import { RttEstimator } from "./rtt.js";
import { type ConnectEnd, createConnector } from "./tcp-connect.js";
import { WindowController } from "./window.js";

/**
 * TCP connect scan: one `connect()` per port, no raw sockets, so it needs no privileges and works the same
 * for IPv4 and IPv6. Its speed comes from many connections in flight; how many (window.ts), and how long to
 * wait for an answer (rtt.ts, RFC 6298 as in nmap), adapt to the path.
 */

export type PortState = "open" | "closed" | "filtered";

export interface ConnectScanOptions {
  /** Wall-clock budget for this host; ports not tried by then are reported as skipped. */
  budgetMs?: number;
  /** Connections in flight: start, floor and ceiling. */
  initialWindow?: number;
  minWindow?: number;
  maxWindow?: number;
  /** Probe timeout bounds (ms); the estimate from measured round trips lives between them. */
  minTimeoutMs?: number;
  maxTimeoutMs?: number;
  initialTimeoutMs?: number;
  /** Extra tries for a port that gave no answer before it is called filtered. */
  retries?: number;
  /** Called about twice a second. */
  onProgress?: (done: number, total: number, open: number) => void;
  /** Which connect implementation to prefer (tcp-connect.ts); the default is the fastest available. */
  connector?: "tcp_wrap" | "net.Socket";
}

export interface ConnectScanResult {
  states: Map<number, PortState>;
  /** Ports never tried (or never answered for local reasons) because the budget ran out. */
  skipped: number[];
  durationMs: number;
  /** Which connect implementation ran (tcp-connect.ts). */
  connector: "tcp_wrap" | "net.Socket";
}

type Outcome = PortState | "local-error" | "timeout";

// ECONNREFUSED is a RST to our SYN: closed. Unreachable answers (ICMP) mean a filter or routing said no:
// filtered, as nmap reports them. Local resource errors say nothing about the port: try it again later.
const LOCAL_ERRORS = new Set(["EMFILE", "ENFILE", "ENOBUFS", "EADDRNOTAVAIL", "EAGAIN", "ENOMEM", "EADDRINUSE"]);
function outcomeOf(code: string | undefined): Outcome {
  if (code === "ECONNREFUSED") return "closed";
  // a reset after the handshake: something listened, accepted and hung up at once (still an open port)
  if (code === "ECONNRESET" || code === "EPIPE") return "open";
  if (code !== undefined && LOCAL_ERRORS.has(code)) return "local-error";
  return "filtered";
}

/** One connect in flight. */
interface Attempt {
  port: number;
  /** The connector's (tcp-connect.ts); cleared when closed. */
  handle?: unknown;
  sentAt: number;
  /** Counted in the window until it is answered or goes stale. */
  counted: boolean;
  settled: boolean;
}

/** How often in-flight attempts are checked for staleness and timeouts (one sweep, not a timer each). */
const SWEEP_MS = 5;

export async function connectScan(
  address: string,
  ports: readonly number[],
  options: ConnectScanOptions = {},
): Promise<ConnectScanResult> {
  const started = Date.now();
  const deadline = options.budgetMs === undefined ? Number.POSITIVE_INFINITY : started + options.budgetMs;
  const maxWindow = options.maxWindow ?? 4096;
  const windows = new WindowController(
    options.initialWindow ?? 256,
    options.minWindow ?? 32,
    maxWindow,
    performance.now(),
  );
  const retries = options.retries ?? 1;
  const rtt = new RttEstimator(
    options.initialTimeoutMs ?? 1000,
    options.minTimeoutMs ?? 100,
    options.maxTimeoutMs ?? 1250,
  );

  const states = new Map<number, PortState>();
  const triesLeft = new Map<number, number>();
  const timedOutOnce = new Set<number>();
  const localErrors = new Map<number, number>();
  const retryQueue: number[] = [];
  // in launch order, so the oldest are at the front: a sweep looks only as far as the first young one
  const inFlight: Attempt[] = [];
  let inFlightHead = 0;
  let next = 0;
  let counted = 0; // attempts that count against the window
  let total = 0; // every socket open, stale or not: bounded by maxWindow
  let open = 0;
  let resolveAll: () => void = () => {};

  const uncount = (entry: Attempt) => {
    if (entry.counted) {
      entry.counted = false;
      counted--;
    }
  };

  const settle = (entry: Attempt, outcome: Outcome) => {
    if (entry.settled) return;
    entry.settled = true;
    uncount(entry);
    total--;
    // reset instead of FIN: no TIME_WAIT pile-up over 65,535 ports
    connector.close(entry, outcome === "open");
    record(entry, outcome);
  };

  const record = (entry: Attempt, outcome: Outcome) => {
    const { port } = entry;
    if (outcome === "timeout") {
      windows.resolved(performance.now());
      const left = triesLeft.get(port) ?? retries;
      if (left > 0) {
        triesLeft.set(port, left - 1);
        timedOutOnce.add(port);
        retryQueue.push(port);
      } else {
        states.set(port, "filtered");
      }
      return;
    }
    if (outcome === "local-error") {
      windows.congested();
      const count = (localErrors.get(port) ?? 0) + 1;
      localErrors.set(port, count);
      // bounded: a port this machine cannot connect to after 10 tries ends up in `skipped`
      if (count < 10) retryQueue.push(port);
      return;
    }
    const now = performance.now();
    rtt.sample(now - entry.sentAt);
    // lost once, answered on retry: the loss was congestion, not a filter
    if (timedOutOnce.has(port)) windows.congested();
    else windows.answered(now - entry.sentAt, now);
    states.set(port, outcome);
    if (outcome === "open") open++;
  };

  // On loopback a connect from ephemeral port P to port P "succeeds" by TCP simultaneous open with itself:
  // there is no listener, so the port is closed ("self").
  const onEnd = (entry: Attempt, end: ConnectEnd) => {
    settle(entry, end === "connected" ? "open" : end === "self" ? "closed" : outcomeOf(end));
    pump();
  };
  const connector = await createConnector<Attempt>(address, onEnd, options.connector);

  const launch = (port: number) => {
    const entry: Attempt = { port, sentAt: performance.now(), counted: true, settled: false };
    counted++;
    total++;
    inFlight.push(entry);
    const failed = connector.start(entry);
    if (failed !== undefined) settle(entry, outcomeOf(failed));
  };

  let finished = false;
  const pump = () => {
    while (counted < windows.window() && total < maxWindow && Date.now() < deadline) {
      const port = retryQueue.shift() ?? ports[next++];
      if (port === undefined) break;
      launch(port);
    }
    if (total === 0 && !finished) {
      finished = true;
      resolveAll();
    }
  };

  // An attempt unanswered after a few shortest round trips is probably dropped (a filter): it stops counting
  // against the window, so a firewall that drops everything does not throttle the scan to a crawl. After
  // the timeout it is given up (and retried, or called filtered).
  const sweep = () => {
    const now = performance.now();
    const timeoutMs = rtt.timeoutMs();
    const staleMs = Math.min(timeoutMs, Math.max(20, 4 * (windows.shortestRttMs() ?? 50)));
    while (inFlightHead < inFlight.length && (inFlight[inFlightHead] as Attempt).settled) inFlightHead++;
    for (let i = inFlightHead; i < inFlight.length; i++) {
      const entry = inFlight[i] as Attempt;
      const age = now - entry.sentAt;
      if (age < staleMs) break;
      if (entry.settled) continue;
      if (age >= timeoutMs) settle(entry, "timeout");
      else uncount(entry);
    }
    // keep the array from growing over a long scan
    if (inFlightHead > 4096) {
      inFlight.splice(0, inFlightHead);
      inFlightHead = 0;
    }
    pump();
  };

  const progressTimer =
    options.onProgress === undefined
      ? undefined
      : setInterval(() => options.onProgress?.(states.size, ports.length, open), 500);
  const sweeper = setInterval(sweep, SWEEP_MS);
  // Through the net.Socket fallback, refused connects raise one Error each (65,535 in a full scan), and
  // capturing their stack traces costs time: with `Error.stackTraceLimit = 0` for the scan, a loopback scan
  // through net.Socket took 10.6 s instead of 14.3 s (median of 5, bench/scan-child.ts). That setting is
  // global, though, and a scan is asynchronous: every Error made anywhere in the process meanwhile (another
  // probe's, a bug report's) would lose its stack. So it is left alone; the fast path is the tcp_wrap
  // connector, which makes no Error at all (tcp-connect.ts).
  try {
    await new Promise<void>((resolve) => {
      resolveAll = resolve;
      pump();
    });
  } finally {
    clearInterval(sweeper);
    if (progressTimer !== undefined) clearInterval(progressTimer);
  }
  options.onProgress?.(states.size, ports.length, open);
  const skipped = ports.filter((p) => !states.has(p));
  return { states, skipped, durationMs: Date.now() - started, connector: connector.kind };
}
