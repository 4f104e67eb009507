import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for the Supervisor's Core log API, shaped from its source (supervisor/api/host.py
 * `advanced_logs_handler` and supervisor/utils/systemd_journal.py, commit 00c94557; systemd-journal-gatewayd's
 * `request_parse_range_skip_and_n_entries`):
 * - `GET /core/logs` answers once, `/core/logs/follow` keeps streaming new entries;
 * - each entry is its MESSAGE (with ANSI colours) and "\n"; a MESSAGE may hold newlines itself;
 * - `Range: entries=<cursor>[[:<skip>]:<count>]` is gatewayd's: the count is required (`entries=:-500:` is a
 *   400), a cursor with skip 0 starts at the cursor's entry, no cursor with a negative skip counts back from
 *   the end so that `entries=:-(n-1):n` is the last n entries, and a cursor no longer in the journal starts at
 *   the oldest entry there is;
 * - `X-First-Cursor` carries the first entry's cursor, and headers go out with the first entry (an empty
 *   one-shot answer is an empty 200 without it).
 */
export interface StandInRequest {
  path: string;
  range: string | undefined;
  authorization: string | undefined;
}

export class SupervisorStandIn {
  readonly requests: StandInRequest[] = [];
  readonly #entries: { seq: number; message: string }[] = [];
  readonly #followers = new Set<{ response: ServerResponse; next: number; started: boolean }>();
  #seq = 0;
  #server: Server | null = null;
  url = "";

  constructor(readonly token = "supervisor-token") {}

  async start(): Promise<void> {
    this.#server = createServer((request, response) => this.#handle(request, response));
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.breakStreams();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  /** Follow streams open now. */
  get openStreams(): number {
    return this.#followers.size;
  }

  /** Appends one journal entry (its MESSAGE may hold newlines) and streams it to every follower. */
  append(message: string): void {
    this.#seq++;
    this.#entries.push({ seq: this.#seq, message });
    for (const follower of this.#followers) this.#flush(follower);
  }

  /** Drops the oldest entries, as a journal vacuum does (only while no stream is open). */
  vacuum(keep: number): void {
    this.#entries.splice(0, Math.max(0, this.#entries.length - keep));
  }

  breakStreams(): void {
    for (const follower of this.#followers) follower.response.destroy();
    this.#followers.clear();
  }

  #cursor(seq: number): string {
    return `s=standin;i=${seq.toString(16)};b=0123456789abcdef`;
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    this.requests.push({ path, range: request.headers.range, authorization: request.headers.authorization });
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      response.writeHead(401).end("401: Unauthorized");
      return;
    }
    if (path !== "/core/logs" && path !== "/core/logs/follow") {
      response.writeHead(404).end();
      return;
    }
    const range = this.#range(request.headers.range);
    if (range === null) {
      response.writeHead(400).end("Failed to parse Range header");
      return;
    }
    const follower = { response, next: range.start, started: false };
    if (path === "/core/logs") {
      const end = Math.min(this.#entries.length, range.start + range.count);
      this.#write(follower, end);
      response.end();
      return;
    }
    this.#followers.add(follower);
    response.on("close", () => this.#followers.delete(follower));
    this.#flush(follower);
  }

  /** Index of the first entry to send and how many, or null when gatewayd would refuse the header. */
  #range(header: string | undefined): { start: number; count: number } | null {
    // the Supervisor's default without a Range: the last 100 entries, then follow
    const text = header ?? "entries=:-99:18446744073709551615";
    const match = /^entries=([^:]*)(?::(-?\d+))?:(\d+)$/.exec(text);
    if (!match || BigInt(match[3] ?? "0") <= 0n) return null;
    const cursor = match[1] ?? "";
    const skip = Number(match[2] ?? "0");
    const count = Number(
      BigInt(match[3] ?? "0") > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : match[3],
    );
    let start: number;
    if (cursor === "") start = skip < 0 ? this.#entries.length - 1 + skip : skip;
    else {
      const seq = Number.parseInt(/;i=([0-9a-f]+);/.exec(cursor)?.[1] ?? "0", 16);
      const at = this.#entries.findIndex((entry) => entry.seq >= seq);
      start = (at < 0 ? this.#entries.length : at) + skip;
    }
    return { start: Math.max(0, start), count };
  }

  #flush(follower: { response: ServerResponse; next: number; started: boolean }): void {
    this.#write(follower, this.#entries.length);
  }

  #write(follower: { response: ServerResponse; next: number; started: boolean }, end: number): void {
    for (; follower.next < end; follower.next++) {
      const entry = this.#entries[follower.next];
      if (!entry) break;
      if (!follower.started) {
        follower.started = true;
        follower.response.writeHead(200, {
          "Content-Type": "text/plain",
          "X-First-Cursor": this.#cursor(entry.seq),
          "X-Accel-Buffering": "no",
        });
      }
      follower.response.write(`\x1b[33m${entry.message}\x1b[0m\n`);
    }
    if (!follower.started && follower.response.req.url?.startsWith("/core/logs/follow") === false) {
      follower.response.writeHead(200, { "Content-Type": "text/plain" });
    }
  }
}
