import { createHash } from "node:crypto";
import type { GuardBus, GuardPart } from "../bus.js";
import { LineSplitter } from "../line-splitter.js";

export interface SupervisorSourceOptions {
  /** `http://supervisor` inside an add-on. */
  url: string;
  /** The add-on's SUPERVISOR_TOKEN (never printed). */
  token: string;
  /** Hash of the last line read (from the store), to resume without re-reading. */
  lastLine?: string | null;
  onLine?: (hash: string) => void;
  reconnectDelaysMs?: number[];
}

/** On reconnect, ask for this many recent entries and skip up to the last one already read. */
const RESUME_ENTRIES = 500;
const DEFAULT_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000];

const hashLine = (text: string) => createHash("sha1").update(text).digest("base64url");

/**
 * Home Assistant OS 2025.11+ has no home-assistant.log; inside an add-on the Supervisor streams Core's log at
 * `/core/logs/follow` (text with ANSI colours, which the parser strips). When the stream breaks it reconnects
 * with `Range: entries=:-N:` and skips every line up to the last one it had read, so nothing is read twice.
 */
export class SupervisorSource implements GuardPart {
  readonly name = "supervisor source";
  readonly #bus: GuardBus;
  readonly #options: SupervisorSourceOptions;
  #abort: AbortController | null = null;
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  #lastLine: string | null;
  /** Connections made (tests watch reconnects). */
  connections = 0;

  constructor(bus: GuardBus, options: SupervisorSourceOptions) {
    this.#bus = bus;
    this.#options = options;
    this.#lastLine = options.lastLine ?? null;
  }

  async start(): Promise<void> {
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#abort?.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const delays = this.#options.reconnectDelaysMs ?? DEFAULT_DELAYS_MS;
    let failures = 0;
    while (this.#running) {
      const receivedAny = await this.#follow().catch((error: Error) => {
        if (this.#running) this.#bus.emit("warning", { message: `Supervisor log stream: ${error.message}` });
        return false;
      });
      if (!this.#running) return;
      failures = receivedAny ? 0 : failures + 1;
      const delay = delays[Math.min(failures, delays.length - 1)] ?? 1000;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** One connection; resolves when the stream ends, true if it carried any new line. */
  async #follow(): Promise<boolean> {
    this.#abort = new AbortController();
    const headers: Record<string, string> = { Authorization: `Bearer ${this.#options.token}`, Accept: "text/plain" };
    let skipping = this.#lastLine !== null;
    if (skipping) headers.Range = `entries=:-${RESUME_ENTRIES}:`;
    // only the connection has a time bound: the stream itself is meant to stay open
    const connectTimer = setTimeout(() => this.#abort?.abort(), 15_000);
    const response = await fetch(`${this.#options.url.replace(/\/+$/, "")}/core/logs/follow`, {
      headers,
      signal: this.#abort.signal,
    }).finally(() => clearTimeout(connectTimer));
    this.connections++;
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`HTTP ${response.status}`);
    }
    const seen: string[] = [];
    let fresh = false;
    const splitter = new LineSplitter((text) => {
      const hash = hashLine(text);
      if (skipping) {
        seen.push(hash);
        if (hash === this.#lastLine) {
          skipping = false;
          seen.length = 0;
        }
        return;
      }
      fresh = true;
      this.#lastLine = hash;
      this.#options.onLine?.(hash);
      this.#bus.emit("line", { text, source: "supervisor", time: null, id: `supervisor:${hash}` });
    });
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        splitter.push(Buffer.from(value));
        // the last line read is not among the recent entries: there was a gap; read on from here
        if (skipping && seen.length >= RESUME_ENTRIES) skipping = false;
      }
    } catch (error) {
      if (this.#running) throw error;
    }
    return fresh;
  }
}
