import { existsSync, type FSWatcher, watch } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { GuardBus, GuardPart } from "../bus.js";
import { LineSplitter } from "../line-splitter.js";
import type { SourceBookmark } from "./bookmark.js";
import {
  appendTail,
  bytesBefore,
  FINGERPRINT_BYTES,
  type FileMark,
  fingerprintOf,
  firstLineHash,
  formatMark,
  newGeneration,
  parseMark,
  readAt,
} from "./file-mark.js";

export interface FileSourceOptions {
  path: string;
  /** Read what the file holds already (tests, first run) instead of starting at its end. */
  fromStart?: boolean;
  /** Safety poll interval; inotify (fs.watch on the directory) wakes the source earlier. */
  pollMs?: number;
  /** Where a previous run stopped (read in start()), and where this one is (written after each read). */
  bookmark?: SourceBookmark;
}

/** Bytes read per wake-up at most, so a huge append cannot block the event loop for long. */
const READ_CHUNK = 1 << 20;

/**
 * Follows home-assistant.log like `tail -F`, and knows each line's generation (see file-mark.ts): a line's
 * identity is `file:<generation>:<offset>`, and a new generation starts whenever the file is no longer the
 * one being read — renamed away (Home Assistant's start-up rollover, logrotate), or rewritten in place
 * (`: > home-assistant.log`, copytruncate, an inode reused), which shows as bytes before the position that
 * differ from the ones read there, checked after every read and at resume. Before the new generation is read
 * from its start, the end of the old one is read where it went: through the open handle after a rename, or
 * from `<log>.1` after a copy when its bytes before the position are the ones read. Watches the directory,
 * not the file, because a watch on a renamed file follows the old inode.
 */
export class FileSource implements GuardPart {
  readonly name = "file source";
  readonly #bus: GuardBus;
  readonly #options: FileSourceOptions;
  readonly #splitter: LineSplitter;
  #handle: FileHandle | null = null;
  #inode = -1;
  #generation = "";
  /** Next byte to read, and the last bytes read before it (up to TAIL_BYTES). */
  #position = 0;
  #tail: Buffer = Buffer.alloc(0);
  /** `<log>.1`'s first line when this generation began (see FileMark.rotated). */
  #rotatedHead: string | null | undefined;
  #watcher: FSWatcher | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #busy: Promise<void> = Promise.resolve();
  #again = false;
  #missingReported = false;
  /** The file was missing at some point: when it appears it is new, read from its start. */
  #wasMissing = false;
  #opened = false;

