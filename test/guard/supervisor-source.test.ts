import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GuardBus } from "../../src/guard/bus.js";
import { validateGuardConfig } from "../../src/guard/config.js";
import { Guard } from "../../src/guard/guard.js";
import { parseLine } from "../../src/guard/parser.js";
import { storeBookmark } from "../../src/guard/sources/bookmark.js";
import { SupervisorSource } from "../../src/guard/sources/supervisor-source.js";
import { GuardStore } from "../../src/guard/store.js";
import { failLine, waitFor } from "./helpers.js";
import { SupervisorStandIn } from "./supervisor-standin.js";

const dir = mkdtempSync(join(tmpdir(), "hassguard-supervisor-"));
const standIn = new SupervisorStandIn();
beforeAll(() => standIn.start());
afterAll(async () => {
  await standIn.stop();
  rmSync(dir, { recursive: true, force: true });
});

let running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const part of running.reverse()) await part.stop();
  running = [];
  standIn.breakStreams();
});

/** Each test writes its own addresses' lines, so the shared stand-in journal never confuses them. */
let clock = 0;
const line = (address: string) =>
  failLine(address, "/auth/login_flow/x", "ua", `2026-11-23 17:30:${String(clock++ % 60).padStart(2, "0")}.000`);

function follow(store: GuardStore) {
  const bus = new GuardBus();
  const addresses: string[] = [];
  const ids: string[] = [];
  const warnings: string[] = [];
  bus.on({}, "line", ({ text, id }) => {
    const event = parseLine(text);
    if (event?.type === "failure") {
      addresses.push(event.address);
      ids.push(id ?? "");
    }
  });
  bus.on({}, "warning", ({ message }) => warnings.push(message));
  const source = new SupervisorSource(bus, {
    url: standIn.url,
    token: standIn.token,
    bookmark: storeBookmark(store, "supervisor-position"),
    reconnectDelaysMs: [20],
  });
  running.push(source);
  return { source, addresses, ids, warnings };
}

const openStore = (name: string) => {
  const store = GuardStore.open(join(dir, name), "edit");
  running.unshift({ stop: async () => store.close() });
  return store;
};

/** gatewayd's Range grammar: a cursor, a skip and a count (anything else is a 400 from the real Supervisor). */
const GATEWAYD_RANGE = /^entries=[^:]*:-?\d+:\d+$/;

