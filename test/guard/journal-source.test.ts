import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GuardBus } from "../../src/guard/bus.js";
import { validateGuardConfig } from "../../src/guard/config.js";
import { Guard } from "../../src/guard/guard.js";
import { parseLine } from "../../src/guard/parser.js";
import { JournalSource } from "../../src/guard/sources/journal-source.js";
import { failLine, waitFor } from "./helpers.js";

/**
 * A real journal: entries in systemd's export format, written into a journal file by systemd's own
 * systemd-journal-remote, read back through journalctl --file --follow.
 */
const JOURNAL_REMOTE = "/usr/lib/systemd/systemd-journal-remote";
const dir = mkdtempSync(join(tmpdir(), "hassguard-journal-"));
const journalFile = join(dir, "remote.journal");
const BOOT = "0123456789abcdef0123456789abcdef";
let sequence = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One export-format entry; a message with control bytes uses the binary field form. */
function entry(identifier: string, message: string): Buffer {
  sequence++;
  const micros = BigInt(Date.now()) * 1000n + BigInt(sequence);
  const head = `__REALTIME_TIMESTAMP=${micros}\n__MONOTONIC_TIMESTAMP=${sequence * 1000}\n_BOOT_ID=${BOOT}\nSYSLOG_IDENTIFIER=${identifier}\nPRIORITY=4\n`;
  const body = Buffer.from(message, "utf8");
  // export format: a value with control bytes must use the binary (length-prefixed) field form
  const hasControl = [...message].some((c) => c.charCodeAt(0) < 0x20);
  if (!hasControl) return Buffer.concat([Buffer.from(`${head}MESSAGE=${message}\n\n`)]);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(body.length));
  return Buffer.concat([Buffer.from(`${head}MESSAGE\n`), length, body, Buffer.from("\n\n")]);
}

function writeJournal(entries: Buffer[]): void {
  const exportFile = join(dir, `batch-${sequence}.export`);
  writeFileSync(exportFile, Buffer.concat(entries));
  execFileSync(JOURNAL_REMOTE, [`--output=${journalFile}`, exportFile], { stdio: "ignore", timeout: 10_000 });
}

let source: JournalSource | null = null;
afterEach(async () => {
  await source?.stop();
  source = null;
});

function follow(options: { afterCursor?: string | null; fromStart?: boolean }) {
  const bus = new GuardBus();
  const lines: { text: string; time: Date | null }[] = [];
  bus.on({}, "line", (line) => lines.push(line));
  const cursors: string[] = [];
  source = new JournalSource(bus, {
    matches: ["SYSLOG_IDENTIFIER=homeassistant"],
    extraArgs: ["--file", journalFile],
    ...(options.fromStart !== undefined ? { fromStart: options.fromStart } : {}),
    bookmark: { read: () => options.afterCursor ?? null, write: (cursor) => cursors.push(cursor) },
  });
  return { lines, cursors, start: () => source?.start() };
}