  constructor(bus: GuardBus, options: FileSourceOptions) {
    this.#bus = bus;
    this.#options = options;
    this.#splitter = new LineSplitter((text, offset) =>
      this.#bus.emit("line", {
        text,
        source: options.path,
        time: null,
        id: `file:${this.#generation}:${offset}`,
      }),
    );
  }

  async start(): Promise<void> {
    const folder = dirname(this.#options.path);
    if (!existsSync(folder))
      throw new Error(`the folder '${folder}' of the log '${this.#options.path}' does not exist`);
    this.#running = true;
    try {
      this.#watcher = watch(folder, (_event, name) => {
        if (name === null || name === basename(this.#options.path)) this.#wake();
      });
      this.#watcher.on("error", () => {
        // the directory went away: the poll keeps going
        this.#watcher?.close();
        this.#watcher = null;
      });
    } catch {
      // no inotify here: polling alone
    }
    // the first read happens now, and a log that cannot be read is this part's start error
    const first = this.#poll();
    this.#busy = first.catch(() => undefined);
    try {
      await first;
    } catch (error) {
      await this.stop();
      throw new Error(`cannot read ${this.#options.path}: ${(error as Error).message}`);
    }
    this.#timer = setInterval(() => this.#wake(), this.#options.pollMs ?? 1000);
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearInterval(this.#timer);
    this.#watcher?.close();
    await this.#busy;
    await this.#handle?.close().catch(() => undefined);
    this.#handle = null;
  }

  /** Resolves once everything written so far has been read (tests and benchmarks wait on it). */
  async settle(): Promise<void> {
    this.#wake();
    await this.#busy;
  }

  #wake(): void {
    if (!this.#running) return;
    if (this.#again) return;
    this.#again = true;
    this.#busy = this.#busy.then(async () => {
      this.#again = false;
      try {
        await this.#poll();
      } catch (error) {
        this.#bus.emit("warning", { message: `reading ${this.#options.path}: ${(error as Error).message}` });
      }
    });
  }

  async #poll(): Promise<void> {
    const current = await stat(this.#options.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return null;
      throw error;
    });
    if (!current) {
      this.#wasMissing = true;
      if (!this.#missingReported) {
        this.#missingReported = true;
        this.#bus.emit("warning", { message: `${this.#options.path} does not exist (yet): waiting for it` });
      }
      return;
    }
    this.#missingReported = false;
    if (this.#handle && current.ino !== this.#inode) {
      // renamed away: what was written to it before the rename is still there for our handle
      await this.#drain();
      await this.#finishGeneration(this.#tailFingerprint());
      await this.#handle.close().catch(() => undefined);
      this.#handle = null;
    }
    if (!this.#handle) await this.#openFile();
    await this.#drain();
  }

  /** Opens the log and decides where to read: the saved mark, the end (first run) or the start (a new file). */
  async #openFile(): Promise<void> {
    const handle = await open(this.#options.path, "r");
    const { ino, size } = await handle.stat();
    this.#handle = handle;
    this.#inode = ino;
    const first = !this.#opened;
    this.#opened = true;
    const mark = first ? parseMark(this.#options.bookmark?.read() ?? null) : null;
    if (mark) {
      if (await this.#resume(handle, mark, size)) return;
      // the file changed while we were away: finish our generation where it went, then read this one whole
      this.#begin(mark.generation, mark.offset, Buffer.alloc(0), mark.rotated);
      await this.#finishGeneration(mark.fingerprint);
    } else if (first && !this.#wasMissing && !this.#options.fromStart) {
      const n = Math.min(FINGERPRINT_BYTES, size);
      await this.#beginNew(size, await readAt(handle, size - n, n));
      return;
    }
    await this.#beginNew(0, Buffer.alloc(0));
  }

  /** Resumes at the mark when the bytes before it are still the ones read there. */
  async #resume(handle: FileHandle, mark: FileMark, size: number): Promise<boolean> {
    if (mark.offset > size) return false;
    const n = Math.min(FINGERPRINT_BYTES, mark.offset);
    const before = await readAt(handle, mark.offset - n, n);
    if (mark.fingerprint === null) {
      // the first release's `inode:offset`: trusted for the same inode, under a new generation
      if (mark.inode !== this.#inode) return false;
      await this.#beginNew(mark.offset, before);
      return true;
    }
    if (before.length !== n || fingerprintOf(before) !== mark.fingerprint) return false;
    this.#begin(mark.generation, mark.offset, before, mark.rotated);
    return true;
  }

  #begin(generation: string, offset: number, before: Buffer, rotatedHead: string | null | undefined): void {
    this.#generation = generation;
    this.#position = offset;
    this.#tail = Buffer.from(before);
    this.#rotatedHead = rotatedHead;
    this.#splitter.reset(offset);
  }

  /** A new generation at `offset`, noting which `<log>.1` was there when it began. */
  async #beginNew(offset: number, before: Buffer): Promise<void> {
    const rotated = await open(`${this.#options.path}.1`, "r").catch(() => null);
    const head = rotated ? await firstLineHash(rotated).finally(() => rotated.close()) : null;
    this.#begin(newGeneration(), offset, before, head);
    this.#saveMark();
  }

  #tailFingerprint(): string {
    return fingerprintOf(this.#tail.subarray(this.#tail.length - Math.min(FINGERPRINT_BYTES, this.#tail.length)));
  }

  async #drain(): Promise<void> {
    const handle = this.#handle;
    if (!handle) return;
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    for (let rounds = 0; rounds < 1024 && this.#running; rounds++) {
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, this.#position);
      // checked after the read, so a chunk read from a file rewritten meanwhile is never taken for the old one
      if (!(await this.#unchanged(handle))) {
        await this.#finishGeneration(this.#tailFingerprint());
        await this.#beginNew(0, Buffer.alloc(0));
        continue;
      }
      if (bytesRead === 0) return;
      this.#position += bytesRead;
      const chunk = buffer.subarray(0, bytesRead);
      this.#tail = appendTail(this.#tail, chunk);
      this.#splitter.push(chunk);
      // after the lines were handled (the bus's line listeners are synchronous): a kill -9 before this write
      // re-reads them, and their identities make the store ignore them
      this.#saveMark();
      if (bytesRead < READ_CHUNK) return;
    }
    // more than 1 GiB at once: the rest comes on the next wake-up
    this.#wake();
  }

  /** Whether the bytes before the position are still the ones read there. */
  async #unchanged(handle: FileHandle): Promise<boolean> {
    const n = Math.min(FINGERPRINT_BYTES, this.#tail.length, this.#position);
    if (n === 0) return true;
    const now = await readAt(handle, this.#position - n, n);
    return now.equals(this.#tail.subarray(this.#tail.length - n));
  }

  /**
   * The generation being read has ended. If `<log>.1` is it (the same bytes before our position: a
   * copytruncate copy, or a rollover while the guard was stopped), the rest is read from there, as the same
   * generation. If `<log>.1` is neither it nor the file that was `.1` when it began, the log rolled over twice
   * between two looks, and `.1` is a generation never read: it is read whole, as a new one.
   */
  async #finishGeneration(fingerprint: string | null): Promise<void> {
    const rotated = await open(`${this.#options.path}.1`, "r").catch(() => null);
    try {
      if (rotated) {
        const offset = this.#position;
        const n = Math.min(FINGERPRINT_BYTES, offset);
        const before = fingerprint !== null && offset > 0 ? await readAt(rotated, offset - n, n) : null;
        if (before && before.length === n && fingerprintOf(before) === fingerprint) {
          await this.#readRest(rotated, offset);
        } else if (this.#rotatedHead !== undefined && (await firstLineHash(rotated)) !== this.#rotatedHead) {
          this.#splitter.flush();
          this.#begin(newGeneration(), 0, Buffer.alloc(0), undefined);
          await this.#readRest(rotated, 0);
        }
      }
    } finally {
      await rotated?.close().catch(() => undefined);
    }
    this.#splitter.flush();
  }

  /** Pushes a rotated file from `position` to its end (it no longer grows). */
  async #readRest(handle: FileHandle, position: number): Promise<void> {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    let at = position;
    for (let rounds = 0; rounds < 1024; rounds++) {
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, at);
      if (bytesRead === 0) return;
      at += bytesRead;
      this.#splitter.push(buffer.subarray(0, bytesRead));
    }
  }

  /** Tells the bookmark where the last whole line ended, with the bytes before it (when they were kept). */
  #saveMark(): void {
    const bookmark = this.#options.bookmark;
    if (!bookmark) return;
    const offset = this.#splitter.resumeOffset;
    const n = Math.min(FINGERPRINT_BYTES, offset);
    const before = bytesBefore(this.#tail, this.#position, offset, n);
    // inside a line longer than what is kept: the previous mark stays, and a restart re-reads a little more
    if (!before) return;
    bookmark.write(
      formatMark({
        generation: this.#generation,
        offset,
        fingerprint: fingerprintOf(before),
        inode: this.#inode,
        ...(this.#rotatedHead !== undefined ? { rotated: this.#rotatedHead } : {}),
      }),
    );
  }
}
