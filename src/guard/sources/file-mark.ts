import { createHash, randomBytes } from "node:crypto";
import type { FileHandle } from "node:fs/promises";
import { MAX_LINE_LENGTH } from "../parser.js";

/**
 * How the file source knows a file is still the one it was reading. Position alone cannot tell: after
 * `: > home-assistant.log`, logrotate's copytruncate, or Home Assistant's start-up rollover when the new file
 * gets the old inode back, the same inode and offsets hold new lines. What does tell is content: the bytes just
 * before the position (the fingerprint). A file whose bytes before the position are no longer the ones read
 * there holds a new generation of the log, read from its start under a new generation id.
 */

/** Bytes before the position that identify a generation (a dozen Home Assistant lines, each with its ms time). */
export const FINGERPRINT_BYTES = 4096;
/** Bytes kept of what was read: enough for the fingerprint before the start of a line being assembled. */
export const TAIL_BYTES = FINGERPRINT_BYTES + MAX_LINE_LENGTH + 1024;

/** What a restart needs: where the last whole line ended, in which generation, and the bytes before it. */
export interface FileMark {
  generation: string;
  offset: number;
  /** sha256 (base64url) of the min(offset, FINGERPRINT_BYTES) bytes before `offset`; null: not known. */
  fingerprint: string | null;
  inode: number;
  /**
   * The first line's hash of `<log>.1` when this generation began (null: there was none; absent: not known):
   * a `.1` with another first line later is a generation the source never saw.
   */
  rotated?: string | null;
}

export const newGeneration = () => randomBytes(6).toString("base64url");

export const fingerprintOf = (bytes: Buffer) => createHash("sha256").update(bytes).digest("base64url");

export function formatMark(mark: FileMark): string {
  return JSON.stringify({ v: 2, ...mark });
}

/**
 * A saved mark; the first release saved `inode:offset`, which is resumed (same inode, offset within the file)
 * without a fingerprint, under a new generation.
 */
export function parseMark(text: string | null): FileMark | null {
  if (!text) return null;
  const legacy = /^(\d+):(\d+)$/.exec(text);
  if (legacy) return { generation: "", offset: Number(legacy[2]), fingerprint: null, inode: Number(legacy[1]) };
  try {
    const value = JSON.parse(text) as Partial<FileMark> & { v?: number };
    if (
      value.v === 2 &&
      typeof value.generation === "string" &&
      typeof value.offset === "number" &&
      Number.isSafeInteger(value.offset) &&
      value.offset >= 0 &&
      typeof value.fingerprint === "string" &&
      typeof value.inode === "number"
    ) {
      return {
        generation: value.generation,
        offset: value.offset,
        fingerprint: value.fingerprint,
        inode: value.inode,
        ...(value.rotated === null || typeof value.rotated === "string" ? { rotated: value.rotated } : {}),
      };
    }
  } catch {
    // an unreadable mark is no mark: the file is read as a new generation
  }
  return null;
}

/** Reads up to `length` bytes at `position` (fewer at the end of the file). */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/** The last `n` bytes before `end` of what was read (`tail` ends at `tailEnd`), or null if not kept. */
export function bytesBefore(tail: Buffer, tailEnd: number, end: number, n: number): Buffer | null {
  const start = tail.length - (tailEnd - end) - n;
  if (start < 0 || end > tailEnd) return null;
  return tail.subarray(start, start + n);
}

/** `tail` followed by `chunk`, keeping the last TAIL_BYTES (a copy: the caller reuses its read buffer). */
export function appendTail(tail: Buffer, chunk: Buffer): Buffer {
  if (chunk.length >= TAIL_BYTES) return Buffer.from(chunk.subarray(chunk.length - TAIL_BYTES));
  const keep = Math.min(tail.length, TAIL_BYTES - chunk.length);
  return Buffer.concat([tail.subarray(tail.length - keep), chunk]);
}

/** A file's first line (up to FINGERPRINT_BYTES), hashed: Home Assistant starts every log with a timed line. */
export async function firstLineHash(handle: FileHandle): Promise<string> {
  const head = await readAt(handle, 0, FINGERPRINT_BYTES);
  const newline = head.indexOf(10);
  return fingerprintOf(newline < 0 ? head : head.subarray(0, newline));
}
