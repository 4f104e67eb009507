import { closeSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, realpathSync } from "node:fs";
import path from "node:path";
import type { ConfigFileInfo } from "../../model/config-facts.js";
import type { SourceError } from "../../model/errors.js";
import { LIMITS, SKIPPED_DIRS } from "./limits.js";

export interface Inventory {
  files: ConfigFileInfo[];
  texts: Map<string, string>;
  binaryStrings: Map<string, string>;
  errors: SourceError[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Lists everything under the configuration directory without following symlinks (a link that leaves the
 * directory is reported), and keeps the text of text files and the printable strings of binary ones for the
 * secret scans. Bounded in files, depth and bytes.
 */
export function takeInventory(root: string): Inventory {
  const inventory: Inventory = { files: [], texts: new Map(), binaryStrings: new Map(), errors: [] };
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
      const info = describe(root, realRoot, rel, inventory);
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
  inventory.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return inventory;
}

function describe(root: string, realRoot: string, rel: string, inventory: Inventory): ConfigFileInfo | undefined {
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
  return { ...base, type: "file", content: readContent(full, rel, stat.size, inventory) };
}

function readContent(full: string, rel: string, size: number, inventory: Inventory): ConfigFileInfo["content"] {
  if (size > LIMITS.maxBinaryScanBytes) return "too-large";
  let bytes: Buffer;
  try {
    bytes = readPrefix(full, size);
  } catch (error) {
    inventory.errors.push({ source: "config", file: rel, message: `cannot read file: ${code(error)}` });
    return "unread";
  }
  const probe = bytes.subarray(0, 8192);
  if (!probe.includes(0) && size <= LIMITS.maxTextBytes) {
    try {
      inventory.texts.set(rel, utf8.decode(bytes));
      return "text";
    } catch {
      // not UTF-8: treat as binary below
    }
  } else if (!probe.includes(0)) {
    return "too-large";
  }
  inventory.binaryStrings.set(rel, printableStrings(bytes, LIMITS.maxBinaryStringsBytes));
  return "binary";
}

function readPrefix(full: string, size: number): Buffer {
  const fd = openSync(full, "r");
  try {
    const buffer = Buffer.alloc(size);
    let offset = 0;
    while (offset < size) {
      const read = readSync(fd, buffer, offset, size - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    return buffer.subarray(0, offset);
  } finally {
    closeSync(fd);
  }
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

export function safeRealpath(p: string): string | undefined {
  try {
    // the native realpath(3): one call, where the JavaScript version lstat()s every component of the path
    // (the loader asks for every file below an included folder)
    return realpathSync.native(p);
  } catch {
    return undefined;
  }
}

export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

export function code(error: unknown): string {
  if (error && typeof error === "object" && "code" in error) return String((error as { code: unknown }).code);
  return error instanceof Error ? error.message : String(error);
}
