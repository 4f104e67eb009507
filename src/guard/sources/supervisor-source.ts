import type { GuardBus, GuardPart } from "../bus.js";
import { LineSplitter } from "../line-splitter.js";
import type { SourceBookmark } from "./bookmark.js";
import {
  advance,
  anchorAt,
  chainStart,
  formatSupervisorMark,
  nextChain,
  parseSupervisorMark,
  type SupervisorMark,
} from "./supervisor-mark.js";

export interface SupervisorSourceOptions {
  /** `http://supervisor` inside an add-on. */
  url: string;
  /** The add-on's SUPERVISOR_TOKEN (never printed). */
  token: string;
  /** Where a previous run stopped (read in start()), and where this one is. */
  bookmark?: SourceBookmark;
  reconnectDelaysMs?: number[];
}

const DEFAULT_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000];
/**
 * "All the rest" for gatewayd's Range (supervisor/host/logs.py SYSTEMD_JOURNAL_GATEWAYD_LINES_MAX). The count
 * is required: gatewayd's `request_parse_range_skip_and_n_entries` refuses `entries=:-500:`, which the first
 * release sent on every reconnect.
 */
const LINES_MAX = "18446744073709551615";
/** The last entries, to anchor at the end on a first run: the Supervisor's own `entries=:-(n-1):n` form. */
const TAIL_RANGE = "entries=:-1:2";
const TAIL_MAX_BYTES = 1 << 20;

/** How the lines of a response are being matched against the mark before new ones are read. */
type Outcome = "new-lines" | "realign" | "nothing";

type Alignment =
  | { kind: "overlap"; index: number; chain: string }
  | { kind: "replay"; index: number; chain: string }
  | { kind: "live" };

/**
 * Home Assistant OS 2025.11+ has no home-assistant.log; inside an add-on the Supervisor streams Core's log at
 * `/core/logs/follow` (text with ANSI colours, which the parser strips). Resumes by journal cursor (see
 * supervisor-mark.ts): a reconnect asks for the stream from `lines - 16` entries after the anchor and checks
 * that its first 16 lines are the last 16 read (then anchors at this response's first entry); when they are
 * not (a message of several lines), it asks from the anchor itself and checks the whole chain. A stream that
 * matches neither no longer holds the place the guard stopped: that is said, and the source follows from the
 * end. Nothing is read twice and nothing skipped silently.
 */
export class SupervisorSource implements GuardPart {
  readonly name = "supervisor source";
  readonly #bus: GuardBus;
  readonly #options: SupervisorSourceOptions;
  #abort: AbortController | null = null;
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  #mark: SupervisorMark | null = null;
  /** The overlap did not match: ask from the anchor next time. */
  #fromAnchor = false;
  /** Connections made (tests watch reconnects). */
  connections = 0;

  constructor(bus: GuardBus, options: SupervisorSourceOptions) {
    this.#bus = bus;
    this.#options = options;
  }

