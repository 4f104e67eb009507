import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { createGunzip } from "node:zlib";
import yauzl from "yauzl";
import type { ArchiveListing, ContentType } from "../../model/config-facts.js";
import { isTarHeader } from "./content-type.js";
import { code } from "./fs-helpers.js";

/** Bounds of one look inside an archive: an archive of any size costs at most these. */
export const ARCHIVE_LIMITS = {
  /** Entry names listed per archive. */
  maxEntries: 1000,
  /** Characters kept of each entry name (a hostile archive's names can be 64 KiB each). */
  maxNameLength: 200,
  /** Compressed bytes of a `.tar.gz` decompressed to find its tar headers. */
  maxGzipInputBytes: 4 * 1024 * 1024,
  /** Decompressed bytes of a `.tar.gz` kept for its headers. */
  maxGzipOutputBytes: 16 * 1024 * 1024,
} as const;

/**
 * Lists what an archive holds without extracting it: the zip central directory (read entry by entry from the
 * end of the file), the headers of a tar (read at their offsets, skipping the contents), or the first megabytes
 * of a gzip stream (a `.tar.gz` made by a person or an add-on; a single gzipped file names itself in its header).
 * Never throws: a damaged or hostile archive yields an incomplete listing with the reason.
 */
export async function listArchive(full: string, type: ContentType): Promise<ArchiveListing> {
  try {
    if (type === "zip") return await listZip(full);
    if (type === "tar") return listTarFile(full);
    if (type === "gzip") return await listGzip(full);
  } catch (error) {
    return { format: "unsupported", entries: [], complete: false, problem: `could not be listed: ${code(error)}` };
  }
  return { format: "unsupported", entries: [], complete: false, problem: `${type} archives are not listed` };
}

function listZip(full: string): Promise<ArchiveListing> {
  return new Promise((resolve) => {
    const entries: string[] = [];
    // names are checked by us, not rejected by yauzl: a hostile name is still evidence of what the zip holds
    yauzl.open(
      full,
      { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: false },
      (error, zip) => {
        if (error || zip === undefined) {
          resolve({
            format: "zip",
            entries,
            complete: false,
            problem: `not a readable zip (${reason(error)})`,
          });
          return;
        }
        let settled = false;
        const finish = (listing: ArchiveListing) => {
          if (settled) return;
          settled = true;
          zip.close();
          resolve(listing);
        };
        zip.on("entry", (entry: yauzl.Entry) => {
          entries.push(entry.fileName);
          if (entries.length >= ARCHIVE_LIMITS.maxEntries) {
            finish({
              format: "zip",
              entries,
              complete: false,
              problem: `more than ${ARCHIVE_LIMITS.maxEntries} entries`,
            });
          } else {
            zip.readEntry();
          }
        });
        zip.on("end", () => finish({ format: "zip", entries, complete: true }));
        zip.on("error", (e: Error) =>
          finish({ format: "zip", entries, complete: false, problem: `damaged (${reason(e)})` }),
        );
        zip.readEntry();
      },
    );
  });
}

/** Reads the headers of an uncompressed tar at their offsets: a 3 GB backup costs a few kilobytes of reads. */
function listTarFile(full: string): ArchiveListing {
  const fd = openSync(full, "r");
  try {
    const read = (offset: number, length: number): Buffer => {
      const buffer = Buffer.alloc(length);
      const n = readSync(fd, buffer, 0, length, offset);
      return buffer.subarray(0, n);
    };
    return walkTar(read, "tar");
  } finally {
    closeSync(fd);
  }
}

/**
 * Walks tar headers through `read(offset, length)`: ustar names with their prefix, GNU long names (`L`) and
 * pax `path=` records. Stops at the end-of-archive block, at the entry limit, or where the data runs out.
 */
export function walkTar(read: (offset: number, length: number) => Buffer, format: "tar" | "tar.gz"): ArchiveListing {
  const entries: string[] = [];
  let offset = 0;
  let longName: string | undefined;
  for (;;) {
    if (entries.length >= ARCHIVE_LIMITS.maxEntries) {
      return { format, entries, complete: false, problem: `more than ${ARCHIVE_LIMITS.maxEntries} entries` };
    }
    const header = read(offset, 512);
    if (header.length < 512) {
      const problem = format === "tar.gz" ? "only the first megabytes were decompressed" : "truncated";
      return { format, entries, complete: false, problem };
    }
    if (header.every((b) => b === 0)) return { format, entries, complete: true };
    if (!isTarHeader(header) && !hasValidChecksum(header)) {
      return { format, entries, complete: false, problem: `damaged header at byte ${offset}` };
    }
    const size = parseOctal(header.subarray(124, 136));
    const kind = String.fromCharCode(header[156] ?? 0);
    const dataLength = Math.ceil(size / 512) * 512;
    if (kind === "L" || kind === "x") {
      const data = read(offset + 512, Math.min(size, 64 * 1024)).toString("utf8");
      longName = kind === "L" ? data.replace(/\0.*$/s, "") : /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data)?.[1];
    } else if (kind !== "g") {
      entries.push((longName ?? ustarName(header)).slice(0, ARCHIVE_LIMITS.maxNameLength));
      longName = undefined;
    }
    offset += 512 + dataLength;
  }
}

