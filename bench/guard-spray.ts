// The guard under a spray (issue 8): `hassguard guard check` on a 2,000,000-line log from 1,000,000 distinct
// addresses with a few real attackers inside; every attacker must be banned and no sprayer. Time and peak
// memory (GNU time's maximum resident set) of the whole process, and the same for fail2ban-regex on that log.
import { execFile } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { validateGuardConfig } from "../src/guard/config.js";
import { MarkerLineScanner } from "../src/guard/line-scanner.js";
import { REPLAY_MARKERS, Replay } from "../src/guard/replay.js";
import { cliLabel, guardCheckCommand } from "./guard.js";
import { FILTER, fail2banAvailable, fail2banDecisions } from "./guard-fail2ban.js";
import { writeSprayLog } from "./guard-spray-data.js";

const run = promisify(execFile);
const root = new URL("../", import.meta.url).pathname;
const TIME = "/usr/bin/time";

/**
 * Runs a command under GNU time: wall and CPU seconds (user + system: on a shared machine the wall time
 * mostly measures the neighbours), peak resident memory (MB), and its output.
 */
async function measured(
  command: string[],
): Promise<{ seconds: number; cpuSeconds: number; peakMb: number; stdout: string }> {
  const [program = "", ...args] = command;
  const { stdout, stderr } = await run(TIME, ["-f", "hassguard-bench %e %M %U %S", program, ...args], {
    cwd: root,
    maxBuffer: 256 * 1024 * 1024,
    timeout: 1_800_000,
  });
  const match = /hassguard-bench ([\d.]+) (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
  if (!match) throw new Error(`no measurement from ${TIME}: ${stderr.slice(-300)}`);
  const cpuSeconds = Number(match[3]) + Number(match[4]);
  return { seconds: Number(match[1]), cpuSeconds, peakMb: Number(match[2]) / 1024, stdout };
}

const mb = (value: number) => `${Math.round(value)} MB`;
const why = (error: unknown) =>
  (error as { killed?: boolean }).killed
    ? "stopped at its time limit"
    : String((error as Error).message).split("\n")[0];

/**
 * The parser and detector alone, in this process: CPU time, and the memory the detector holds at the end
 * (heap after a full collection with the replay alive, minus the heap before it).
 */
async function inProcess(log: string): Promise<{ cpuSeconds: number; heldMb: number; tracked: number }> {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpuBefore = process.cpuUsage();
  const replay = new Replay(validateGuardConfig({ maxRetry: 5, maxPrefixRetry: 10, findTime: 600 }, "bench"));
  const scanner = new MarkerLineScanner(REPLAY_MARKERS, (line) => replay.line(line));
  for await (const chunk of createReadStream(log, { highWaterMark: 1 << 20 })) scanner.push(chunk as Buffer);
  scanner.flush();
  const cpu = process.cpuUsage(cpuBefore);
  gc();
  const heldMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  return { cpuSeconds: (cpu.user + cpu.system) / 1e6, heldMb, tracked: replay.tracked };
}

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
    const alone = await inProcess(log);
    const ours = await measured(guardCheckCommand(log, { "max-retry": 5, "max-prefix-retry": 10, "find-time": 600 }));
    const banned = new Set((JSON.parse(ours.stdout) as { bans: { address: string }[] }).bans.map((b) => b.address));
    out.push(
      `  hassguard guard check: ${ours.seconds.toFixed(1)} s, ${ours.cpuSeconds.toFixed(1)} s CPU, peak memory ${mb(ours.peakMb)} (whole process, ${cliLabel()}), ${banned.size} banned`,
    );
    out.push(
      `  parser + detector alone: ${alone.cpuSeconds.toFixed(1)} s CPU; at the end the detector tracks ${alone.tracked.toLocaleString("en-US")} keys and holds ${mb(alone.heldMb)} (the rest of the peak is garbage not yet collected)`,
    );
    const missed = data.attackers.filter((attacker) => !banned.has(attacker.target));
    for (const attacker of data.attackers) {
      out.push(`    ${banned.has(attacker.target) ? "banned" : "MISSED"}  ${attacker.target}  (${attacker.what})`);
    }
    const sprayersBanned = banned.size - (data.attackers.length - missed.length);
    if (missed.length > 0 || sprayersBanned > 0) {
      const verdict = `${missed.length} attackers missed (${missed.map((a) => a.target).join(", ")}), ${sprayersBanned} sprayers banned`;
      throw new Error([verdict, ...out].join("\n"));
    }
    if (!fail2banAvailable()) {
      out.push("  fail2ban is not installed: hassguard's side only");
      return out;
    }
    // fail2ban is the reference, not the subject: if it cannot finish here, say so and keep hassguard's results
    try {
      const regex = await measured(["/usr/bin/fail2ban-regex", "-r", "--print-no-missed", log, FILTER]);
      const matched = /Lines: \d+ lines, \d+ ignored, (\d+) matched/.exec(regex.stdout)?.[1] ?? "?";
      out.push(
        `  fail2ban-regex (matching only, no decisions): ${regex.seconds.toFixed(1)} s, ${regex.cpuSeconds.toFixed(1)} s CPU, peak memory ${mb(regex.peakMb)}, ${matched} lines matched — hassguard ${(regex.cpuSeconds / ours.cpuSeconds).toFixed(1)}× its speed in CPU time`,
      );
    } catch (error) {
      out.push(`  fail2ban-regex did not finish: ${why(error)}`);
    }
    const started = process.hrtime.bigint();
    try {
      // a million addresses in its FailManager: give it half an hour
      const theirs = new Set(await fail2banDecisions(log, 5, 600, 1_800_000));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const theirsMissed = data.attackers.filter((attacker) => !theirs.has(attacker.target)).map((a) => a.target);
      out.push(
        `  fail2ban's own decisions (its Filter and FailManager, maxretry 5, findtime 600; ${seconds.toFixed(0)} s): ${theirs.size} banned; missed ${theirsMissed.join(", ") || "none"}`,
      );
    } catch (error) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      out.push(`  fail2ban's own decisions did not finish (${seconds.toFixed(0)} s): ${why(error)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
