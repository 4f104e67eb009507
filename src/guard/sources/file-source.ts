import { type FSWatcher, watch } from "node:fs";
import { type FileHandle, open, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { GuardBus, GuardPart } from "../bus.js";
import { LineSplitter } from "../line-splitter.js";

export interface FileSourceOptions {
  path: string;
  /** Read what the file holds already (tests, first run) instead of starting at its end. */
  fromStart?: boolean;
  /** Safety poll interval; inotify (fs.watch on the directory) wakes the source earlier. */
  pollMs?: number;
  /** Where a previous run stopped (from the store): resumed when the file is still the same one. */
  resume?: { inode: number; position: number } | null;
  /** Told after each read, so a restart resumes there; lines read twice are recognised by the store. */
  onPosition?: (inode: number, position: number) => void;
}

/** Bytes read per wake-up at most, so a huge append cannot block the event loop for long. */
const READ_CHUNK = 1 << 20;

/**
 * Follows home-assistant.log like `tail -F`: survives rotation by rename (new inode: the old file is read to its
 * end, then the new one from the start), copy-and-truncate and Home Assistant's reset at start-up (the size drops
 * below our position: start over), and a missing file (wait for it). Watches the directory, not the file,
 * because a watch on a renamed file follows the old inode.
 */
export class FileSource implements GuardPart {
  readonly name = "file source";
  readonly #bus: GuardBus;
  readonly #options: FileSourceOptions;
  readonly #splitter: LineSplitter;
  #handle: FileHandle | null = null;
  #inode = -1;
  #position = 0;
  #watcher: FSWatcher | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #busy: Promise<void> = Promise.resolve();
  #again = false;
  #missingReported = false;
  #first = true;

  constructor(bus: GuardBus, options: FileSourceOptions) {
    this.#bus = bus;
    this.#options = options;
    // inode + byte offset identify a line: the store recognises it if a restart reads it again
    this.#splitter = new LineSplitter((text, offset) =>
      this.#bus.emit("line", { text, source: options.path, time: null, id: `${this.#inode}:${offset}` }),
    );
  }

  async start(): Promise<void> {
    this.#running = true;
    try {
      this.#watcher = watch(dirname(this.#options.path), (_event, name) => {
        if (name === null || name === basename(this.#options.path)) this.#wake();
      });
      this.#watcher.on("error", () => {
        // the directory went away: the poll keeps going
        this.#watcher?.close();
        this.#watcher = null;
      });
    } catch {
      // no directory yet: polling finds the file when it appears
    }
    this.#timer = setInterval(() => this.#wake(), this.#options.pollMs ?? 1000);
    this.#wake();
    await this.#busy;
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
    const current = await stat(this.#options.path).catch(() => null);
    if (!current) {
      // a file that appears later is new: read it from its start
      this.#first = false;
      if (!this.#missingReported) {
        this.#missingReported = true;
        this.#bus.emit("warning", { message: `${this.#options.path} does not exist (yet): waiting for it` });
      }
      return;
    }
    this.#missingReported = false;
    if (current.ino !== this.#inode || !this.#handle) {
      // rotated (or first open): finish the old file, then follow the new one from its start
      if (this.#handle) {
        await this.#drain();
        await this.#handle.close().catch(() => undefined);
        this.#splitter.flush();
      }
      this.#handle = await open(this.#options.path, "r");
      this.#inode = current.ino;
      const resume = this.#first ? this.#options.resume : null;
      if (resume && resume.inode === current.ino && resume.position <= current.size) this.#position = resume.position;
      else if (resume)
        this.#position = 0; // rotated while we were away: the new file is all new
      else this.#position = this.#first && !this.#options.fromStart ? current.size : 0;
      this.#first = false;
      this.#splitter.reset(this.#position);
    } else if (current.size < this.#position) {
      // truncated in place (copytruncate, or a reset): whatever is there now is new
      this.#position = 0;
      this.#splitter.reset(0);
    }
    await this.#drain();
  }

  async #drain(): Promise<void> {
    const handle = this.#handle;
    if (!handle) return;
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    for (let rounds = 0; rounds < 1024 && this.#running; rounds++) {
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, this.#position);
      if (bytesRead === 0) return;
      this.#position += bytesRead;
      this.#splitter.push(buffer.subarray(0, bytesRead));
      // resume at the end of the last whole line: a half-written line is read whole next time
      this.#options.onPosition?.(this.#inode, this.#splitter.resumeOffset);
      if (bytesRead < READ_CHUNK) return;
    }
    // more than 1 GiB at once: the rest comes on the next wake-up
    this.#wake();
  }
}
