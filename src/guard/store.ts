import { createHash, randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { BanRecord, GuardPart, UnbanReason } from "./bus.js";
import type { FailedLogin, FailureKind } from "./events.js";
import {
  type BanRow,
  isCorruption,
  moveAside,
  quickCheck,
  restoreInto,
  type Salvage,
  salvage,
  writeBack,
} from "./store-damage.js";
import { StoreLock } from "./store-lock.js";
import { prepareSchema, type StoredBan, toBan } from "./store-schema.js";

export type { StoredBan } from "./store-schema.js";

/**
 * The guard's memory (SQLite, WAL): failed logins and bans. Each failure is stored under its line's key (the
 * source's identity of the line and its text), so a line read twice after a restart (or a kill -9 between
 * reading and saving the position) is recognised and not counted again; at most one ban per address is active
 * (a partial unique index).
 *
 * Three ways to open it: the guard (`guard`: takes the single-guard lock, checks the file, moves a damaged one
 * aside and starts a new one), a tool that changes it (`edit`: `guard unban`), and a reader (`read`:
 * `guard bans`, a console) that never writes and never waits for the guard.
 */

let unkeyed = 0;

/**
 * A line's key in the store: its source identity (file generation + offset, journal cursor, Supervisor chain)
 * together with its text, so a re-read line is recognised and no other line, wherever it sits, can be taken for
 * it. A line without an identity (stdin) is always new.
 */
export function lineKey(id: string | undefined, text: string): string {
  if (id !== undefined) return createHash("sha256").update(id).update("\n").update(text).digest("base64url");
  unkeyed++;
  return `once:${process.pid}:${Date.now()}:${unkeyed}:${randomBytes(4).toString("hex")}`;
}

export type StoreMode = "guard" | "edit" | "read";

/** A damaged store found and replaced: what happened, for the owner. */
export interface StoreDamage {
  path: string;
  movedTo: string;
  problem: string;
  kept: { bans: number; positions: number; failures: number };
  unreadable: string[];
}

export interface GuardStoreOptions {
  mode?: StoreMode;
  /** A damaged store was moved aside and a new one started (at start or while running). */
  onDamage?: (damage: StoreDamage) => void;
  /** The store is broken beyond what moving it aside can fix (the guard must stop). */
  onFailure?: (error: Error) => void;
  /** A periodic check that could not run (it runs again later). */
  onWarning?: (message: string) => void;
  /** The store's file was deleted or replaced while the guard ran, and the guard's copy written back. */
  onReplaced?: (replaced: { path: string; movedTo: string | null }) => void;
  /** How often the running guard checks the file again (0: never). */
  checkEveryMs?: number;
  /** How often it checks that the file at the store's path is still the one it holds open (0: never). */
  watchEveryMs?: number;
  clock?: () => number;
}

/** Recent failed logins carried over to a new store (the detector's windows are far shorter). */
const SALVAGE_EVENTS_MS = 24 * 3600_000;
const DEFAULT_CHECK_EVERY_MS = 6 * 3600_000;
const DEFAULT_WATCH_EVERY_MS = 10_000;

export class GuardStore implements GuardPart {
  readonly name = "store";
  readonly path: string;
  readonly #options: GuardStoreOptions;
  readonly #mode: StoreMode;
  #db: Database.Database | null = null;
  #lock: StoreLock | null = null;
  #statements = new Map<string, Database.Statement>();
  #timers: NodeJS.Timeout[] = [];
  /** The inode of the file the guard's connection holds. */
  #inode = 0;
  #bansSince: number | null = null;
  #emptiedSince: number | null = null;
  #damage: StoreDamage | null = null;

  constructor(path: string, options: GuardStoreOptions = {}) {
    this.path = path;
    this.#options = options;
    this.#mode = options.mode ?? "guard";
  }

  /** Opens a store for a command (`edit`) or a reader (`read`). */
  static open(path: string, mode: "edit" | "read"): GuardStore {
    const store = new GuardStore(path, { mode });
    store.open();
    return store;
  }

  async start(): Promise<void> {
    this.open();
  }

  async stop(): Promise<void> {
    this.close();
  }

  /**
   * When this store had its first ban, if it holds none now: it was deleted, emptied or replaced while it had
   * bans, and the bans in force then are unknown to the guard. Null otherwise.
   */
  get emptiedSince(): number | null {
    return this.#emptiedSince;
  }

  open(): void {
    if (this.#db) return;
    const folder = dirname(this.path);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new Error(`cannot open the guard's store '${this.path}': the folder '${folder}' does not exist`);
    }
    if (this.#mode === "read") {
      if (!existsSync(this.path))
        throw new Error(`no guard store at '${this.path}' (has the guard run with this --store?)`);
      this.#db = this.#connect({ readonly: true, fileMustExist: true });
      return;
    }
    if (this.#mode === "edit") {
      this.#db = this.#connect({});
      prepareSchema(this.#db);
      return;
    }
    this.#lock = StoreLock.acquire(this.path);
    try {
      this.#openChecked();
      this.#checkHistory();
    } catch (error) {
      this.close();
      throw error;
    }
    this.#inode = statSync(this.path).ino;
    this.#every(this.#options.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS, () => this.checkNow());
    this.#every(this.#options.watchEveryMs ?? DEFAULT_WATCH_EVERY_MS, () => this.#checkStillThere());
  }

  close(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
    this.#statements.clear();
    if (this.#db?.open) this.#db.close();
    this.#db = null;
    this.#lock?.release();
    this.#lock = null;
  }

  /**
   * Checks the file on disk now (a fresh connection: the running one's page cache would hide damage) and
   * replaces a damaged store. The guard does this every `checkEveryMs`.
   */
  checkNow(): void {
    if (!this.#db || this.#mode !== "guard") return;
    let problem: string | null;
    try {
      problem = quickCheck(this.path);
    } catch (error) {
      this.#options.onWarning?.(`checking the guard's store '${this.path}': ${(error as Error).message}`);
      return;
    }
    try {
      if (problem) this.#replaceDamaged(problem);
    } catch {
      // #replaceDamaged has told onFailure: the guard stops
    }
  }

  #every(ms: number, work: () => void): void {
    if (ms <= 0) return;
    const timer = setInterval(work, ms);
    timer.unref();
    this.#timers.push(timer);
  }

  /**
   * A store deleted or replaced while the guard runs would leave it writing to a file nobody sees (and
   * `guard bans`/`guard unban` reading another): its own copy is written back, and the owner told.
   */
  #checkStillThere(): void {
    const db = this.#db;
    if (!db) return;
    const found = statSync(this.path, { throwIfNoEntry: false });
    if (found?.ino === this.#inode) return;
    try {
      this.#statements.clear();
      this.#db = null;
      const movedTo = writeBack(db, this.path, found !== undefined, new Date(this.#options.clock?.() ?? Date.now()));
      const fresh = this.#connect({});
      prepareSchema(fresh);
      this.#db = fresh;
      this.#inode = statSync(this.path).ino;
      this.#options.onReplaced?.({ path: this.path, movedTo });
    } catch (error) {
      this.#options.onFailure?.(
        new Error(
          `the guard's store '${this.path}' was deleted or replaced and could not be written back: ${(error as Error).message}`,
        ),
      );
    }
  }

  /** Records a failure; false when this very line was recorded before (re-read after a restart). */
  recordFailure(key: string, failure: FailedLogin, at: number): boolean {
    return this.#run(
      (db) =>
        this.#statement(
          db,
          "INSERT OR IGNORE INTO events (line_key, at, address, kind, url, user_agent, host) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ).run(key, at, failure.address, failure.kind, failure.url, failure.userAgent, failure.host).changes === 1,
    );
  }

  /** Failures since `since` in time order (to rebuild the detector's windows after a restart). */
  failuresSince(since: number): { address: string; kind: FailureKind; at: number }[] {
    return this.#run(
      (db) =>
        this.#statement(db, "SELECT address, kind, at FROM events WHERE at >= ? ORDER BY at, id").all(since) as {
          address: string;
          kind: FailureKind;
          at: number;
        }[],
    );
  }

  countFailuresSince(since: number): number {
    return this.#run(
      (db) => (this.#statement(db, "SELECT count(*) AS n FROM events WHERE at >= ?").get(since) as { n: number }).n,
    );
  }

  /** Adds a ban unless one is active for the address already; returns whether it was added. */
  addBan(ban: BanRecord): boolean {
    const added = this.#run((db) => {
      try {
        this.#statement(
          db,
          "INSERT INTO bans (address, banned_at, until, failures, kind, offence, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ).run(ban.address, ban.bannedAt, ban.until, ban.failures, ban.kind, ban.offence, ban.reason ?? null);
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") return false;
        throw error;
      }
    });
    if (added && this.#lock && this.#bansSince === null) {
      // the store now has a history: from here on, finding it empty means it was lost
      this.#bansSince = ban.bannedAt;
      this.#lock.setBansSince(ban.bannedAt);
    }
    return added;
  }

  /** Bans not lifted yet (expired ones included: the caller lifts them). */
  unliftedBans(): StoredBan[] {
    return this.#run((db) =>
      (this.#statement(db, "SELECT * FROM bans WHERE lifted_at IS NULL ORDER BY banned_at").all() as BanRow[]).map(
        toBan,
      ),
    );
  }

  activeBans(now: number): StoredBan[] {
    return this.#run((db) =>
      (
        this.#statement(db, "SELECT * FROM bans WHERE lifted_at IS NULL AND until > ? ORDER BY until").all(
          now,
        ) as BanRow[]
      ).map(toBan),
    );
  }

  /** Per address: how many times it was banned (repeat offenders get longer bans) and when last. */
  banHistory(): Map<string, { offences: number; lastBannedAt: number }> {
    const rows = this.#run(
      (db) =>
        this.#statement(
          db,
          "SELECT address, max(offence) AS n, max(banned_at) AS last FROM bans GROUP BY address",
        ).all() as { address: string; n: number; last: number }[],
    );
    return new Map(rows.map((row) => [row.address, { offences: row.n, lastBannedAt: row.last }]));
  }

  liftBan(address: string, at: number, reason: UnbanReason): boolean {
    return this.#run(
      (db) =>
        this.#statement(
          db,
          "UPDATE bans SET lifted_at = ?, lift_reason = ? WHERE address = ? AND lifted_at IS NULL",
        ).run(at, reason, address).changes > 0,
    );
  }

  lastFailureAddress(): string | null {
    return this.#run(
      (db) =>
        (
          this.#statement(db, "SELECT address FROM events ORDER BY at DESC, id DESC LIMIT 1").get() as
            | { address: string }
            | undefined
        )?.address ?? null,
    );
  }

  getMeta(key: string): string | null {
    return this.#run(
      (db) =>
        (this.#statement(db, "SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)
          ?.value ?? null,
    );
  }

  setMeta(key: string, value: string): void {
    this.#run((db) =>
      this.#statement(
        db,
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ).run(key, value),
    );
  }

  /** Drops events older than `before` (the store must not grow forever). */
  prune(before: number): number {
    return this.#run((db) => this.#statement(db, "DELETE FROM events WHERE at < ?").run(before).changes);
  }

  #connect(options: Database.Options): Database.Database {
    try {
      return new Database(this.path, { timeout: 5000, ...options });
    } catch (error) {
      throw new Error(`cannot open the guard's store '${this.path}': ${(error as Error).message}`);
    }
  }

  /** Opens the guard's store, replacing it with a new one when it is damaged. */
  #openChecked(): void {
    const problem = existsSync(this.path) ? quickCheck(this.path) : null;
    if (problem) {
      this.#damage = this.#replaceDamaged(problem);
      return;
    }
    const db = this.#connect({});
    try {
      prepareSchema(db);
    } catch (error) {
      db.close();
      if (!isCorruption(error)) throw error;
      this.#damage = this.#replaceDamaged((error as Error).message);
      return;
    }
    this.#db = db;
  }

  /** Compares the store with the lock file's history marker (see store-lock.ts). */
  #checkHistory(): void {
    const lock = this.#lock;
    const db = this.#db;
    if (!lock || !db) return;
    const marked = lock.bansSince();
    const first = (db.prepare("SELECT min(banned_at) AS first FROM bans").get() as { first: number | null }).first;
    // a damaged store replaced at open is reported as such, with what was kept: not a second time as emptied
    if (first === null && marked !== null && !this.#damage) {
      this.#emptiedSince = marked;
      // said once (by the guard, loudly); the new store builds its own history from here
      lock.setBansSince(null);
    } else if (first !== marked) {
      lock.setBansSince(first);
    }
    this.#bansSince = first ?? null;
  }

  /** Runs a query; damage found on the way replaces the store and the query runs once more on the new one. */
  #run<T>(work: (db: Database.Database) => T): T {
    const db = this.#db;
    if (!db) throw new Error(`the guard's store '${this.path}' is not open`);
    try {
      return work(db);
    } catch (error) {
      if (!isCorruption(error) || this.#mode !== "guard") throw error;
      this.#replaceDamaged((error as Error).message);
      const fresh = this.#db as Database.Database | null;
      if (!fresh) throw error;
      return work(fresh);
    }
  }

  #statement(db: Database.Database, sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Keeps what can still be read, moves the damaged file aside, starts a new store with what was kept, and
   * tells the owner (onDamage). When even that fails the guard cannot go on (onFailure).
   */
  #replaceDamaged(problem: string): StoreDamage {
    const now = this.#options.clock?.() ?? Date.now();
    let kept: Salvage = { bans: [], meta: [], events: [], unreadable: ["everything"] };
    try {
      const old = this.#db ?? new Database(this.path, { readonly: true, fileMustExist: true });
      kept = salvage(old, now - SALVAGE_EVENTS_MS);
    } catch {
      // not even openable: nothing to keep
    }
    this.#statements.clear();
    if (this.#db?.open) this.#db.close();
    this.#db = null;
    let damage: StoreDamage;
    try {
      const movedTo = moveAside(this.path, new Date(now));
      const db = this.#connect({});
      prepareSchema(db);
      this.#db = db;
      this.#inode = statSync(this.path).ino;
      restoreInto(db, kept);
      damage = {
        path: this.path,
        movedTo,
        problem,
        kept: { bans: kept.bans.length, positions: kept.meta.length, failures: kept.events.length },
        unreadable: kept.unreadable,
      };
    } catch (error) {
      const failure = new Error(
        `the guard's store '${this.path}' is damaged (${problem}) and could not be replaced: ${(error as Error).message}`,
      );
      this.#options.onFailure?.(failure);
      throw failure;
    }
    this.#options.onDamage?.(damage);
    return damage;
  }
}
