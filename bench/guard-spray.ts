// The guard under a spray (issue 8): `hassguard guard check` on a 2,000,000-line log from 1,000,000 distinct
// addresses with a few real attackers inside; every attacker must be banned and no sprayer. Time and peak
// memory (GNU time's maximum resident set) of the whole process, and the same for fail2ban-regex on that log.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { cliCommand, cliLabel } from "./guard.js";
import { FILTER, fail2banAvailable, fail2banDecisions } from "./guard-fail2ban.js";
import { writeSprayLog } from "./guard-spray-data.js";

const run = promisify(execFile);
const root = new URL("../", import.meta.url).pathname;
const TIME = "/usr/bin/time";

/** Runs a command under GNU time: wall seconds, peak resident memory (MB), and its output. */
async function measured(command: string[]): Promise<{ seconds: number; peakMb: number; stdout: string }> {
  const [program = "", ...args] = command;
  const { stdout, stderr } = await run(TIME, ["-f", "hassguard-bench %e %M", program, ...args], {
    cwd: root,
    maxBuffer: 256 * 1024 * 1024,
    timeout: 1_800_000,
  });
  const match = /hassguard-bench ([\d.]+) (\d+)\s*$/.exec(stderr);
  if (!match) throw new Error(`no measurement from ${TIME}: ${stderr.slice(-300)}`);
  return { seconds: Number(match[1]), peakMb: Number(match[2]) / 1024, stdout };
}

const mb = (value: number) => `${Math.round(value)} MB`;

export async function benchGuardSpray(): Promise<string[]> {
  if (!existsSync(TIME)) return [`${TIME} is not installed (apt-get install time): no peak memory to report`];
  const out: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "hassguard-bench-spray-"));
  try {
    const log = join(dir, "spray.log");
    const data = await writeSprayLog(log, new Date(2026, 10, 23).getTime());
    out.push(
      `${data.lines.toLocaleString("en-US")} lines: ${data.failures.toLocaleString("en-US")} failed logins from ${data.addresses.toLocaleString("en-US")} distinct addresses, ${data.attackers.length} real attackers inside`,
    );
    const ours = await measured([
      process.execPath,
      ...cliCommand(),
      "guard",
      "check",
      log,
      "--max-retry",
      "5",
      "--max-prefix-retry",
      "10",
      "--find-time",
      "600",
      "--format",
      "json",
    ]);
    const banned = new Set((JSON.parse(ours.stdout) as { bans: { address: string }[] }).bans.map((b) => b.address));
    out.push(
      `  hassguard guard check: ${ours.seconds.toFixed(1)} s, peak memory ${mb(ours.peakMb)} (whole process, ${cliLabel()}), ${banned.size} banned`,
    );
    const missed = data.attackers.filter((attacker) => !banned.has(attacker.target));
    for (const attacker of data.attackers) {
      out.push(`    ${banned.has(attacker.target) ? "banned" : "MISSED"}  ${attacker.target}  (${attacker.what})`);
    }
    const sprayersBanned = banned.size - (data.attackers.length - missed.length);
    if (missed.length > 0 || sprayersBanned > 0) {
      throw new Error(
        `${missed.length} attackers missed (${missed.map((a) => a.target).join(", ")}), ${sprayersBanned} sprayers banned`,
      );
    }
    if (!fail2banAvailable()) {
      out.push("  fail2ban is not installed: hassguard's side only");
      return out;
    }
    const regex = await measured(["/usr/bin/fail2ban-regex", "-r", "--print-no-missed", log, FILTER]);
    const matched = /Lines: \d+ lines, \d+ ignored, (\d+) matched/.exec(regex.stdout)?.[1] ?? "?";
    out.push(
      `  fail2ban-regex (matching only, no decisions): ${regex.seconds.toFixed(1)} s, peak memory ${mb(regex.peakMb)}, ${matched} lines matched — hassguard ${(regex.seconds / ours.seconds).toFixed(1)}× its speed`,
    );
    const theirs = new Set(await fail2banDecisions(log, 5, 600));
    const theirsMissed = data.attackers.filter((attacker) => !theirs.has(attacker.target)).map((a) => a.target);
    out.push(
      `  fail2ban's own decisions (its Filter and FailManager, maxretry 5, findtime 600): ${theirs.size} banned; missed ${theirsMissed.join(", ") || "none"}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
