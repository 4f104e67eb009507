import type Database from "better-sqlite3";
import type { BanRecord } from "./bus.js";
import type { BanRow } from "./store-damage.js";

/** The guard store's tables (store.ts), created when missing. */

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
  lift_reason TEXT,
  reason TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS bans_one_active ON bans(address) WHERE lifted_at IS NULL;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

export const toBan = (row: BanRow): StoredBan => ({
  id: row.id,
  address: row.address,
  bannedAt: row.banned_at,
  until: row.until,
  failures: row.failures,
  kind: row.kind as BanRecord["kind"],
  offence: row.offence,
  ...(row.reason === null || row.reason === undefined ? {} : { reason: row.reason }),
});

/** WAL (readers never wait for the guard), and the tables. */
export function prepareSchema(db: Database.Database): void {
  db.pragma("journal_mode = WAL");
  // NORMAL in WAL mode survives a killed process (not a power cut), and keeps inserts fast
  db.pragma("synchronous = NORMAL");
  db.exec(SCHEMA);
  // stores written before bans carried the detector's reason (a /64, what a backend cannot hold) gain the column
  const columns = db.prepare("PRAGMA table_info(bans)").all() as { name: string }[];
  if (!columns.some((column) => column.name === "reason")) db.exec("ALTER TABLE bans ADD COLUMN reason TEXT");
}
