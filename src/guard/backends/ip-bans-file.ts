import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { parse as parseYaml } from "yaml";
import { banTarget, normalizeAddress } from "../address.js";
import type { BanBackend } from "./backend.js";

/**
 * Home Assistant's own `ip_bans.yaml` (http/ban.py): a mapping of address → `{banned_at: ISO time}`, which
 * Home Assistant appends to as `"\n" + yaml.dump({ip: {banned_at: iso}})` and reads at start-up. A ban is
 * appended the same way (one small O_APPEND write: neither writer can lose the other's entry); an unban
 * rewrites the file atomically (temporary file in the same directory, fsync, rename, and start over if Home
 * Assistant appended meanwhile). Home Assistant reads the file only when it starts: this backend makes a ban
 * survive Home Assistant's restarts; nftables is what bans at once.
 *
 * The file holds single addresses only (Home Assistant reads each key with `ip_address()`; a network is
 * "Failed to load IP ban: invalid IP address"), so a prefix ban is left out and the ban's reason says so. A
 * link-local address is written with its zone (`'fe80::1%eth0'`), as Home Assistant writes and compares it.
 */

/** Home Assistant writes `datetime.isoformat()` of an aware UTC time: microseconds and +00:00. */
export function haTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
}

function yamlKey(address: string): string {
  // an IPv6 key could read as YAML 1.1 sexagesimal or a mapping: quote it
  return address.includes(":") ? `'${address}'` : address;
}

/** Renders entries the way Home Assistant's appends look. */
export function renderIpBans(entries: Map<string, string | null>): string {
  let out = "";
  for (const [address, bannedAt] of entries) {
    out +=
      bannedAt === null
        ? `\n${yamlKey(address)}:\n  banned_at: null\n`
        : `\n${yamlKey(address)}:\n  banned_at: '${bannedAt}'\n`;
  }
  return out;
}

export class IpBansFileBackend implements BanBackend {
  readonly name: string;
  readonly #path: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
    this.name = `ip_bans.yaml (${path})`;
  }

  async start(): Promise<void> {
    await access(dirname(this.#path), constants.W_OK);
  }

  /** Reads the current entries (Home Assistant's own included). */
  async read(): Promise<Map<string, string | null>> {
    try {
      return parseEntries(await readFile(this.#path, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
      throw error;
    }
  }

  /**
   * A ban is appended exactly as Home Assistant appends its own (one small O_APPEND write, so neither side
   * can lose the other's entry); only an unban rewrites the file, atomically.
   */
  async ban(address: string, _until: number): Promise<void> {
    // only a canonical address goes into the file (no YAML syntax, nothing Home Assistant would refuse)
    if (banTarget(address) !== address) throw new Error(`refusing non-canonical address '${address}'`);
    if (this.limitation(address) !== null) return;
    return this.#serially(async () => {
      const entries = await this.read();
      if (entries.has(address)) return;
      await appendBytes(this.#path, Buffer.from(renderIpBans(new Map([[address, haTimestamp(Date.now())]]))));
    });
  }

  limitation(target: string): string | null {
    return target.includes("/")
      ? `not in ip_bans.yaml, which holds single addresses: Home Assistant's own ban does not cover ${target}`
      : null;
  }

  async unban(address: string): Promise<void> {
    return this.#serially(() => this.#rewrite((entries) => entries.delete(address)));
  }

  async list(): Promise<string[]> {
    return [...(await this.read()).keys()];
  }

  async stop(): Promise<void> {
    await this.#queue;
  }

  /** One change at a time, so two of our own writes cannot lose one. */
  #serially(work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Rewrites the file through a temporary file and a rename. Home Assistant appends without a lock, so the
   * original stays open: whatever it gained after we read it (appended before the rename, to the inode that
   * is now gone) is copied to the end of the new file.
   */
  async #rewrite(change: (entries: Map<string, string | null>) => boolean): Promise<void> {
    const original = await open(this.#path, "r").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw error;
    });
    try {
      const bytes = original ? await original.readFile() : Buffer.alloc(0);
      const entries = parseEntries(bytes.toString("utf8"));
      if (!change(entries)) return;
      const mode = original ? (await original.stat()).mode & 0o777 : 0o644;
      const temporary = join(dirname(this.#path), `.${basename(this.#path)}.${randomBytes(6).toString("hex")}.tmp`);
      const handle = await open(temporary, "wx", mode);
      try {
        await handle.writeFile(renderIpBans(entries), "utf8");
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.#path).catch(async (error: Error) => {
        await unlink(temporary).catch(() => undefined);
        throw error;
      });
      if (!original) return;
      const { size } = await original.stat();
      if (size > bytes.length) {
        const tail = Buffer.alloc(size - bytes.length);
        await original.read(tail, 0, tail.length, bytes.length);
        await appendBytes(this.#path, tail);
      }
    } finally {
      await original?.close();
    }
  }
}

/** Parses the file; an entry without a usable time is kept with `null` (Home Assistant allows that). */
function parseEntries(text: string): Map<string, string | null> {
  const data: unknown = parseYaml(text);
  const entries = new Map<string, string | null>();
  if (data === null || typeof data !== "object" || Array.isArray(data)) return entries;
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const bannedAt = (value as { banned_at?: unknown } | null)?.banned_at;
    entries.set(normalizeAddress(key) ?? key, typeof bannedAt === "string" ? bannedAt : null);
  }
  return entries;
}

/** One O_APPEND write, synced. */
async function appendBytes(path: string, bytes: Buffer): Promise<void> {
  const handle = await open(path, "a", 0o644);
  try {
    await handle.write(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
