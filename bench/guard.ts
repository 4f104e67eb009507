// The guard against fail2ban on the same synthetic Home Assistant logs (100,000 and 1,000,000 lines, ~5%
// failed logins from ~1,000 documentation-range addresses): same banned set, lines per second, ban latency.
import { execFile, execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { validateGuardConfig } from "../src/guard/config.js";
import { Guard } from "../src/guard/guard.js";
import { replayFile } from "../src/guard/replay-file.js";
import { writeSyntheticLog } from "./guard-data.js";
import { fail2banAvailable, fail2banDecisions, fail2banLatencies, fail2banRegex } from "./guard-fail2ban.js";

const run = promisify(execFile);
const root = new URL("../", import.meta.url).pathname;
const MAX_RETRY = 5;
const FIND_TIME = 600;
const TRIALS = 10;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const rate = (lines: number, seconds: number) => `${Math.round(lines / seconds).toLocaleString("en-US")} lines/s`;

/** The CLI as a user runs it: the built one when there is a build (or HASSGUARD_CLI names one), else via tsx. */
export function cliCommand(): string[] {
  const built = process.env.HASSGUARD_CLI ?? join(root, "dist", "cli", "main.js");
  return existsSync(built) ? [built] : ["--import", "tsx", join(root, "src", "cli", "main.ts")];
}
export const cliLabel = () => (cliCommand().length === 1 ? "built CLI" : "CLI through tsx, which adds its start-up");

/** `hassguard guard check LOG --format json` with these settings flags, as a command line for this Node. */
export function guardCheckCommand(log: string, settings: Record<string, number>): string[] {
  const flags = Object.entries(settings).flatMap(([flag, value]) => [`--${flag}`, `${value}`]);
  return [process.execPath, ...cliCommand(), "guard", "check", log, ...flags, "--format", "json"];
}

async function hassguardCheck(log: string): Promise<{ seconds: number; banned: string[] }> {
  const started = process.hrtime.bigint();
  const [node = "", ...args] = guardCheckCommand(log, {
    "max-retry": MAX_RETRY,
    "max-token-retry": MAX_RETRY,
    // fail2ban has no /64 bans: compare address bans only
    "max-prefix-retry": 0,
    "find-time": FIND_TIME,
  });
  const { stdout } = await run(node, args, { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const report = JSON.parse(stdout) as { bans: { address: string }[] };
  return { seconds, banned: [...new Set(report.bans.map((b) => b.address))] };
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && new Set([...a, ...b]).size === a.length;

/** hassguard's ban latency: the live guard following a log file, nftables in a namespace made here (or dry-run). */
async function hassguardLatencies(dir: string): Promise<{ latencies: number[]; backend: string }> {
  const namespace = `hg-bench-${process.pid}`;
  let useNft = false;
  if (process.getuid?.() === 0 && existsSync("/usr/sbin/nft")) {
    try {
      execFileSync("ip", ["netns", "add", namespace], { stdio: "ignore" });
      useNft = true;
    } catch {
      useNft = false;
    }
  }
  const log = join(dir, "live.log");
  writeFileSync(log, "");
  const config = validateGuardConfig(
    {
      source: "file",
      log,
      store: join(dir, "live.sqlite"),
      maxRetry: MAX_RETRY,
      backends: [useNft ? "nftables" : "dry-run"],
    },
    "bench",
  );
  const guard = new Guard(config, useNft ? { nftCommand: ["ip", "netns", "exec", namespace, "nft"] } : {});
  await guard.start();
  const latencies: number[] = [];
  try {
    for (let trial = 0; trial < TRIALS; trial++) {
      const address = `198.51.100.${200 + trial}`;
      const now = () => new Date().toISOString().replace("T", " ").replace("Z", "");
      const line = () =>
        `${now()} WARNING (MainThread) [homeassistant.components.http.ban] Login attempt or request with invalid authentication from ${address} (${address}). Requested URL: '/auth/login_flow/x'. (bench)\n`;
      for (let i = 0; i < MAX_RETRY - 1; i++) appendFileSync(log, line());
      await new Promise((resolve) => setTimeout(resolve, 300));
      const banned = new Promise<number>((resolve) => {
        guard.bus.on(latencies, "ban", (ban) => {
          if (ban.address === address) void guard.bans.settle().then(() => resolve(Date.now()));
        });
      });
      const appendedAt = Date.now();
      appendFileSync(log, line());
      const bannedAt = await Promise.race([
        banned,
        new Promise<number>((_, reject) => setTimeout(() => reject(new Error("no ban within 10 s")), 10_000)),
      ]);
      guard.bus.removeListeners(latencies);
      latencies.push(bannedAt - appendedAt);
    }
  } finally {
    await guard.stop();
    if (useNft) execFileSync("ip", ["netns", "delete", namespace], { stdio: "ignore" });
  }
  return { latencies, backend: useNft ? "nftables in a namespace" : "dry-run" };
}

export async function benchGuard(): Promise<string[]> {
  const out: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "hassguard-bench-guard-"));
  try {
    const haveFail2ban = fail2banAvailable();
    if (!haveFail2ban)
      out.push("fail2ban is not installed: hassguard's side only (apt-get install fail2ban python3-pyinotify)");
    const config = validateGuardConfig({ maxRetry: MAX_RETRY, maxTokenRetry: MAX_RETRY, findTime: FIND_TIME }, "bench");
    for (const size of [100_000, 1_000_000]) {
      const log = join(dir, `synthetic-${size}.log`);
      const data = await writeSyntheticLog(log, size, new Date(2026, 10, 23).getTime());
      out.push(
        `${size.toLocaleString("en-US")} lines: ${data.failures} failed logins from ${data.addresses} addresses (${data.attackers.length} attack in bursts)`,
      );
      const inProcessStart = process.hrtime.bigint();
      await replayFile(log, config);
      const inProcess = Number(process.hrtime.bigint() - inProcessStart) / 1e9;
      const ours = await hassguardCheck(log);
      out.push(
        `  hassguard guard check: ${ours.seconds.toFixed(2)} s, ${rate(size, ours.seconds)} (whole process, ${cliLabel()}; parser+detector alone ${rate(size, inProcess)}), ${ours.banned.length} banned`,
      );
      if (!haveFail2ban) continue;
      const regex = await fail2banRegex(log);
      out.push(
        `  fail2ban-regex: ${regex.seconds.toFixed(2)} s, ${rate(size, regex.seconds)} (${regex.matched} lines matched)`,
      );
      const theirs = await fail2banDecisions(log, MAX_RETRY, FIND_TIME);
      const same = sameSet(ours.banned, theirs);
      out.push(
        `  same banned set as fail2ban (maxretry ${MAX_RETRY}, findtime ${FIND_TIME} s; ${theirs.length} banned): ${same ? "yes" : "NO"}`,
      );
      if (!same) {
        const onlyOurs = ours.banned.filter((a) => !theirs.includes(a));
        const onlyTheirs = theirs.filter((a) => !ours.banned.includes(a));
        out.push(
          `    only hassguard: ${onlyOurs.slice(0, 10).join(", ") || "-"}; only fail2ban: ${onlyTheirs.slice(0, 10).join(", ") || "-"}`,
        );
      }
      out.push(`  throughput ratio hassguard / fail2ban-regex: ${(regex.seconds / ours.seconds).toFixed(1)}×`);
      if (ours.banned.includes("198.51.100.1") || theirs.includes("198.51.100.1"))
        out.push("  WARNING: the injection bait 198.51.100.1 was banned");
      rmSync(log, { force: true });
    }
    const ours = await hassguardLatencies(dir);
    out.push(
      `ban latency, median of ${TRIALS}: hassguard ${median(ours.latencies).toFixed(1)} ms (${ours.backend}; from appending the ${MAX_RETRY}th line to the ban being in place)`,
    );
    if (haveFail2ban) {
      const theirs = await fail2banLatencies(join(dir, "fail2ban"), MAX_RETRY, TRIALS);
      out.push(
        `ban latency, median of ${TRIALS}: fail2ban-server ${median(theirs).toFixed(1)} ms (backend auto/pyinotify, an action recording its own start time) — ratio ${(median(theirs) / Math.max(0.1, median(ours.latencies))).toFixed(1)}×`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