describe("Supervisor log source", () => {
  it("starts at the end, follows, and resumes after a break by cursor, reading nothing twice", async () => {
    for (let i = 1; i <= 3; i++) standIn.append(line(`198.51.100.${i}`));
    const from = standIn.requests.length;
    const { source, addresses } = follow(openStore("follow.sqlite"));
    await source.start();
    await waitFor(() => standIn.openStreams === 1, 3000, "the stream");
    standIn.append(line("203.0.113.1"));
    standIn.append(line("203.0.113.2"));
    await waitFor(() => addresses.length === 2, 3000, "two lines");
    // the stream breaks; a line is written while we are away
    standIn.breakStreams();
    standIn.append(line("203.0.113.3"));
    await waitFor(() => addresses.length === 3, 5000, "the line written during the break");
    standIn.append(line("203.0.113.4"));
    await waitFor(() => addresses.length === 4, 3000, "the line after the reconnect");
    // the three lines that were there before the guard started are not counted
    expect(addresses).toEqual(["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"]);
    const requests = standIn.requests.slice(from);
    expect(requests[0]).toMatchObject({ path: "/core/logs", range: "entries=:-1:2" });
    expect(requests.slice(1).map((r) => r.path)).toEqual(["/core/logs/follow", "/core/logs/follow"]);
    for (const request of requests) expect(request.range).toMatch(GATEWAYD_RANGE);
    expect(source.connections).toBe(3);
  });

  it("a long stream resumes by skipping ahead and checking the overlap; a message of several lines falls back to the anchor", async () => {
    const from = standIn.requests.length;
    const { source, addresses } = follow(openStore("overlap.sqlite"));
    await source.start();
    await waitFor(() => standIn.openStreams === 1, 3000, "the stream");
    for (let i = 1; i <= 20; i++) standIn.append(line(`192.0.2.${i}`));
    await waitFor(() => addresses.length === 20, 3000, "twenty lines");
    standIn.breakStreams();
    standIn.append(line("192.0.2.21"));
    await waitFor(() => addresses.length === 21, 5000, "the line after the first break");
    // a traceback-like entry: one journal entry, three lines of text
    standIn.append(`${line("192.0.2.22")}\nTraceback (most recent call last):\n  File "x.py"`);
    for (let i = 23; i <= 40; i++) standIn.append(line(`192.0.2.${i}`));
    await waitFor(() => addresses.length === 40, 3000, "forty lines");
    standIn.breakStreams();
    standIn.append(line("192.0.2.41"));
    await waitFor(() => addresses.length === 41, 5000, "the line after the second break");
    expect(addresses).toEqual(Array.from({ length: 41 }, (_, i) => `192.0.2.${i + 1}`));
    const follows = standIn.requests.slice(from).filter((r) => r.path === "/core/logs/follow");
    const skips = follows.map((r) => Number(/^entries=[^:]+:(\d+):/.exec(r.range ?? "")?.[1]));
    // first follow from the anchor; after the first break it skips ahead (the overlap matched); after the
    // second the skip lands past the traceback's extra lines, the overlap does not match, and it asks again
    // from the anchor
    expect(skips[0]).toBe(0);
    expect(skips[1]).toBeGreaterThan(0);
    expect(skips.at(-1)).toBe(0);
    expect(skips.length).toBe(4);
  });

  it("a guard on the Supervisor counts two identical lines in a row twice, and after a restart reads once what came meanwhile", async () => {
    const store = join(dir, "guard.sqlite");
    const config = validateGuardConfig(
      { source: "supervisor", supervisorUrl: standIn.url, store, maxRetry: 3, backends: ["dry-run"] },
      "test",
    );
    const env = { SUPERVISOR_TOKEN: standIn.token };
    const same = line("203.0.113.50");
    const first = new Guard(config, { env });
    running.push(first);
    await first.start();
    await waitFor(() => standIn.openStreams === 1, 3000, "the stream");
    standIn.append(same);
    standIn.append(same);
    standIn.append(line("198.51.100.200"));
    await waitFor(() => first.stats.current().failures24h === 3, 5000, "three failures");
    await first.stop();
    running = running.filter((part) => part !== first);

    // written while the guard is stopped: the same text once more (it must count), then a marker
    standIn.append(same);
    standIn.append(line("198.51.100.201"));
    const second = new Guard(config, { env });
    running.push(second);
    await second.start();
    await waitFor(() => second.bans.active.length === 1, 5000, "the ban after the restart");
    await waitFor(() => second.stats.current().failures24h === 5, 5000, "the marker line");
    await second.stop();
    running = running.filter((part) => part !== second);
    const db = new Database(store, { readonly: true });
    const counts = db.prepare("SELECT address, count(*) AS n FROM events GROUP BY address ORDER BY address").all();
    db.close();
    expect(counts).toEqual([
      { address: "198.51.100.200", n: 1 },
      { address: "198.51.100.201", n: 1 },
      { address: "203.0.113.50", n: 3 },
    ]);
  });

  it("when the journal no longer holds the place it stopped (vacuumed), it says so and follows from the end", async () => {
    const store = openStore("vacuum.sqlite");
    const first = follow(store);
    await first.source.start();
    await waitFor(() => standIn.openStreams === 1, 3000, "the stream");
    standIn.append(line("203.0.113.60"));
    await waitFor(() => first.addresses.length === 1, 3000, "the line");
    await first.source.stop();
    for (let i = 0; i < 5; i++) standIn.append(line("203.0.113.61"));
    standIn.vacuum(2);
    const second = follow(store);
    await second.source.start();
    await waitFor(() => second.warnings.some((w) => w.includes("no longer holds")), 5000, "the warning");
    await waitFor(() => standIn.openStreams === 1, 3000, "the new stream");
    standIn.append(line("203.0.113.62"));
    await waitFor(() => second.addresses.includes("203.0.113.62"), 3000, "the new line");
    expect(second.addresses).toEqual(["203.0.113.62"]);
  });

  it("a wrong token is this part's start error, not a guard that watches nothing", async () => {
    const bus = new GuardBus();
    const source = new SupervisorSource(bus, { url: standIn.url, token: "wrong", reconnectDelaysMs: [20] });
    await expect(source.start()).rejects.toThrow(/HTTP 401/);
    await source.stop();
  });
});
