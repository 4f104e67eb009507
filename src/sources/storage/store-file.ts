import { lstat, open } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { SourceError } from "../../model/errors.js";
import type { StorageFileInfo } from "../../model/storage-facts.js";

/**
 * `.storage` files are small JSON documents (the auth store of a large home is a few hundred kilobytes);
 * anything bigger than this is not what Home Assistant writes and is not parsed.
 */
export const MAX_STORE_BYTES = 32 * 1024 * 1024;

/** A store file's envelope, as Home Assistant's `helpers/storage.py` writes it. */
export interface StoreDocument {
  info: StorageFileInfo;
  version: number;
  minorVersion: number;
  data: unknown;
}

export type StoreReadResult =
  | { kind: "absent" }
  | { kind: "error"; info?: StorageFileInfo; error: SourceError }
  | { kind: "ok"; document: StoreDocument };

const NOT_A_STORE = "has no integer `version`: not a Home Assistant store file";

/**
 * The envelope `helpers/storage.py` writes around every store: `{version, minor_version, key, data}`.
 * `minor_version` came later (absent: 1); what `data` holds is each store's own schema.
 */
const envelopeSchema = z.object({
  version: z.number({ error: NOT_A_STORE }).int(NOT_A_STORE),
  minor_version: z.number().catch(1),
  key: z.unknown().optional(),
  data: z.unknown().optional(),
});

export function storageError(file: string, message: string): SourceError {
  return { source: "storage", file, message };
}

/**
 * Reads one `.storage/NAME` file: its mode, then its JSON envelope `{version, minor_version, key, data}`.
 * Never throws: a missing file is `absent`, anything else wrong is an `error` that names the file and the fault.
 * `versions` lists the major versions whose `data` shape the reader knows.
 */
export async function readStoreFile(
  storageDir: string,
  name: string,
  versions: readonly number[],
): Promise<StoreReadResult> {
  const relative = `.storage/${name}`;
  const full = path.join(storageDir, name);
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(full);
  } catch (error) {
    if (isErrno(error, "ENOENT")) return { kind: "absent" };
    return { kind: "error", error: storageError(relative, `cannot read: ${describe(error)}`) };
  }
  const info: StorageFileInfo = { name, path: relative, mode: stats.mode & 0o777, size: stats.size };
  if (stats.isSymbolicLink()) {
    // Home Assistant writes these files in place (atomic rename); a symlink here is not its doing.
    return {
      kind: "error",
      info,
      error: storageError(relative, "is a symbolic link, not a file Home Assistant wrote; not followed"),
    };
  }
  if (!stats.isFile()) return { kind: "error", info, error: storageError(relative, "is not a regular file") };
  if (stats.size > MAX_STORE_BYTES) {
    return {
      kind: "error",
      info,
      error: storageError(relative, `is ${stats.size} bytes, over the ${MAX_STORE_BYTES}-byte limit; not parsed`),
    };
  }

  let text: string;
  try {
    text = await readBounded(full, MAX_STORE_BYTES);
  } catch (error) {
    return { kind: "error", info, error: storageError(relative, `cannot read: ${describe(error)}`) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { kind: "error", info, error: storageError(relative, jsonFault(text, error)) };
  }
  if (!isRecord(parsed)) return { kind: "error", info, error: storageError(relative, "is not a JSON object") };
  const envelope = envelopeSchema.safeParse(parsed);
  if (!envelope.success) {
    return { kind: "error", info, error: storageError(relative, envelope.error.issues[0]?.message ?? NOT_A_STORE) };
  }
  const { version, minor_version: minor, key, data } = envelope.data;
  info.version = version;
  info.minorVersion = minor;
  if (key !== name) {
    return {
      kind: "error",
      info,
      error: storageError(
        relative,
        `has key ${JSON.stringify(String(key).slice(0, 60))}, expected "${name}": not the store this file name belongs to`,
      ),
    };
  }
  if (!versions.includes(version)) {
    return {
      kind: "error",
      info,
      error: storageError(
        relative,
        `has version ${version}; hassguard reads version ${versions.join(", ")} of this store; not audited`,
      ),
    };
  }
  if (data === undefined) return { kind: "error", info, error: storageError(relative, "has no `data`") };
  return { kind: "ok", document: { info, version, minorVersion: minor, data } };
}

/** Reads at most `limit` bytes even if the file grew since `lstat`. */
async function readBounded(file: string, limit: number): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(Math.min(limit, (await handle.stat()).size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}

/**
 * Where the JSON breaks, without quoting it: V8's own message embeds a slice of the text, and in
 * `.storage/auth` that slice can be a token.
 */
function jsonFault(text: string, error: unknown): string {
  if (text.trim().length === 0) return "is empty, not JSON";
  const message = describe(error);
  if (/end of (JSON )?input|Unterminated/i.test(message)) return "is not valid JSON: it ends too early (truncated?)";
  const position = /position (\d+)/.exec(message)?.[1];
  if (position === undefined) return "is not valid JSON";
  const before = text.slice(0, Number(position));
  const line = before.split("\n").length;
  const column = Number(position) - before.lastIndexOf("\n");
  return `is not valid JSON at line ${line}, column ${column}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isErrno(error: unknown, code: string): boolean {
  return isRecord(error) && error.code === code;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
