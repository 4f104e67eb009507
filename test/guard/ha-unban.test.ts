import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GuardBus } from "../../src/guard/bus.js";
import {
  describeHomeAssistantUnban,
  HomeAssistantBans,
  HomeAssistantUnban,
  type HomeAssistantUnbanReport,
} from "../../src/guard/ha-unban.js";
import { type HomeAssistantStandIn, type ServiceCall, startHomeAssistantStandIn } from "./ha-services-standin.js";

let standIn: HomeAssistantStandIn;
let calls: ServiceCall[];
let base = "";
beforeAll(async () => {
  standIn = await startHomeAssistantStandIn();
  calls = standIn.calls;
  base = standIn.old.replace(/\/old$/, "");
});
afterAll(() => standIn.close());

const dir = mkdtempSync(join(tmpdir(), "hassguard-ha-unban-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A configuration folder holding the ip_bans.yaml the real 2023.11.3 wrote when it banned 127.0.0.1. */
function configWithHomeAssistantsBan(name: string): string {
  const path = join(dir, `${name}.yaml`);
  copyFileSync(new URL("../fixtures/guard/ip_bans.yaml", import.meta.url), path);
  return path;
}

describe("lifting Home Assistant's own ban", () => {
  it("2023.11.3 (no http.unban): the entry leaves ip_bans.yaml, and the owner is told plainly that a restart is needed", async () => {
    calls.splice(0);
    const path = configWithHomeAssistantsBan("old");
    const bans = new HomeAssistantBans({ ipBansPath: path, api: { url: `${base}/old`, token: "tok" } });
    const report = await bans.lift("127.0.0.1");
    expect(report).toEqual({
      address: "127.0.0.1",
      file: { path, outcome: "removed", bannedAt: "2026-11-23T17:18:43.365613+00:00" },
      service: { outcome: "not-available" },
      restart: "not-asked",
      keepsBanUntilRestart: true,
    });
    expect(readFileSync(path, "utf8")).toBe("");
    // the services were looked up with the token; nothing was called, nothing restarted
    expect(calls.map((c) => `${c.method} ${c.path} ${c.authorization}`)).toEqual(["GET /api/services Bearer tok"]);
    const text = describeHomeAssistantUnban(report).join("\n");
    expect(text).toContain(`removed 127.0.0.1 from ${path} (banned there since 2026-11-23T17:18:43.365613+00:00)`);
    expect(text).toContain("may keep refusing 127.0.0.1 (HTTP 403) until it restarts");
    expect(text).toContain("this Home Assistant has no http.unban service");
    expect(text).toContain("--restart-ha");
  });

  it("restarts Home Assistant only when asked and only when it would keep the ban", async () => {
    calls.splice(0);
    const bans = new HomeAssistantBans({
      ipBansPath: configWithHomeAssistantsBan("restart"),
      api: { url: `${base}/old`, token: "tok" },
    });
    const report = await bans.lift("127.0.0.1", { restart: true });
    expect(report.restart).toBe("restarting");
    expect(report.keepsBanUntilRestart).toBe(false);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      "GET /api/services",
      "POST /api/services/homeassistant/restart",
    ]);
    // not listed (any more): nothing to restart for, even when asked
    calls.splice(0);
    const again = await bans.lift("127.0.0.1", { restart: true });
    expect(again).toMatchObject({
      file: { outcome: "not-listed" },
      restart: "not-needed",
      keepsBanUntilRestart: false,
    });
    expect(calls.some((c) => c.path.endsWith("/restart"))).toBe(false);
  });

  it("an instance with http.unban lifts its ban at once: no restart", async () => {
    calls.splice(0);
    const bans = new HomeAssistantBans({
      ipBansPath: configWithHomeAssistantsBan("new"),
      api: { url: `${base}/new`, token: "tok" },
    });
    const report = await bans.lift("127.0.0.1", { restart: true });
    expect(report).toMatchObject({
      service: { outcome: "lifted" },
      restart: "not-needed",
      keepsBanUntilRestart: false,
    });
    expect(calls.map((c) => `${c.method} ${c.path} ${c.body}`)).toEqual([
      "GET /api/services ",
      'POST /api/services/http/unban {"ip_address":"127.0.0.1"}',
    ]);
    expect(describeHomeAssistantUnban(report).join("\n")).toContain("lifted its ban of 127.0.0.1 at once (http.unban)");
  });

  it("says what it could not check: no token, no ip_bans.yaml known, a file it cannot read", async () => {
    const unknown = await new HomeAssistantBans({ ipBansPath: null, api: null }).lift("203.0.113.9");
    expect(unknown).toMatchObject({
      file: { outcome: "no-path" },
      service: { outcome: "no-api" },
      keepsBanUntilRestart: true,
    });
    const text = describeHomeAssistantUnban(unknown).join("\n");
    expect(text).toContain("its ip_bans.yaml was not checked");
    expect(text).toContain("without Home Assistant's URL and token");

    // beside the log is only a guess: used when the file is there
    const folder = mkdtempSync(join(dir, "config-"));
    const guessed = join(folder, "ip_bans.yaml");
    const none = await new HomeAssistantBans({ ipBansPath: null, guessedPath: guessed, api: null }).lift("127.0.0.1");
    expect(none.file?.outcome).toBe("no-path");
    copyFileSync(new URL("../fixtures/guard/ip_bans.yaml", import.meta.url), guessed);
    const found = await new HomeAssistantBans({ ipBansPath: null, guessedPath: guessed, api: null }).lift("127.0.0.1");
    expect(found.file).toMatchObject({ path: guessed, outcome: "removed" });

    const broken = join(dir, "broken.yaml");
    writeFileSync(broken, "127.0.0.1:\n  banned_at: [unclosed\n");
    const failed = await new HomeAssistantBans({ ipBansPath: broken, api: null }).lift("127.0.0.1");
    expect(failed.file).toMatchObject({ outcome: "failed", error: expect.stringContaining("not valid YAML") });
    expect(readFileSync(broken, "utf8")).toBe("127.0.0.1:\n  banned_at: [unclosed\n");
  });

  it("on a ban's expiry, lifts Home Assistant's in-memory copy where it can and reports it as an event", async () => {
    calls.splice(0);
    const bus = new GuardBus();
    const reports: HomeAssistantUnbanReport[] = [];
    bus.on(reports, "ha-unban", (report) => reports.push(report));
    const part = new HomeAssistantUnban(
      bus,
      new HomeAssistantBans({ ipBansPath: null, api: { url: `${base}/new`, token: "tok" } }),
    );
    await part.start();
    bus.emit("unban", { address: "203.0.113.30", reason: "expired" });
    // the owner's own unbans are done by the control channel, not here
    bus.emit("unban", { address: "203.0.113.31", reason: "command" });
    await part.settle();
    expect(reports).toEqual([
      {
        address: "203.0.113.30",
        file: null,
        service: { outcome: "lifted" },
        restart: "not-needed",
        keepsBanUntilRestart: false,
      },
    ]);
    expect(calls.filter((c) => c.method === "POST").map((c) => c.body)).toEqual(['{"ip_address":"203.0.113.30"}']);
    await part.stop();
  });
});
