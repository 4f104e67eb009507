import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GuardStore, type StoreDamage } from "../../src/guard/store.js";
import { corruptMiddlePage, storeWithHistory } from "./store-fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "hassguard-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the guard's store", () => {
  it("damage met by a query while running: the store is replaced and the query answered from the new one", async () => {
    const path = join(dir, "runtime.sqlite");
    storeWithHistory(path, join(dir, "runtime-scratch.sqlite"), 3000, "203.0.113.20");
    const damages: StoreDamage[] = [];
    const failures: Error[] = [];
    const store = new GuardStore(path, {
      checkEveryMs: 0,
      onDamage: (damage) => damages.push(damage),
      onFailure: (error) => failures.push(error),
    });
    await store.start();
    try {
      // the running connection has not read the failed logins yet: the scan below meets the damaged page on disk
      corruptMiddlePage(path);
      expect(() => store.failuresSince(0)).not.toThrow();
      expect(damages).toHaveLength(1);
      expect(damages[0]?.problem).toMatch(/malformed|corrupt/i);
      expect(damages[0]?.kept.bans).toBe(1);
      expect(existsSync(damages[0]?.movedTo ?? "")).toBe(true);
      // the new store holds what was kept, and takes new writes
      expect(store.unliftedBans().map((ban) => ban.address)).toEqual(["203.0.113.20"]);
      expect(store.getMeta("file-position:/nowhere.log")).toBe("1:0");
      expect(failures).toEqual([]);
    } finally {
      await store.stop();
    }
  });

  it("a lock file that is not a database is started again; the store's readers need no lock", async () => {
    const path = join(dir, "lock.sqlite");
    writeFileSync(`${path}.lock`, "not a database, a truncated copy of one");
    const store = new GuardStore(path, { checkEveryMs: 0 });
    await store.start();
    const reader = GuardStore.open(path, "read");
    expect(reader.activeBans(Date.now())).toEqual([]);
    reader.close();
    const second = new GuardStore(path, { checkEveryMs: 0 });
    await expect(second.start()).rejects.toThrow(/another guard is already running on the store/);
    await store.stop();
    await second.start();
    await second.stop();
    expect(readdirSync(dir).filter((name) => name.startsWith("lock.sqlite"))).toContain("lock.sqlite.lock");
  });

  it("a reader of a store that does not exist says so instead of creating one", () => {
    const path = join(dir, "none.sqlite");
    expect(() => GuardStore.open(path, "read")).toThrow(/no guard store at/);
    expect(existsSync(path)).toBe(false);
  });
});
