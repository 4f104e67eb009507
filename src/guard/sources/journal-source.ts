import { type ChildProcess, spawn } from "node:child_process";
import type { GuardBus, GuardPart } from "../bus.js";
import { LineSplitter } from "../line-splitter.js";

export interface JournalSourceOptions {
  /** journalctl matches, e.g. `SYSLOG_IDENTIFIER=homeassistant` (HA OS) or `_SYSTEMD_UNIT=home-assistant.service`. */
  matches: string[];
  /** Extra arguments: `--directory DIR`, `--file FILE` (tests; an add-on's read-only journal). */
  extraArgs?: string[];
  /** Resume after this cursor (from the store) instead of starting at the end. */
  afterCursor?: string | null;
  /** Read the whole journal instead of starting at its end. */
  fromStart?: boolean;
  journalctl?: string;
  /** Told each new cursor, so a restart resumes without re-reading. */
  onCursor?: (cursor: string) => void;
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
 * `hass[pid]:`), followed with `journalctl --follow --output=json`. When journalctl dies it is restarted
 * after the last cursor, with growing delays.
 */
export class JournalSource implements GuardPart {
  readonly name = "journal source";
  readonly #bus: GuardBus;
  readonly #options: JournalSourceOptions;
  #child: ChildProcess | null = null;
  #cursor: string | null;
  #running = false;
  #restarts = 0;
  #restartTimer: NodeJS.Timeout | null = null;

  constructor(bus: GuardBus, options: JournalSourceOptions) {
    this.#bus = bus;
    this.#options = options;
    this.#cursor = options.afterCursor ?? null;
  }

  get cursor(): string | null {
    return this.#cursor;
  }

  async start(): Promise<void> {
    this.#running = true;
    this.#spawn();
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

  #arguments(): string[] {
    const args = ["--follow", "--output=json", "--no-pager", ...(this.#options.extraArgs ?? [])];
    if (this.#cursor) args.push(`--after-cursor=${this.#cursor}`);
    else args.push(this.#options.fromStart ? "--lines=all" : "--lines=0");
    return [...args, ...this.#options.matches];
  }

  #spawn(): void {
    const child = spawn(this.#options.journalctl ?? "journalctl", this.#arguments(), {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.#child = child;
    const splitter = new LineSplitter((line) => this.#entry(line), MAX_JSON_LINE);
    child.stdout?.on("data", (chunk: Buffer) => splitter.push(chunk));
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString("utf8");
    });
    child.on("error", (error) => this.#bus.emit("warning", { message: `journalctl: ${error.message}` }));
    child.on("exit", (code) => {
      if (!this.#running) return;
      const delay = RESTART_DELAYS_MS[Math.min(this.#restarts, RESTART_DELAYS_MS.length - 1)] ?? 10_000;
      this.#restarts++;
      this.#bus.emit("warning", {
        message: `journalctl exited (${code ?? "signal"})${stderr ? `: ${stderr.trim().slice(0, 300)}` : ""}; restarting in ${delay} ms`,
      });
      this.#restartTimer = setTimeout(() => {
        if (this.#running) this.#spawn();
      }, delay);
    });
  }

  #entry(line: string): void {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return; // a cut or broken line: skipped
    }
    if (entry === null || typeof entry !== "object") return;
    const record = entry as Record<string, unknown>;
    this.#restarts = 0;
    if (typeof record.__CURSOR === "string") {
      this.#cursor = record.__CURSOR;
      this.#options.onCursor?.(record.__CURSOR);
    }
    const text = journalMessage(record);
    if (text === null) return;
    const micros = typeof record.__REALTIME_TIMESTAMP === "string" ? Number(record.__REALTIME_TIMESTAMP) : Number.NaN;
    const time = Number.isFinite(micros) ? new Date(Math.floor(micros / 1000)) : null;
    // a MESSAGE can hold several lines; each is parsed on its own, as in the file
    const cursor = typeof record.__CURSOR === "string" ? record.__CURSOR : undefined;
    text.split("\n").forEach((part, index) => {
      this.#bus.emit("line", { text: part, source: "journal", time, ...(cursor ? { id: `${cursor}#${index}` } : {}) });
    });
  }
}
