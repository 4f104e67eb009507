import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { validateGuardConfig } from "../../src/guard/config.js";
import { Guard } from "../../src/guard/guard.js";
import type { FileSource } from "../../src/guard/sources/file-source.js";
import { failLine, type GuardProcess, startGuardProcess, waitFor } from "./helpers.js";

/**
 * Issue 8: after a truncation or a rollover, new failed logins sit at offsets (and sometimes on an inode)
 * already seen. Each must count once, however the file was rewritten, and nothing read before counts again.
 * The guard runs in this process, so a synchronous rewrite here is one the guard cannot see half-done.
 */
const dir = mkdtempSync(join(tmpdir(), "hassguard-identity-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let guard: Guard | null = null;
afterEach(async () => {
  await guard?.stop();
  guard = null;
});

/** Lines of one length: 203.0.113.100 … 203.0.113.199 (three-digit last octet). */
const lines = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `${failLine(`203.0.113.${from + i}`)}\n`).join("");

async function follow(name: string) {
  const folder = join(dir, name);
  mkdirSync(folder);
  const log = join(folder, "home-assistant.log");
  writeFileSync(log, "");
  const config = validateGuardConfig(
    { source: "file", log, store: join(folder, "guard.sqlite"), maxRetry: 1000, backends: ["dry-run"] },
    "test",
  );
  const seen: string[] = [];
  let running: Guard | null = null;
  /** Starts the guard (again, after `stop`) on the same store, counting into `seen`. */
  const start = async () => {
    running = new Guard(config);
    guard = running;
    running.bus.on(seen, "failure", ({ failure }) => seen.push(failure.address));
    await running.start();
  };
  const stop = async () => {
    await running?.stop();
    guard = null;
  };
  await start();
  const settle = async () => {
    if (running) await (running.source as FileSource).settle();
  };
  return { log, seen, settle, start, stop };
}

/** Home Assistant's RotatingFileHandler.doRollover at start-up: .1 removed, the log renamed to .1, a new log. */
function rollover(log: string, content: string): void {
  rmSync(`${log}.1`, { force: true });
  renameSync(log, `${log}.1`);
  writeFileSync(log, content);
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => `203.0.113.${from + i}`);

describe("line identity across truncation and rollover (file source)", () => {
  it("truncated, then new lines of the same length: each counted (noticed truncation, and within one poll)", async () => {
    const { log, seen, settle } = await follow("truncate");
    appendFileSync(log, lines(100, 3));
    await waitFor(() => seen.length === 3, 5000, "the first three lines");
    // `: > home-assistant.log`, noticed before the new lines come
    truncateSync(log, 0);
    await settle();
    appendFileSync(log, lines(103, 3));
    await waitFor(() => seen.length === 6, 5000, "three lines at offsets already seen");
    // rewritten to exactly the same size before the guard looks again: no size change to notice
    writeFileSync(log, lines(106, 3));
    await settle();
    await waitFor(() => seen.length === 9, 5000, "three lines in a file of the very same size");
    expect(seen).toEqual(range(100, 9));
  });

  it("truncated and refilled to a larger size within one poll: the whole new file is read", async () => {
    const { log, seen, settle } = await follow("refill");
    appendFileSync(log, lines(110, 2));
    await waitFor(() => seen.length === 2, 5000, "the first two lines");
    // copytruncate followed at once by Home Assistant writing more than was there
    writeFileSync(log, lines(112, 5));
    await settle();
    await waitFor(() => seen.length === 7, 5000, "all five lines of the refilled file");
    expect(seen).toEqual(range(110, 7));
  });

  it("copytruncate right after a write: the lines that are only in the copy are read from home-assistant.log.1", async () => {
    const { log, seen, settle } = await follow("copytruncate");
    appendFileSync(log, lines(140, 2));
    await waitFor(() => seen.length === 2, 5000, "the first two lines");
    // written, then copied away and truncated before the guard looked: these two exist only in the copy
    appendFileSync(log, lines(142, 2));
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    appendFileSync(log, lines(144, 2));
    await settle();
    await waitFor(() => seen.length === 6, 5000, "the copied lines and the new ones");
    expect(seen).toEqual(range(140, 6));
  });

  it("Home Assistant's start-up rollover twice in a row, the new log getting an inode seen before", async () => {
    const { log, seen, settle } = await follow("rollover");
    const inodes = [statSync(log).ino];
    let next = 120;
    appendFileSync(log, lines(next, 2));
    next += 2;
    await waitFor(() => seen.length === 2, 5000, "the first run's lines");
    let reused = 0;
    // bounded: ext4 hands the freed inode back at once; other writers on a busy machine may take it once or twice
    for (let restart = 0; restart < 8 && reused < 2; restart++) {
      rollover(log, lines(next, 2));
      next += 2;
      const inode = statSync(log).ino;
      if (inodes.includes(inode)) reused++;
      inodes.push(inode);
      await settle();
      await waitFor(() => seen.length === next - 120, 5000, `the lines of run ${restart + 2}`);
    }
    expect(reused, "the file system gave a rolled-over log an inode it had before").toBeGreaterThan(0);
    expect(seen).toEqual(range(120, next - 120));
  });
  it("rolled over twice between two looks, and twice while the guard was stopped: the run in between is read too", async () => {
    const { log, seen, settle, start, stop } = await follow("twice");
    appendFileSync(log, lines(150, 2));
    await waitFor(() => seen.length === 2, 5000, "the first run's lines");
    // two restarts of Home Assistant before the guard looks: the middle run is only in .1 now
    rollover(log, lines(152, 2));
    rollover(log, lines(154, 2));
    await settle();
    await waitFor(() => seen.length === 6, 5000, "the middle run and the last");
    await stop();
    rollover(log, lines(156, 2));
    rollover(log, lines(158, 2));
    await start();
    await waitFor(() => seen.length === 10, 5000, "the runs written while the guard was stopped");
    appendFileSync(log, lines(160, 1));
    await settle();
    await waitFor(() => seen.length === 11, 5000, "a marker line");
    expect(seen).toEqual(range(150, 11));
  });
});

describe("kill -9 and restart of a real guard process", () => {
  it("a log written all along and rotated while the guard is dead (copytruncate, then Home Assistant's rollover): each failed login counted exactly once", async () => {
    const folder = join(dir, "kill");
    mkdirSync(folder);
    const log = join(folder, "home-assistant.log");
    const store = join(folder, "guard.sqlite");
    writeFileSync(log, "");
    const args = ["--source", "file", "--log", log, "--store", store, "--max-retry", "1000000", "--backend", "dry-run"];
    const counted = () => {
      if (!existsSync(store)) return 0;
      const db = new Database(store, { readonly: true });
      try {
        return (db.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
      } catch {
        return 0;
      } finally {
        db.close();
      }
    };
    // the test process writes Home Assistant's log the whole time, one failed login from a new address each tick
    const written: string[] = [];
    const writeOne = () => {
      const n = written.length;
      const address = `198.18.${(n >> 8) & 255}.${n & 255}`;
      appendFileSync(log, `${failLine(address)}\n`);
      written.push(address);
    };
    let writer: NodeJS.Timeout | undefined;
    const waitWritten = (more: number) => {
      const target = written.length + more;
      return waitFor(() => written.length >= target, 10_000, `${more} more lines written`);
    };
    const kill = async (guard: GuardProcess) => {
      guard.child.kill("SIGKILL");
      await guard.exited;
    };
    let guard: GuardProcess | null = null;
    try {
      guard = await startGuardProcess(args);
      // the first run starts at the end of the log: the writer starts once the guard watches
      writer = setInterval(writeOne, 5);
      await waitFor(() => counted() >= 100, 20_000, "the first guard to count 100 lines");
      await kill(guard);
      await waitWritten(100);
      // logrotate's copytruncate while the guard is dead: what it had not read yet is only in .1 now
      copyFileSync(log, `${log}.1`);
      truncateSync(log, 0);
      await waitWritten(100);
      guard = await startGuardProcess(args);
      const target = written.length;
      await waitFor(() => counted() >= target, 20_000, "the second guard to catch up");
      await kill(guard);
      await waitWritten(100);
      // Home Assistant's start-up rollover while the guard is dead; the next write makes a new log
      rmSync(`${log}.1`);
      renameSync(log, `${log}.1`);
      await waitWritten(100);
      guard = await startGuardProcess(args);
      await waitWritten(50);
      clearInterval(writer);
      await waitFor(() => counted() >= written.length, 20_000, "every written line counted");
      guard.child.kill("SIGTERM");
      expect(await guard.exited).toBe(0);
      guard = null;
    } finally {
      clearInterval(writer);
      if (guard) await kill(guard);
    }
    const db = new Database(store, { readonly: true });
    const rows = db.prepare("SELECT address, count(*) AS n FROM events GROUP BY address").all() as {
      address: string;
      n: number;
    }[];
    db.close();
    expect(rows.filter((row) => row.n !== 1)).toEqual([]);
    expect(rows.map((row) => row.address).sort()).toEqual([...written].sort());
  }, 120_000);
});
