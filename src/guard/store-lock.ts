import { rmSync } from "node:fs";
import Database from "better-sqlite3";

/**
 * One guard per store: the guard holds `<store>.lock`, a tiny SQLite file kept in EXCLUSIVE locking mode
 * (https://sqlite.org/pragma.html#pragma_locking_mode: after the first write the connection never releases
 * its exclusive file lock). The lock is the kernel's (POSIX advisory locks), so it goes away with the process,
 * even after kill -9, and a second guard gets SQLITE_BUSY at once. Readers of the store itself (`guard bans`,
 * a web console) never touch this file, so the lock does not block them.
 *
 * The lock file also remembers whether the store ever held a ban (the "history marker"): a store found empty
 * while the marker says it had bans was deleted or replaced, and the bans in force with it were lost.
 */

export class StoreLockedError extends Error {
  override name = "StoreLockedError";
}

const MARKER_BANS_SINCE = "bans-since";

export class StoreLock {
  readonly path: string;
  readonly #db: Database.Database;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.#db = db;
  }

  /** Takes the lock or throws StoreLockedError; `storePath` names the store in the message. */
  static acquire(storePath: string): StoreLock {
    const path = `${storePath}.lock`;
    try {
      return new StoreLock(path, StoreLock.#take(path, storePath));
    } catch (error) {
      if (error instanceof StoreLockedError) throw error;
      // not a database (garbage, a truncated copy): it holds nothing but the marker, so start it again
      rmSync(path, { force: true });
      rmSync(`${path}-journal`, { force: true });
      return new StoreLock(path, StoreLock.#take(path, storePath));
    }
  }

  static #take(path: string, storePath: string): Database.Database {
    const db = new Database(path, { timeout: 0 });
    try {
      db.pragma("locking_mode = EXCLUSIVE");
      db.exec("BEGIN EXCLUSIVE");
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === "SQLITE_BUSY") {
        throw new StoreLockedError(
          `another guard is already running on the store '${storePath}' (it holds '${path}'); stop it first, or give this one its own --store`,
        );
      }
      throw error;
    }
    db.exec("CREATE TABLE IF NOT EXISTS marker (key TEXT PRIMARY KEY, value TEXT NOT NULL); COMMIT");
    return db;
  }

  /** When the store first held a ban (ms since the epoch), or null if it never did. */
  bansSince(): number | null {
    const row = this.#db.prepare("SELECT value FROM marker WHERE key = ?").get(MARKER_BANS_SINCE) as
      | { value: string }
      | undefined;
    const since = row ? Number(row.value) : Number.NaN;
    return Number.isFinite(since) ? since : null;
  }

  setBansSince(since: number | null): void {
    if (since === null) this.#db.prepare("DELETE FROM marker WHERE key = ?").run(MARKER_BANS_SINCE);
    else
      this.#db
        .prepare("INSERT INTO marker (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        .run(MARKER_BANS_SINCE, String(since));
  }

  release(): void {
    if (this.#db.open) this.#db.close();
  }
}