  async start(): Promise<void> {
    this.#running = true;
    this.#mark = parseSupervisorMark(this.#options.bookmark?.read() ?? null);
    // the first connection is made now: a wrong token or no Supervisor is this part's start error
    let first: { response: Response; overlap: boolean } | null = null;
    try {
      if (!this.#mark) await this.#anchorAtEnd();
      // an empty log sends the stream's headers only with its first entry: then the loop waits for it
      if (this.#mark) first = await this.#open();
    } catch (error) {
      this.#running = false;
      throw new Error(`the Supervisor's log API (${this.#options.url}): ${(error as Error).message}`);
    }
    this.#loop = this.#run(first);
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#abort?.abort();
    await this.#loop;
  }

  async #run(first: { response: Response; overlap: boolean } | null): Promise<void> {
    const delays = this.#options.reconnectDelaysMs ?? DEFAULT_DELAYS_MS;
    let failures = 0;
    /** Realigning reconnects at once, but not over and over (an API that ignores Range would loop). */
    let realigns = 0;
    let next = first;
    while (this.#running) {
      let outcome: Outcome = "nothing";
      try {
        next ??= await this.#open();
        outcome = await this.#follow(next.response, next.overlap);
      } catch (error) {
        if (this.#running) this.#bus.emit("warning", { message: `Supervisor log stream: ${(error as Error).message}` });
      }
      next = null;
      if (!this.#running) return;
      if (outcome === "realign" && realigns++ < 2) continue;
      if (outcome === "new-lines") realigns = 0;
      failures = outcome === "new-lines" ? 0 : failures + 1;
      const delay = delays[Math.min(failures, delays.length - 1)] ?? 1000;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  async #request(path: string, range: string | undefined): Promise<Response> {
    this.#abort = new AbortController();
    const headers: Record<string, string> = { Authorization: `Bearer ${this.#options.token}`, Accept: "text/plain" };
    if (range) headers.Range = range;
    // only the connection has a time bound: the stream itself is meant to stay open
    const connectTimer = setTimeout(() => this.#abort?.abort(), 15_000);
    const response = await fetch(`${this.#options.url.replace(/\/+$/, "")}${path}`, {
      headers,
      signal: this.#abort.signal,
    }).finally(() => clearTimeout(connectTimer));
    this.connections++;
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`HTTP ${response.status}`);
    }
    return response;
  }

  /** Connects where the mark says (anchoring at the end first when there is none). */
  async #open(): Promise<{ response: Response; overlap: boolean }> {
    if (!this.#mark) await this.#anchorAtEnd();
    const mark = this.#mark;
    const overlapLines = mark ? mark.recent.length - 1 : 0;
    const overlap = mark !== null && !this.#fromAnchor && mark.lines > overlapLines;
    this.#fromAnchor = false;
    const range = !mark ? undefined : `entries=${mark.anchor}:${overlap ? mark.lines - overlapLines : 0}:${LINES_MAX}`;
    return { response: await this.#request("/core/logs/follow", range), overlap };
  }

  /** First run (or a lost place): the last entries are taken as read, so only what comes after them is new. */
  async #anchorAtEnd(): Promise<void> {
    const response = await this.#request("/core/logs", TAIL_RANGE);
    const cursor = response.headers.get("x-first-cursor");
    const texts: string[] = [];
    const splitter = new LineSplitter((text) => texts.push(text));
    const reader = response.body?.getReader();
    let bytes = 0;
    while (reader && bytes < TAIL_MAX_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      splitter.push(Buffer.from(value));
    }
    await reader?.cancel().catch(() => undefined);
    splitter.flush();
    // an empty log has no cursor: then everything that comes is new
    this.#mark = cursor ? anchorAt(cursor, chainStart(), texts) : null;
    this.#save();
  }

  #save(): void {
    if (this.#mark) this.#options.bookmark?.write(formatSupervisorMark(this.#mark));
  }

  /** Reads one connection until it ends; says whether it carried new lines, or must be made again. */
  async #follow(response: Response, overlap: boolean): Promise<Outcome> {
    const firstCursor = response.headers.get("x-first-cursor");
    const mark = this.#mark;
    let alignment: Alignment = { kind: "live" };
    let outcome = "nothing" as Outcome;
    if (mark && overlap) alignment = { kind: "overlap", index: 0, chain: mark.recent[0] ?? mark.base };
    else if (mark) {
      if (firstCursor !== mark.anchor) return this.#lost(response);
      if (mark.lines > 0) alignment = { kind: "replay", index: 0, chain: mark.base };
    }
    const onLine = (text: string) => {
      if (outcome === "realign") return;
      const current = this.#mark;
      if (alignment.kind === "live" || !current) {
        // no mark yet (an empty log when the guard started): this response's first entry is the anchor
        this.#mark = advance(current ?? anchorAt(firstCursor ?? "", chainStart(), []), text);
        this.#save();
        outcome = "new-lines";
        this.#bus.emit("line", { text, source: "supervisor", time: null, id: `supervisor:${this.#mark.chain}` });
        return;
      }
      alignment.chain = nextChain(alignment.chain, text);
      alignment.index++;
      if (alignment.kind === "overlap") {
        if (alignment.chain !== current.recent[alignment.index]) {
          this.#fromAnchor = true;
          outcome = "realign";
        } else if (alignment.index === current.recent.length - 1) {
          // the response's first entry becomes the anchor, so the next reconnect skips only a few lines
          if (firstCursor) {
            this.#mark = { ...current, anchor: firstCursor, lines: alignment.index, base: current.recent[0] ?? "" };
            this.#save();
          }
          alignment = { kind: "live" };
        }
      } else if (alignment.index === current.lines) {
        if (alignment.chain === current.chain) alignment = { kind: "live" };
        else {
          this.#mark = null;
          outcome = "realign";
        }
      }
    };
    const splitter = new LineSplitter(onLine);
    const reader = response.body?.getReader();
    try {
      while (reader && outcome !== "realign") {
        const { done, value } = await reader.read();
        if (done) break;
        splitter.push(Buffer.from(value));
      }
    } catch (error) {
      if (this.#running) throw error;
    } finally {
      await reader?.cancel().catch(() => undefined);
    }
    if (outcome === "realign" && !this.#mark) this.#warnLost();
    return outcome;
  }

  async #lost(response: Response): Promise<"realign"> {
    await response.body?.cancel().catch(() => undefined);
    this.#mark = null;
    this.#warnLost();
    return "realign";
  }

  #warnLost(): void {
    this.#bus.emit("warning", {
      message:
        "the Supervisor's log no longer holds the place where the guard stopped reading (the journal was rotated or vacuumed): following from its end; failed logins written in between may be missed",
    });
  }
}
