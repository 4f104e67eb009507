import { type ChildProcess, execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import type { GuardBus, GuardPart } from "../bus.js";
import { LineSplitter } from "../line-splitter.js";
import type { SourceBookmark } from "./bookmark.js";

export interface JournalSourceOptions {
  /** journalctl matches, e.g. `SYSLOG_IDENTIFIER=homeassistant` (HA OS) or `_SYSTEMD_UNIT=home-assistant.service`. */
  matches: string[];
  /** Extra arguments: `--directory DIR`, `--file FILE` (tests; an add-on's read-only journal). */
  extraArgs?: string[];
  /** Read the whole journal instead of starting at its end (when there is no saved cursor). */
  fromStart?: boolean;
  journalctl?: string;
  /** The cursor a previous run stopped at (read in start()), and where this one is. */
  bookmark?: SourceBookmark;
}

/** journalctl's JSON lines can carry a long MESSAGE; they are cut (and then skipped) beyond this. */
const MAX_JSON_LINE = 256 * 1024;
const RESTART_DELAYS_MS = [500, 1000, 2000, 5000, 10_000];

/** A journal entry's MESSAGE: a string, or an array of bytes when it is not valid UTF-8 or holds control bytes. */
export function journalMessage(entry: Record<string, unknown>): string | null {
  const message = entry.MESSAGE;
  if (typeof message === "string") return message;
  if (Array.isArray(message) && message.every((b) => typeof b === "number")) {
    return Buffer.from(message as number[]).toString("utf8");
  }
  return null;
}

/**
 * Home Assistant's journal (HA OS 2025.11+ writes no home-assistant.log; Core under systemd logs as
 * `hass[pid]:`), followed with `journalctl --follow --output=json`. A line's identity is its entry's cursor
 * (unique per entry, so two identical messages in a row are two lines) and its index in the MESSAGE. The
 * cursor is saved after the entry's lines were handled, so a kill -9 in between re-reads the entry and the
 * store recognises it. The first run anchors at the last Home Assistant entry there is, so a restart before
 * any new entry still resumes where the guard started rather than at the journal's end then. When journalctl
 * dies it is restarted from the last cursor, with growing delays.
 *
 * Resuming uses `--cursor` and skips the entry carrying it, rather than `--after-cursor`: systemd 252's
 * journalctl (tried here with `--file` and a match) skips the first matching entry after a cursor whose own
 * entry does not match the filters, which would lose a line.
 */
export class JournalSource implements GuardPart {
  readonly name = "journal source";
  readonly #bus: GuardBus;
  readonly #options: JournalSourceOptions;
  #child: ChildProcess | null = null;
  #cursor: string | null = null;
  #readAll = false;
  #running = false;
  #restarts = 0;
  #restartTimer: NodeJS.Timeout | null = null;

  constructor(bus: GuardBus, options: JournalSourceOptions) {
    this.#bus = bus;
    this.#options = options;
  }

  get cursor(): string | null {
    return this.#cursor;
  }

  async start(): Promise<void> {
    this.#running = true;
    try {
      this.#cursor = this.#options.bookmark?.read() ?? null;
      if (this.#cursor === null && !this.#options.fromStart) {
        this.#cursor = await this.#lastEntryCursor(this.#options.matches);
        // a journal without a single entry is no journal (a container without one, a wrong --directory):
        // following it would watch nothing
        if (this.#cursor === null && (await this.#lastEntryCursor([])) === null) {
          throw new Error(
            "it finds no journal here (not one entry): give the log file (--log), or where the journal is (journalArgs: [--directory, DIR] in guard.yaml)",
          );
        }
        // no Home Assistant entry yet: whatever comes is new
        this.#readAll = this.#cursor === null;
        if (this.#cursor) this.#options.bookmark?.write(this.#cursor);
      } else this.#readAll = this.#cursor === null;
      await this.#spawn();
    } catch (error) {
      this.#running = false;
      throw new Error(`journalctl: ${(error as Error).message}`);
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    const child = this.#child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
    }
    this.#child = null;
  }

  /** The cursor of the last entry matching `matches` (all entries when empty), or null when there is none. */
  async #lastEntryCursor(matches: readonly string[]): Promise<string | null> {
    const args = ["--lines=1", "--output=json", "--no-pager", ...(this.#options.extraArgs ?? []), ...matches];
    const { stdout } = await promisify(execFile)(this.#options.journalctl ?? "journalctl", args, {
      timeout: 30_000,
      maxBuffer: 4 * MAX_JSON_LINE,
    }).catch((error: Error & { stderr?: string }) => {
      throw new Error(error.stderr?.trim() || error.message);
    });
    const last = stdout.trim().split("\n").at(-1);
    if (!last) return null;
    const cursor = (JSON.parse(last) as { __CURSOR?: unknown }).__CURSOR;
    return typeof cursor === "string" ? cursor : null;
  }

  #arguments(): string[] {
    const args = ["--follow", "--output=json", "--no-pager", ...(this.#options.extraArgs ?? [])];
    if (this.#cursor) args.push(`--cursor=${this.#cursor}`);
    else args.push(this.#readAll ? "--lines=all" : "--lines=0");
    return [...args, ...this.#options.matches];
  }

  /** Starts journalctl; resolves once it runs, rejects when it cannot be started at all. */
  #spawn(): Promise<void> {
    const child = spawn(this.#options.journalctl ?? "journalctl", this.#arguments(), {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#child = child;
    const resumedAt = this.#cursor;
    const splitter = new LineSplitter((line) => this.#entry(line, resumedAt), MAX_JSON_LINE);
    child.stdout?.on("data", (chunk: Buffer) => splitter.push(chunk));
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString("utf8");
    });
    const started = new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", reject);
    });
    child.on("error", (error) => {
      if (this.#running) this.#bus.emit("warning", { message: `journalctl: ${error.message}` });
    });
    child.on("exit", (code) => {
      if (!this.#running || this.#child !== child) return;
      const delay = RESTART_DELAYS_MS[Math.min(this.#restarts, RESTART_DELAYS_MS.length - 1)] ?? 10_000;
      this.#restarts++;
      this.#bus.emit("warning", {
        message: `journalctl exited (${code ?? "signal"})${stderr ? `: ${stderr.trim().slice(0, 300)}` : ""}; restarting in ${delay} ms`,
      });
      const lost = code !== 0 && /seek to cursor/i.test(stderr);
      this.#restartTimer = setTimeout(() => void this.#restart(lost), delay);
    });
    return started;
  }

  /**
   * Starts journalctl again from the last cursor. A cursor journalctl cannot seek to (a journal replaced, a
   * store from another machine) never will: then the source anchors at the last entry there is, and says so.
   */
  async #restart(cursorLost: boolean): Promise<void> {
    if (!this.#running) return;
    try {
      if (cursorLost) {
        this.#bus.emit("warning", {
          message:
            "journalctl cannot find the saved position in this journal: following from its last entry, so entries written meanwhile may be missed",
        });
        this.#cursor = await this.#lastEntryCursor(this.#options.matches);
        this.#readAll = this.#cursor === null;
        if (this.#cursor) this.#options.bookmark?.write(this.#cursor);
      }
      if (this.#running) await this.#spawn();
    } catch (error) {
      this.#bus.emit("warning", { message: `journalctl: ${(error as Error).message}` });
    }
  }

  #entry(line: string, resumedAt: string | null): void {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return; // a cut or broken line: skipped
    }
    if (entry === null || typeof entry !== "object") return;
    const record = entry as Record<string, unknown>;
    this.#restarts = 0;
    const cursor = typeof record.__CURSOR === "string" ? record.__CURSOR : undefined;
    // --cursor starts at the saved entry itself when it matches the filters: it was read already
    if (cursor !== undefined && cursor === resumedAt) return;
    const text = journalMessage(record);
    if (text !== null) {
      const micros = typeof record.__REALTIME_TIMESTAMP === "string" ? Number(record.__REALTIME_TIMESTAMP) : Number.NaN;
      const time = Number.isFinite(micros) ? new Date(Math.floor(micros / 1000)) : null;
      // a MESSAGE can hold several lines; each is parsed on its own, as in the file
      text.split("\n").forEach((part, index) => {
        this.#bus.emit("line", {
          text: part,
          source: "journal",
          time,
          ...(cursor ? { id: `${cursor}#${index}` } : {}),
        });
      });
    }
    if (cursor !== undefined) {
      this.#cursor = cursor;
      this.#options.bookmark?.write(cursor);
    }
  }
}