/**
 * A reader's error in words, without what follows a colon: yauzl quotes the offending entry name there
 * ("invalid characters in fileName: …"), and names in a hostile archive are attacker-written text.
 */
function reason(error: Error | null | undefined): string {
  return (error?.message ?? "unknown error").split(":")[0]?.slice(0, 120) ?? "unknown error";
}

function ustarName(header: Buffer): string {
  const name = cString(header.subarray(0, 100));
  const prefix = isTarHeader(header) ? cString(header.subarray(345, 500)) : "";
  return prefix === "" ? name : `${prefix}/${name}`;
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.toString("utf8", 0, end < 0 ? bytes.length : end);
}

function parseOctal(field: Buffer): number {
  // GNU base-256 for sizes over 8 GB: high bit of the first byte set
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const text = cString(field).trim();
  return text === "" ? 0 : Number.parseInt(text, 8) || 0;
}

/** Old (v7) tars have no magic: a header whose checksum adds up is one. */
function hasValidChecksum(header: Buffer): boolean {
  const stored = parseOctal(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] as number);
  return stored === sum;
}

/**
 * Decompresses the first megabytes of a gzip stream: a tar inside is walked as far as those go; otherwise the
 * file is one compressed file, named by the gzip header's FNAME field when the compressor kept it.
 */
async function listGzip(full: string): Promise<ArchiveListing> {
  const { output, originalName, problem } = await gunzipPrefix(full);
  if (isTarHeader(output)) {
    const listing = walkTar((offset, length) => output.subarray(offset, offset + length), "tar.gz");
    return problem !== undefined && listing.entries.length === 0 ? { ...listing, problem } : listing;
  }
  if (problem !== undefined && output.length === 0) return { format: "gzip", entries: [], complete: false, problem };
  return {
    format: "gzip",
    entries: originalName === undefined ? [] : [originalName],
    complete: originalName !== undefined,
  };
}

async function gunzipPrefix(full: string): Promise<{ output: Buffer; originalName?: string; problem?: string }> {
  const chunks: Buffer[] = [];
  let total = 0;
  let originalName: string | undefined;
  let problem: string | undefined;
  await new Promise<void>((resolve) => {
    const input = createReadStream(full, { start: 0, end: ARCHIVE_LIMITS.maxGzipInputBytes - 1 });
    const gunzip = createGunzip();
    let first = true;
    input.on("data", (chunk) => {
      if (first && Buffer.isBuffer(chunk)) originalName = gzipOriginalName(chunk);
      first = false;
    });
    const done = () => {
      input.destroy();
      gunzip.destroy();
      resolve();
    };
    gunzip.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= ARCHIVE_LIMITS.maxGzipOutputBytes) done();
    });
    gunzip.on("end", done);
    // a stream cut at the input bound ends "unexpectedly": what was decompressed until then is still good
    gunzip.on("error", (error) => {
      if (total === 0) problem = `not a readable gzip stream (${code(error)})`;
      done();
    });
    input.on("error", (error) => {
      problem = `cannot read (${code(error)})`;
      done();
    });
    input.pipe(gunzip);
  });
  return {
    output: Buffer.concat(chunks, total),
    ...(originalName === undefined ? {} : { originalName }),
    ...(problem === undefined ? {} : { problem }),
  };
}

/** RFC 1952: FLG bit 3 (FNAME) means a zero-terminated original file name follows the (optional) extra field. */
function gzipOriginalName(head: Buffer): string | undefined {
  const flags = head[3] ?? 0;
  if ((flags & 0x08) === 0) return undefined;
  let offset = 10;
  if ((flags & 0x04) !== 0) offset += 2 + (head.readUInt16LE(offset) || 0);
  const end = head.indexOf(0, offset);
  if (end < 0 || end - offset > 1024) return undefined;
  return head.toString("latin1", offset, end);
}