describe.skipIf(!existsSync(JOURNAL_REMOTE))("journal source (real journal files)", () => {
  it("reads Home Assistant's entries, follows new ones, and resumes after a cursor", async () => {
    writeJournal([
      entry("homeassistant", failLine("203.0.113.10")),
      entry("sshd", "Failed password for root from 198.51.100.99 port 22 ssh2"),
      entry("homeassistant", `hass[812]: ${failLine("2001:db8::10")}`),
    ]);
    const first = follow({ fromStart: true });
    await first.start();
    await waitFor(() => first.lines.length === 2, 5000, "the two Home Assistant entries");
    expect(first.lines.map((l) => parseLine(l.text))).toMatchObject([
      { address: "203.0.113.10" },
      { address: "2001:db8::10" },
    ]);
    // the journal's own time comes along
    expect(Math.abs((first.lines[0]?.time?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);

    // a message with a NUL byte and an escape sequence is stored as bytes; it must arrive and parse
    writeJournal([entry("homeassistant", failLine("203.0.113.11", "/auth/login_flow/x", "evil\u0000\u001b[2Jagent"))]);
    await waitFor(() => first.lines.length === 3, 5000, "the followed entry");
    expect(parseLine(first.lines[2]?.text ?? "")).toMatchObject({ address: "203.0.113.11" });
    const cursor = first.cursors.at(-1) ?? null;
    await source?.stop();

    writeJournal([entry("homeassistant", failLine("203.0.113.12"))]);
    const resumed = follow({ afterCursor: cursor });
    await resumed.start();
    await waitFor(() => resumed.lines.length >= 1, 5000, "the entry after the cursor");
    await new Promise((resolve) => setTimeout(resolve, 300));
    // nothing before the cursor is read again
    expect(resumed.lines.map((l) => parseLine(l.text))).toMatchObject([{ address: "203.0.113.12" }]);
  });

  it("the guard on the journal: bans, and after a restart resumes at its cursor without counting twice", async () => {
    const store = join(dir, "guard.sqlite");
    const config = validateGuardConfig(
      {
        source: "journal",
        journalArgs: ["--file", journalFile],
        journalMatch: ["SYSLOG_IDENTIFIER=homeassistant"],
        store,
        maxRetry: 3,
        backends: ["dry-run"],
      },
      "test",
    );
    writeJournal([
      entry("homeassistant", failLine("198.51.100.50")),
      entry("homeassistant", failLine("198.51.100.50")),
    ]);
    const first = new Guard(config, { fromStart: true });
    const failures: string[] = [];
    first.bus.on(failures, "failure", ({ failure }) => failures.push(failure.address));
    await first.start();
    await waitFor(() => failures.filter((a) => a === "198.51.100.50").length === 2, 5000, "two failures");
    await first.stop();

    // one more while the guard is down: it must be read, and the first two not again
    writeJournal([entry("homeassistant", failLine("198.51.100.50"))]);
    const second = new Guard(config, { fromStart: true });
    const later: string[] = [];
    second.bus.on(later, "failure", ({ failure }) => later.push(failure.address));
    await second.start();
    await waitFor(() => second.bans.active.length === 1, 5000, "the ban after the restart");
    expect(later.filter((a) => a === "198.51.100.50")).toEqual(["198.51.100.50"]);
    await second.stop();
  });

  it("a first run anchors at the last Home Assistant entry: a restart before anything new still reads what came meanwhile, identical messages twice", async () => {
    const config = validateGuardConfig(
      {
        source: "journal",
        journalArgs: ["--file", journalFile],
        journalMatch: ["SYSLOG_IDENTIFIER=homeassistant"],
        store: join(dir, "anchor.sqlite"),
        maxRetry: 100,
        backends: ["dry-run"],
      },
      "test",
    );
    // before the guard ever ran: not counted
    writeJournal([entry("homeassistant", failLine("198.51.100.70")), entry("sshd", "Accepted publickey for root")]);
    const seen: string[] = [];
    const first = new Guard(config);
    first.bus.on(seen, "failure", ({ failure }) => seen.push(failure.address));
    await first.start();
    await first.stop();
    // written while no guard runs, after a first run that read nothing: the same message twice
    const same = failLine("198.51.100.71", "/auth/login_flow/x", "ua", "2026-11-23 17:31:00.000");
    writeJournal([entry("homeassistant", same), entry("homeassistant", same), entry("sshd", "Accepted publickey")]);
    const second = new Guard(config);
    second.bus.on(seen, "failure", ({ failure }) => seen.push(failure.address));
    await second.start();
    await waitFor(() => seen.length >= 2, 5000, "the two entries written while the guard was stopped");
    writeJournal([entry("homeassistant", failLine("198.51.100.72"))]);
    await waitFor(() => seen.length >= 3, 5000, "a marker entry after them");
    await second.stop();
    expect(seen).toEqual(["198.51.100.71", "198.51.100.71", "198.51.100.72"]);
  });
});
