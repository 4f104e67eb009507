import { randomBytes } from "node:crypto";
import { closeSync, copyFileSync, existsSync, openSync, writeSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";
import type { FailedLogin } from "../../src/guard/events.js";
import { GuardStore, lineKey } from "../../src/guard/store.js";

/** Stores with a history, damaged the way disks and crashes damage them, for the guard's store tests. */

export const failure = (address: string): FailedLogin => ({
  type: "failure",
  address,
  host: null,
  url: "/auth/login_flow/x",
  userAgent: "test",
  kind: "password",
  time: null,
});

/**
 * Writes a store at `target` as a running guard leaves it: `events` failed logins checkpointed into the main
 * file, then an active ban of `bannedAddress` and a log position that are still only in the -wal (copied
 * while the connection was open, as after a crash).
 */
export function storeWithHistory(target: string, scratch: string, events: number, bannedAddress: string): void {
  const store = GuardStore.open(scratch, "edit");
  const raw = new Database(scratch);
  raw.pragma("wal_autocheckpoint = 0");
  const now = Date.now();
  for (let i = 0; i < events; i++) {
    store.recordFailure(lineKey(`fixture:${i}`, "line"), failure(`192.0.2.${i % 250}`), now - 3600_000);
  }
  raw.pragma("wal_checkpoint(TRUNCATE)");
  store.addBan({
    address: bannedAddress,
    bannedAt: now,
    until: now + 3600_000,
    failures: 5,
    kind: "password",
    offence: 1,
  });
  store.setMeta("file-position:/nowhere.log", "1:0");
  copyFileSync(scratch, target);
  for (const suffix of ["-wal", "-shm"]) {
    if (existsSync(`${scratch}${suffix}`)) copyFileSync(`${scratch}${suffix}`, `${target}${suffix}`);
  }
  raw.close();
  store.close();
}

/** Overwrites a leaf page in the middle of `table` with random bytes; returns its page number. */
export function corruptMiddlePage(path: string, table = "events"): number {
  const db = new Database(path, { readonly: true });
  const pages = db
    .prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno")
    .all(table) as { pageno: number }[];
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  db.close();
  const page = pages[Math.floor(pages.length / 2)]?.pageno;
  if (page === undefined) throw new Error(`no leaf page of ${table} in ${path}`);
  const fd = openSync(path, "r+");
  writeSync(fd, randomBytes(pageSize), 0, pageSize, (page - 1) * pageSize);
  closeSync(fd);
  return page;
}

/** A local webhook receiver: every JSON body posted to it. */
export async function webhookReceiver(): Promise<{
  url: string;
  bodies: Record<string, unknown>[];
  close(): Promise<void>;
}> {
  const bodies: Record<string, unknown>[] = [];
  const server: Server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on("end", () => {
      bodies.push(JSON.parse(text) as Record<string, unknown>);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
