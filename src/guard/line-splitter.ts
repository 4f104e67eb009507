import { MAX_LINE_LENGTH } from "./parser.js";

/**
 * Turns a byte stream into lines with bounded memory, telling each line's byte offset (the file source's
 * line identity is its generation and this offset, see sources/file-mark.ts). A line longer
 * than the limit (in bytes) is cut there and the rest of it, up to the next newline, is dropped, so an
 * attacker's 10 MB user agent costs nothing. Invalid UTF-8 becomes U+FFFD; NUL bytes pass through (the parser
 * rejects what they break).
 */
export class LineSplitter {
  readonly #onLine: (line: string, offset: number) => void;
  readonly #max: number;
  #pending: Buffer[] = [];
  #pendingLength = 0;
  #discarding = false;
  /** Byte offset of the line being assembled, and of the next byte to come. */
  #lineStart = 0;
  #offset = 0;

  constructor(onLine: (line: string, offset: number) => void, maxLineBytes = MAX_LINE_LENGTH) {
    this.#onLine = onLine;
    this.#max = maxLineBytes;
  }

  /** Offset where the last complete line ended: resuming there loses and repeats nothing. */
  get resumeOffset(): number {
    return this.#lineStart;
  }

  push(chunk: Buffer | string): void {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    let start = 0;
    for (;;) {
      const newline = buffer.indexOf(10, start);
      if (newline < 0) break;
      if (!this.#discarding) {
        if (this.#pendingLength === 0) {
          this.#onLine(buffer.toString("utf8", start, Math.min(newline, start + this.#max)), this.#lineStart);
        } else {
          const whole = Buffer.concat([...this.#pending, buffer.subarray(start, newline)]);
          this.#onLine(whole.toString("utf8", 0, Math.min(whole.length, this.#max)), this.#lineStart);
        }
      }
      this.#discarding = false;
      this.#pending = [];
      this.#pendingLength = 0;
      start = newline + 1;
      this.#lineStart = this.#offset + start;
    }
    if (start < buffer.length && !this.#discarding) {
      // copied: the caller may reuse its buffer
      this.#pending.push(Buffer.from(buffer.subarray(start)));
      this.#pendingLength += buffer.length - start;
      if (this.#pendingLength > this.#max) {
        const whole = Buffer.concat(this.#pending);
        this.#onLine(whole.toString("utf8", 0, this.#max), this.#lineStart);
        this.#pending = [];
        this.#pendingLength = 0;
        this.#discarding = true;
      }
    }
    this.#offset += buffer.length;
  }

  /** Emits a last line without a newline (end of a replayed file, a rotated file's tail). */
  flush(): void {
    if (this.#pendingLength > 0 && !this.#discarding) {
      const whole = Buffer.concat(this.#pending);
      this.#onLine(whole.toString("utf8", 0, Math.min(whole.length, this.#max)), this.#lineStart);
    }
    this.#pending = [];
    this.#pendingLength = 0;
    this.#discarding = false;
    this.#lineStart = this.#offset;
  }

  /** Forgets a partial line and starts counting at `offset` (a new or truncated file). */
  reset(offset = 0): void {
    this.#pending = [];
    this.#pendingLength = 0;
    this.#discarding = false;
    this.#lineStart = offset;
    this.#offset = offset;
  }
}
