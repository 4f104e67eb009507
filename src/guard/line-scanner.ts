import { MAX_LINE_LENGTH } from "./parser.js";

/**
 * The replay's fast path: counts lines and decodes only those that contain one of the markers (searched in
 * the raw bytes), so the 95% of a log that is about something else never becomes a string. Same line
 * semantics as LineSplitter (a last line without a newline counts; long lines are cut at MAX_LINE_LENGTH),
 * same bounded memory (an endless line is cut and the rest of it skipped).
 */
export class MarkerLineScanner {
  readonly #markers: Buffer[];
  readonly #onLine: (line: string) => void;
  #carry: Buffer = Buffer.alloc(0);
  #discarding = false;
  /** Lines seen so far (whether decoded or not). */
  lines = 0;

  constructor(markers: string[], onLine: (line: string) => void) {
    this.#markers = markers.map((marker) => Buffer.from(marker, "utf8"));
    this.#onLine = onLine;
  }

  push(chunk: Buffer): void {
    let data = chunk;
    if (this.#discarding) {
      const newline = data.indexOf(10);
      if (newline < 0) return;
      this.#discarding = false;
      this.lines++;
      data = data.subarray(newline + 1);
    }
    if (this.#carry.length > 0) {
      // finish the carried line on its own instead of copying the whole chunk behind it
      const newline = data.indexOf(10);
      if (newline < 0) {
        this.#keep(Buffer.concat([this.#carry, data]));
        return;
      }
      const first = Buffer.concat([this.#carry, data.subarray(0, newline + 1)]);
      this.#carry = Buffer.alloc(0);
      this.#scan(first, first.length);
      data = data.subarray(newline + 1);
    }
    const lastNewline = data.lastIndexOf(10);
    if (lastNewline < 0) {
      this.#keep(data);
      return;
    }
    this.#scan(data, lastNewline + 1);
    this.#keep(data.subarray(lastNewline + 1));
  }

  /** The last line, if it has no newline. */
  flush(): void {
    if (this.#carry.length > 0) {
      const line = Buffer.concat([this.#carry, Buffer.from("\n")]);
      this.#scan(line, line.length);
    } else if (this.#discarding) {
      this.lines++;
    }
    this.#carry = Buffer.alloc(0);
    this.#discarding = false;
  }

  #keep(rest: Buffer): void {
    if (rest.length > MAX_LINE_LENGTH) {
      // an overlong unfinished line: keep its start (it may still be a candidate), drop the rest of it
      this.#carry = Buffer.from(rest.subarray(0, MAX_LINE_LENGTH));
      this.#scan(Buffer.concat([this.#carry, Buffer.from("\n")]), MAX_LINE_LENGTH + 1);
      this.#carry = Buffer.alloc(0);
      this.#discarding = true;
      this.lines--; // counted when its newline arrives
      return;
    }
    this.#carry = rest.length > 0 ? Buffer.from(rest) : Buffer.alloc(0);
  }

  /** Lines in data[0, end) (end just after a newline). */
  #scan(data: Buffer, end: number): void {
    for (let at = data.indexOf(10); at >= 0 && at < end; at = data.indexOf(10, at + 1)) this.lines++;
    const starts: number[] = [];
    for (const marker of this.#markers) {
      let from = 0;
      for (;;) {
        const hit = data.indexOf(marker, from);
        if (hit < 0 || hit >= end) break;
        const lineStart = hit === 0 ? 0 : data.lastIndexOf(10, hit - 1) + 1;
        starts.push(lineStart);
        const lineEnd = data.indexOf(10, hit);
        from = lineEnd < 0 ? end : lineEnd + 1;
      }
    }
    if (starts.length > 1) starts.sort((a, b) => a - b);
    let previous = -1;
    for (const start of starts) {
      if (start === previous) continue;
      previous = start;
      const lineEnd = data.indexOf(10, start);
      const stop = Math.min(lineEnd < 0 ? end : lineEnd, start + MAX_LINE_LENGTH);
      this.#onLine(data.toString("utf8", start, stop));
    }
  }
}
