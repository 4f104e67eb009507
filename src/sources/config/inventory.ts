import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, readSync } from "node:fs";
import path from "node:path";
import type { ConfigFileInfo } from "../../model/config-facts.js";
import type { SourceError } from "../../model/errors.js";
import { isPrecompressedAsset } from "../../model/file-kinds.js";
import { listArchive } from "./archive-listing.js";
import { isArchiveType, isMedia, sniffContentType } from "./content-type.js";
import { code, isInside, safeRealpath } from "./fs-helpers.js";
import { LIMITS, SKIPPED_DIRS } from "./limits.js";

// the loader imports these from here
export { code, isInside, safeRealpath };

export interface Inventory {
  files: ConfigFileInfo[];
  texts: Map<string, string>;
  binaryStrings: Map<string, string>;
  errors: SourceError[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
const PROBE_BYTES = 8192;

interface Walk {
  inventory: Inventory;
  /** Bytes of binary files still to be searched in this run (a shared budget, so media-heavy homes stay fast). */
  binaryBudget: number;
  /** Binary files left unsearched because the budget ran out. */
  overBudget: string[];
  archives: { info: ConfigFileInfo; full: string }[];
}

/**
 * Lists everything under the configuration directory without following symlinks (a link that leaves the
 * directory is reported), and keeps the text of text files and the printable strings of binary ones for the
 * secret scans. Each file's first bytes say what it is: images, sounds, video, fonts and PDFs are not read
 * further; archives are listed (bounded), never extracted; databases and other binaries are searched in their
 * first megabytes only, within a budget for the whole run. Bounded in files, depth and bytes.
 */
export async function takeInventory(root: string): Promise<Inventory> {
  const walk: Walk = {
    inventory: { files: [], texts: new Map(), binaryStrings: new Map(), errors: [] },
    binaryBudget: LIMITS.maxBinaryScanTotalBytes,
    overBudget: [],
    archives: [],
  };
  const { inventory } = walk;
  const realRoot = safeRealpath(root) ?? root;
  const pending: { dir: string; depth: number }[] = [{ dir: "", depth: 0 }];
  let truncated = false;
  while (pending.length > 0) {
    const { dir, depth } = pending.pop() as { dir: string; depth: number };
    let names: string[];
    try {
      names = readdirSync(path.join(root, dir)).sort();
    } catch (error) {
      inventory.errors.push({ source: "config", file: dir || ".", message: `cannot list folder: ${code(error)}` });
      continue;
    }
    for (const name of names) {
      if (inventory.files.length >= LIMITS.maxFiles) {
        truncated = true;
        break;
      }
      const rel = dir === "" ? name : `${dir}/${name}`;
      const info = describe(root, realRoot, rel, walk);
      if (info === undefined) continue;
      inventory.files.push(info);
      if (info.type === "directory") {
        if (SKIPPED_DIRS.has(name)) continue;
        if (depth + 1 >= LIMITS.maxDepth) {
          inventory.errors.push({
            source: "config",
            file: rel,
            message: `folder nested deeper than ${LIMITS.maxDepth} levels; not listed`,
          });
          continue;
        }
        pending.push({ dir: rel, depth: depth + 1 });
      }
    }
  }
  if (truncated) {
    inventory.errors.push({
      source: "config",
      message: `more than ${LIMITS.maxFiles} files; the rest were not listed`,
    });
  }
  if (walk.overBudget.length > 0) {
    const named = walk.overBudget.slice(0, 5).join(", ");
    const more = walk.overBudget.length > 5 ? ` and ${walk.overBudget.length - 5} more` : "";
    inventory.errors.push({
      source: "config",
      message: `${LIMITS.maxBinaryScanTotalBytes / 1048576} MiB of binary files searched for secrets; ${walk.overBudget.length} more binary file${walk.overBudget.length === 1 ? " was" : "s were"} not searched: ${named}${more}`,
    });
  }
  await listArchives(walk);
  inventory.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return inventory;
}

function describe(root: string, realRoot: string, rel: string, walk: Walk): ConfigFileInfo | undefined {
  const { inventory } = walk;
  const full = path.join(root, rel);
  let stat: ReturnType<typeof lstatSync>;
  try {
    stat = lstatSync(full);
  } catch (error) {
    inventory.errors.push({ source: "config", file: rel, message: `cannot read file information: ${code(error)}` });
    return undefined;
  }
  const base = { path: rel, size: stat.size, mode: stat.mode & 0o777 };
  if (stat.isSymbolicLink()) {
    const target = safeRealpath(full);
    if (target === undefined || !isInside(realRoot, target)) {
      let link = "?";
      try {
        link = readlinkSync(full);
      } catch {
        // keep "?": the link vanished between listing and reading
      }
      inventory.errors.push({
        source: "config",
        file: rel,
        message: `symlink leaves the configuration directory (→ ${link}); not followed`,
      });
    }
    return { ...base, type: "symlink", content: "unread" };
  }
  if (stat.isDirectory()) return { ...base, type: "directory", content: "unread" };
  if (!stat.isFile()) return { ...base, type: "other", content: "unread" };
  const info: ConfigFileInfo = { ...base, type: "file", content: "unread" };
  try {
    readContent(full, info, walk);
  } catch (error) {
    inventory.errors.push({ source: "config", file: rel, message: `cannot read file: ${code(error)}` });
  }
  if (info.content === "archive" && !isPrecompressedAsset(rel)) walk.archives.push({ info, full });
  return info;
}

/** Reads as much of one file as its content type calls for, and records what was done in `info`. */
function readContent(full: string, info: ConfigFileInfo, walk: Walk): void {
  const { inventory } = walk;
  const size = info.size;
  const fd = openSync(full, "r");
  try {
    const probe = readAt(fd, 0, Math.min(size, PROBE_BYTES));
    const type = sniffContentType(probe);
    info.contentType = type;
    if (isMedia(type)) {
      info.content = "media";
      return;
    }
    if (isArchiveType(type)) {
      info.content = "archive";
      return;
    }
    if (type === "text") {
      if (size > LIMITS.maxTextBytes) {
        info.content = "too-large";
        return;
      }
      const bytes =
        size <= probe.length ? probe : Buffer.concat([probe, readAt(fd, probe.length, size - probe.length)]);
      try {
        inventory.texts.set(info.path, utf8.decode(bytes));
        info.content = "text";
        return;
      } catch {
        // not UTF-8: searched like a binary file below
      }
    }
    const length = Math.min(size, LIMITS.maxBinaryScanBytes, walk.binaryBudget);
    if (length <= 0) {
      walk.overBudget.push(info.path);
      return;
    }
    walk.binaryBudget -= length;
    const bytes =
      length <= probe.length
        ? probe.subarray(0, length)
        : Buffer.concat([probe, readAt(fd, probe.length, length - probe.length)]);
    inventory.binaryStrings.set(info.path, printableStrings(bytes, LIMITS.maxBinaryStringsBytes));
    info.content = "binary";
    if (bytes.length < size) info.searchedBytes = bytes.length;
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let offset = 0;
  while (offset < length) {
    const read = readSync(fd, buffer, offset, length - offset, position + offset);
    if (read === 0) break;
    offset += read;
  }
  return buffer.subarray(0, offset);
}

/** Lists the archives found, a few at a time; each look is bounded (archive-listing.ts). */
async function listArchives(walk: Walk): Promise<void> {
  const queue = walk.archives.slice(0, LIMITS.maxArchivesListed);
  for (const { info } of walk.archives.slice(LIMITS.maxArchivesListed)) {
    info.archive = {
      format: "unsupported",
      entries: [],
      complete: false,
      problem: `more than ${LIMITS.maxArchivesListed} archives in the folder; not listed`,
    };
  }
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      next.info.archive = await listArchive(next.full, next.info.contentType ?? "binary");
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

/** Runs of 16+ printable ASCII characters, like `strings -n 16`: where tokens and keys hide in databases. */
export function printableStrings(bytes: Buffer, maxBytes: number): string {
  const runs: string[] = [];
  let total = 0;
  let start = -1;
  for (let i = 0; i <= bytes.length; i++) {
    const byte = i < bytes.length ? (bytes[i] as number) : 0;
    const printable = byte >= 0x20 && byte < 0x7f;
    if (printable && start < 0) start = i;
    if (!printable && start >= 0) {
      if (i - start >= 16) {
        const run = bytes.toString("latin1", start, i);
        total += run.length + 1;
        if (total > maxBytes) break;
        runs.push(run);
      }
      start = -1;
    }
  }
  return runs.join("\n");
}
