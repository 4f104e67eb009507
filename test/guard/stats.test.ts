import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GuardBus, type GuardStats } from "../../src/guard/bus.js";
import type { FailedLogin } from "../../src/guard/events.js";
import { StatsKeeper } from "../../src/guard/stats.js";
import { GuardStore, lineKey } from "../../src/guard/store.js";

const dir = mkdtempSync(join(tmpdir(), "hassguard-stats-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const failure = (address: string): FailedLogin => ({
  type: "failure",
  address,
  host: null,
  url: "/auth/login_flow/x",
  userAgent: null,
  kind: "password",
  time: null,
});

describe("stats for the owner (MQTT sensors)", () => {
  it("counts the last 24 h, active bans, the last attacker and 'under attack'", async () => {
    let now = Date.UTC(2026, 10, 23, 12);
    const store = GuardStore.open(join(dir, "stats.sqlite"), "edit");
    // one old failure (25 h ago) that must not count
    store.recordFailure(lineKey("old", "a line"), failure("192.0.2.1"), now - 25 * 3600_000);
    const bus = new GuardBus();
    const published: GuardStats[] = [];
    bus.on({}, "stats", (stats) => published.push(stats));
    const stats = new StatsKeeper(bus, store, () => now);
    await stats.start();
    expect(published.at(-1)).toEqual({ failures24h: 0, activeBans: 0, lastAttacker: "192.0.2.1", underAttack: false });

    for (let i = 0; i < 3; i++) {
      store.recordFailure(lineKey(`l${i}`, "a line"), failure("203.0.113.8"), now);
      bus.emit("failure", { failure: failure("203.0.113.8"), at: now });
    }
    const ban = {
      address: "203.0.113.8",
      bannedAt: now,
      until: now + 3600_000,
      failures: 3,
      kind: "password" as const,
      offence: 1,
    };
    store.addBan(ban);
    bus.emit("ban", ban);
    expect(published.at(-1)).toEqual({ failures24h: 3, activeBans: 1, lastAttacker: "203.0.113.8", underAttack: true });
    const count = published.length;
    stats.publish(); // nothing changed: nothing published
    expect(published.length).toBe(count);

    now += 16 * 60_000; // the attack is over after 15 quiet minutes
    stats.publish();
    expect(published.at(-1)?.underAttack).toBe(false);
    await stats.stop();
    store.close();
  });
});
