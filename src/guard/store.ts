import { createHash, randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import type { BanRecord, UnbanReason } from "./bus.js";
import type { FailedLogin, FailureKind } from "./events.js";

/**
 * The guard's memory (SQLite, WAL): failed logins and bans. Each failure is stored under its line's source
 * identity, so a line read twice after a restart (or a kill -9 between reading and saving the position) is
 * recognised and not counted again; at most one ban per address is active (a partial unique index).
 */

export interface StoredBan extends BanRecord {
  id: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  line_key TEXT NOT NULL UNIQUE,
  at INTEGER NOT NULL,
  address TEXT NOT NULL,
  kind TEXT NOT NULL,
  url TEXT,
  user_agent TEXT,
  host TEXT
);
CREATE INDEX IF NOT EXISTS events_at ON events(at);
CREATE TABLE IF NOT EXISTS bans (
  id INTEGER PRIMARY KEY,
  address TEXT NOT NULL,
  banned_at INTEGER NOT NULL,
  until INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  kind TEXT NOT NULL,
  offence INTEGER NOT NULL,
  lifted_at INTEGER,
  lift_reason TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS bans_one_active ON bans(address) WHERE lifted_at IS NULL;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

interface BanRow {
  id: number;
  address: string;
  banned_at: number;
  until: number;
  failures: number;
  kind: string;
  offence: number;
}

const toBan = (row: BanRow): StoredBan => ({
  id: row.id,
  address: row.address,
  bannedAt: row.banned_at,
  until: row.until,
  failures: row.failures,
  kind: row.kind as BanRecord["kind"],
  offence: row.offence,
});

let unkeyed = 0;

/**
 * A line's key in the store: its source identity (file inode:offset, journal cursor) when it has one, so a
 * re-read line is recognised; a line without one (stdin) is always new.
 */
export function lineKey(id: string | undefined): string {
  if (id !== undefined) return createHash("sha1").update(id).digest("base64url");
  unkeyed++;
  return `once:${process.pid}:${Date.now()}:${unkeyed}:${randomBytes(4).toString("hex")}`;
}

export class GuardStore {
  readonly #db: Database.Database;
  readonly #insertEvent: Database.Statement;
  readonly #insertBan: Database.Statement;

  constructor(path: string) {
    try {
      this.#db = new Database(path, { timeout: 5000 });
    } catch (error) {
      throw new Error(`cannot open the guard's store '${path}': ${(error as Error).message}`);
    }
    this.#db.pragma("journal_mode = WAL");
    // NORMAL in WAL mode survives a killed process (not a power cut), and keeps inserts fast
    this.#db.pragma("synchronous = NORMAL");
    this.#db.exec(SCHEMA);
    this.#insertEvent = this.#db.prepare(
      "INSERT OR IGNORE INTO events (line_key, at, address, kind, url, user_agent, host) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.#insertBan = this.#db.prepare(
      "INSERT INTO bans (address, banned_at, until, failures, kind, offence) VALUES (?, ?, ?, ?, ?, ?)",
    );
  }

  /** Records a failure; false when this very line was recorded before (re-read after a restart). */
  recordFailure(key: string, failure: FailedLogin, at: number): boolean {
    const result = this.#insertEvent.run(
      key,
      at,
      failure.address,
      failure.kind,
      failure.url,
      failure.userAgent,
      failure.host,
    );
    return result.changes === 1;
  }

  /** Failures since `since` in time order (to rebuild the detector's windows after a restart). */
  failuresSince(since: number): { address: string; kind: FailureKind; at: number }[] {
    return this.#db.prepare("SELECT address, kind, at FROM events WHERE at >= ? ORDER BY at, id").all(since) as {
      address: string;
      kind: FailureKind;
      at: number;
    }[];
  }

  countFailuresSince(since: number): number {
    const row = this.#db.prepare("SELECT count(*) AS n FROM events WHERE at >= ?").get(since) as { n: number };
    return row.n;
  }

  /** Adds a ban unless one is active for the address already; returns whether it was added. */
  addBan(ban: BanRecord): boolean {
    try {
      this.#insertBan.run(ban.address, ban.bannedAt, ban.until, ban.failures, ban.kind, ban.offence);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") return false;
      throw error;
    }
  }

  /** Bans not lifted yet (expired ones included: the caller lifts them). */
  unliftedBans(): StoredBan[] {
    return (this.#db.prepare("SELECT * FROM bans WHERE lifted_at IS NULL ORDER BY banned_at").all() as BanRow[]).map(
      toBan,
    );
  }

  activeBans(now: number): StoredBan[] {
    return (
      this.#db.prepare("SELECT * FROM bans WHERE lifted_at IS NULL AND until > ? ORDER BY until").all(now) as BanRow[]
    ).map(toBan);
  }

  /** Per address: how many times it was banned (repeat offenders get longer bans) and when last. */
  banHistory(): Map<string, { offences: number; lastBannedAt: number }> {
    const rows = this.#db
      .prepare("SELECT address, max(offence) AS n, max(banned_at) AS last FROM bans GROUP BY address")
      .all() as { address: string; n: number; last: number }[];
    return new Map(rows.map((row) => [row.address, { offences: row.n, lastBannedAt: row.last }]));
  }

  liftBan(address: string, at: number, reason: UnbanReason): boolean {
    const result = this.#db
      .prepare("UPDATE bans SET lifted_at = ?, lift_reason = ? WHERE address = ? AND lifted_at IS NULL")
      .run(at, reason, address);
    return result.changes > 0;
  }

  lastFailureAddress(): string | null {
    const row = this.#db.prepare("SELECT address FROM events ORDER BY at DESC, id DESC LIMIT 1").get() as
      | { address: string }
      | undefined;
    return row?.address ?? null;
  }

  getMeta(key: string): string | null {
    const row = this.#db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.#db
      .prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
      .run(key, value);
  }

  /** Drops events older than `before` (the store must not grow forever). */
  prune(before: number): number {
    return this.#db.prepare("DELETE FROM events WHERE at < ?").run(before).changes;
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
