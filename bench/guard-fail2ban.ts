// fail2ban's side of the guard benchmark: fail2ban-regex's throughput, fail2ban's own ban decisions
// (fail2ban/decisions.py: its Filter and FailManager), and a real fail2ban-server's ban latency.
import { execFile, execFileSync } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const here = new URL(".", import.meta.url).pathname;
export const FILTER = join(here, "fail2ban", "homeassistant.conf");
// Debian's fail2ban lives in the system Python, not in whatever python3 comes first on PATH
const PYTHON = "/usr/bin/python3";

export function fail2banAvailable(): boolean {
  return existsSync("/usr/bin/fail2ban-regex") && existsSync("/usr/bin/fail2ban-client");
}

/** fail2ban-regex over the whole log (no DNS), wall time of the process. */
export async function fail2banRegex(log: string): Promise<{ seconds: number; matched: number; lines: number }> {
  const started = process.hrtime.bigint();
  const { stdout } = await run("/usr/bin/fail2ban-regex", ["-r", "--print-no-missed", log, FILTER], {
    maxBuffer: 64 * 1024 * 1024,
    timeout: 900_000,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const summary = /Lines: (\d+) lines, \d+ ignored, (\d+) matched/.exec(stdout);
  return { seconds, lines: Number(summary?.[1] ?? 0), matched: Number(summary?.[2] ?? 0) };
}

/** The addresses fail2ban would ban (maxretry within findtime), by fail2ban's own code. */
export async function fail2banDecisions(
  log: string,
  maxRetry: number,
  findTime: number,
  timeoutMs = 900_000,
): Promise<string[]> {
  const { stdout } = await run(
    PYTHON,
    [join(here, "fail2ban", "decisions.py"), log, FILTER, String(maxRetry), String(findTime)],
    {
      maxBuffer: 64 * 1024 * 1024,
      timeout: timeoutMs,
    },
  );
  return (JSON.parse(stdout) as { banned: string[] }).banned;
}

const line = (address: string) => {
  const d = new Date();
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  const time = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
  return `${time} WARNING (MainThread) [homeassistant.components.http.ban] Login attempt or request with invalid authentication from ${address} (${address}). Requested URL: '/auth/login_flow/x'. (bench)\n`;
};

/**
 * Ban latency of a real fail2ban-server (backend auto = pyinotify when installed) with a jail on a log file
 * and an action that records the time it ran: from appending the maxretry-th line to the action running.
 */
export async function fail2banLatencies(dir: string, maxRetry: number, trials: number): Promise<number[]> {
  const conf = join(dir, "conf");
  mkdirSync(join(conf, "filter.d"), { recursive: true });
  mkdirSync(join(conf, "action.d"), { recursive: true });
  copyFileSync(FILTER, join(conf, "filter.d", "homeassistant.conf"));
  copyFileSync("/etc/fail2ban/filter.d/common.conf", join(conf, "filter.d", "common.conf"));
  const socket = join(dir, "f2b.sock");
  const log = join(dir, "home-assistant.log");
  const bans = join(dir, "bans.txt");
  writeFileSync(log, "");
  writeFileSync(bans, "");
  writeFileSync(
    join(conf, "fail2ban.conf"),
    `[Definition]\nloglevel = NOTICE\nlogtarget = ${join(dir, "fail2ban.log")}\nsocket = ${socket}\npidfile = ${join(dir, "f2b.pid")}\ndbfile = :memory:\n`,
  );
  writeFileSync(
    join(conf, "action.d", "record.conf"),
    `[Definition]\nactionstart =\nactionstop =\nactioncheck =\nactionban = printf '%%s %%s\\n' <ip> "$(date +%%s.%%N)" >> ${bans}\nactionunban =\n`,
  );
  writeFileSync(
    join(conf, "jail.conf"),
    `[DEFAULT]\nbackend = auto\nmaxretry = ${maxRetry}\nfindtime = 600\nbantime = 3600\nignoreself = false\n[homeassistant]\nenabled = true\nfilter = homeassistant\nlogpath = ${log}\naction = record\n`,
  );
  const client = (...args: string[]) =>
    execFileSync("/usr/bin/fail2ban-client", ["-c", conf, "-s", socket, "-p", join(dir, "f2b.pid"), ...args], {
      stdio: "pipe",
      timeout: 30_000,
    });
  client("-x", "start");
  const latencies: number[] = [];
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (let trial = 0; trial < trials; trial++) {
      const address = `203.0.113.${200 + trial}`;
      for (let i = 0; i < maxRetry - 1; i++) appendFileSync(log, line(address));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const appendedAt = Date.now();
      appendFileSync(log, line(address));
      const deadline = Date.now() + 10_000;
      let bannedAt: number | null = null;
      while (Date.now() < deadline && bannedAt === null) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        const entry = readFileSync(bans, "utf8")
          .split("\n")
          .find((row) => row.startsWith(`${address} `));
        if (entry) bannedAt = Number(entry.split(" ")[1]) * 1000;
      }
      if (bannedAt === null) throw new Error(`fail2ban did not ban ${address} within 10 s`);
      latencies.push(bannedAt - appendedAt);
    }
  } finally {
    try {
      client("stop");
    } catch {
      // already gone
    }
  }
  return latencies;
}
