import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, type FileHandle, open, readFile, realpath, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { banTarget } from "../address.js";
import type { BanBackend } from "./backend.js";
import { haTimestamp, type IpBanEntries, parseIpBans, removeIpBans, renderIpBans } from "./ip-bans-text.js";

/**
 * Home Assistant's own `ip_bans.yaml`, shared by the ip-bans backend (the guard's bans) and `guard unban`
 * (Home Assistant's bans too). A ban is appended exactly as Home Assistant appends its own (one small O_APPEND
 * write: neither writer can lose the other's entry). An unban cuts the entries out of the text, keeping every
 * other byte, and replaces the file atomically: a temporary file in the same folder with the original's
 * mode and owner, fsync, a copy of the previous version beside it (`.ip_bans.yaml.hassguard-backup`), rename,
 * fsync of the folder. Home Assistant appends without a lock, so whatever it appended meanwhile is copied over.
 * Removals asked for while a rewrite runs are done together in the next one (an "unban all" of thousands
 * rewrites the file a few times, not thousands).
 */
export class IpBansFile {
  readonly path: string;
  #queue: Promise<unknown> = Promise.resolve();
  #batch: { addresses: Set<string>; done: Promise<IpBanEntries> } | null = null;
  /** How many times the file was replaced (the batching is observable). */
  rewrites = 0;

  constructor(path: string) {
    this.path = path;
  }

  /** The current entries (Home Assistant's own included); none when the file does not exist. */
  async read(): Promise<IpBanEntries> {
    try {
      return parseIpBans(await readFile(this.path, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
      throw new Error(`${this.path}: ${(error as Error).message}`);
    }
  }

  /** Appends the address unless it is listed; "present" when it was (by Home Assistant or an earlier run). */
  async add(address: string, at: number): Promise<"added" | "present"> {
    return this.#serially(async () => {
      if ((await this.read()).has(address)) return "present";
      await appendBytes(this.path, Buffer.from(renderIpBans(new Map([[address, haTimestamp(at)]]))));
      return "added";
    });
  }

  /** Removes the addresses' entries whoever wrote them; returns the entries that were there. */
  async remove(addresses: Iterable<string>): Promise<IpBanEntries> {
    const wanted = new Set(addresses);
    let batch = this.#batch;
    if (batch) for (const address of wanted) batch.addresses.add(address);
    else {
      const next = { addresses: new Set(wanted), done: Promise.resolve(new Map()) as Promise<IpBanEntries> };
      next.done = this.#serially(() => {
        this.#batch = null; // from here on, new removals wait for the next rewrite
        return this.#rewrite(next.addresses);
      });
      this.#batch = batch = next;
    }
    const removed = await batch.done;
    return new Map([...removed].filter(([address]) => wanted.has(address)));
  }

  /** Resolves when every change asked for so far is on disk. */
  async settle(): Promise<void> {
    await this.#queue.catch(() => undefined);
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #rewrite(addresses: ReadonlySet<string>): Promise<IpBanEntries> {
    // a symbolic link stays one: its target is replaced
    const path = await realpath(this.path).catch(() => this.path);
    const original = await open(path, "r").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw error;
    });
    if (!original) return new Map();
    try {
      const bytes = await original.readFile();
      const { text, removed } = removeIpBans(bytes.toString("utf8"), addresses);
      if (removed.size === 0) return removed;
      const stat = await original.stat();
      const backup = join(dirname(path), `.${basename(path)}.hassguard-backup`);
      await replaceFile(backup, bytes, stat);
      await replaceFile(path, Buffer.from(text, "utf8"), stat);
      this.rewrites++;
      // appended by Home Assistant after we read the old file (to the inode that is now gone): carry it over
      const { size } = await original.stat();
      if (size > bytes.length) {
        const tail = Buffer.alloc(size - bytes.length);
        await original.read(tail, 0, tail.length, bytes.length);
        await appendBytes(path, tail);
      }
      return removed;
    } finally {
      await original.close();
    }
  }
}

/** One instance per file in this process, so the backend and `guard unban` never write it at once. */
const files = new Map<string, IpBansFile>();
export function ipBansFile(path: string): IpBansFile {
  let file = files.get(path);
  if (!file) {
    file = new IpBansFile(path);
    files.set(path, file);
  }
  return file;
}

/**
 * Writes `bytes` to `path` atomically with the given mode and owner. An owner that cannot be kept (the
 * guard is not root and the file is Home Assistant's) is an error and nothing is replaced: a file Home
 * Assistant can no longer append to would lose its next bans.
 */
async function replaceFile(path: string, bytes: Buffer, like: { mode: number; uid: number; gid: number }) {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temporary, "wx", like.mode & 0o777);
  try {
    try {
      await handle.writeFile(bytes);
      await handle.chmod(like.mode & 0o777);
      if (process.getuid?.() !== like.uid || process.getgid?.() !== like.gid) await handle.chown(like.uid, like.gid);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new Error(`cannot replace ${path}: ${(error as Error).message}`);
  }
  await syncFolder(dirname(path));
}

async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(folder, "r");
    await handle.sync();
  } catch {
    // some file systems cannot sync a folder: the rename is still atomic
  } finally {
    await handle?.close();
  }
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

/**
 * The ip-bans backend: the guard's bans in Home Assistant's `ip_bans.yaml`. Home Assistant reads the file
 * only when it starts, so this makes a ban survive Home Assistant's restarts; nftables is what bans at once.
 */
export class IpBansFileBackend implements BanBackend {
  readonly name: string;
  readonly file: IpBansFile;

  constructor(path: string) {
    this.file = ipBansFile(path);
    this.name = `ip_bans.yaml (${path})`;
  }

  async start(): Promise<void> {
    await access(dirname(this.file.path), constants.W_OK);
  }

  /** Reads the current entries (Home Assistant's own included). */
  read(): Promise<IpBanEntries> {
    return this.file.read();
  }

  /**
   * The file holds single addresses only (Home Assistant reads each key with `ip_address()`; a network is
   * "Failed to load IP ban: invalid IP address"), so a prefix ban is left out and the ban's reason says so. A
   * link-local address is written with its zone (`'fe80::1%eth0'`), as Home Assistant writes and compares it.
   */
  limitation(target: string): string | null {
    return target.includes("/")
      ? `not in ip_bans.yaml, which holds single addresses: Home Assistant's own ban does not cover ${target}`
      : null;
  }

  async ban(address: string, _until: number): Promise<void> {
    // only a canonical address goes into the file (no YAML syntax, nothing Home Assistant would refuse)
    if (banTarget(address) !== address) throw new Error(`refusing non-canonical address '${address}'`);
    if (this.limitation(address) !== null) return;
    await this.file.add(address, Date.now());
  }

  async unban(address: string): Promise<void> {
    await this.file.remove([address]);
  }

  async list(): Promise<string[]> {
    return [...(await this.file.read()).keys()];
  }

  async stop(): Promise<void> {
    await this.file.settle();
  }
}
