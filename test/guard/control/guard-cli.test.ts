import { execFile } from "node:child_process";
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateGuardConfig } from "../../../src/guard/config.js";
import { Guard } from "../../../src/guard/guard.js";
import { type HomeAssistantStandIn, startHomeAssistantStandIn } from "../ha-services-standin.js";
import { failLine, waitFor } from "../helpers.js";

/**
 * `guard unban`, `guard bans` and `guard status` as the owner runs them, against a guard running in this
 * process (asynchronous child processes, so it can answer) or none. The configuration folder holds the
 * ip_bans.yaml a real Home Assistant 2023.11.3 wrote when it banned 127.0.0.1 itself, and the guard has no
 * ip-bans backend: the case, where Home Assistant went on answering 403 after `guard unban`.
 */
const run = promisify(execFile);
const root = new URL("../../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "hassguard-guard-cli-"));
let ha: HomeAssistantStandIn;
beforeAll(async () => {
  ha = await startHomeAssistantStandIn();
});
afterAll(async () => {
  await ha.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], token?: string): Promise<Outcome> {
  const env = { ...process.env, ...(token ? { HASSGUARD_GUARD_HA_TOKEN: token } : {}) };
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      cwd: root,
      env,
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A Home Assistant configuration folder: its log, and its own ban of 127.0.0.1 in ip_bans.yaml. */
function configFolder(name: string): { folder: string; log: string; ipBans: string; store: string } {
  const folder = join(dir, name);
  mkdirSync(folder);
  const log = join(folder, "home-assistant.log");
  writeFileSync(log, "");
  const ipBans = join(folder, "ip_bans.yaml");
  copyFileSync(new URL("../../fixtures/guard/ip_bans.yaml", import.meta.url), ipBans);
  return { folder, log, ipBans, store: join(folder, "guard.sqlite") };
}

describe("guard unban restores access", () => {
  it("without a running guard: Home Assistant's own ban leaves ip_bans.yaml, and the owner is told a restart is needed", async () => {
    const { log, ipBans, store } = configFolder("offline");
    const flags = ["--store", store, "--log", log, "--ha-url", ha.old];
    const unban = await cli(["guard", "unban", "127.0.0.1", ...flags], "tok");
    expect(unban.stderr).toContain(`no guard is running (no control socket at ${join(dir, "offline", "guard.sock")})`);
    expect(unban.stdout).toContain("127.0.0.1 was not banned by the guard (no guard running)");
    expect(unban.stdout).toContain(
      `removed 127.0.0.1 from ${ipBans} (banned there since 2026-11-23T17:18:43.365613+00:00)`,
    );
    expect(unban.stdout).toContain("this Home Assistant has no http.unban service");
    expect(unban.stdout).toContain("run the unban again with --restart-ha");
    expect(unban.code).toBe(1);
    expect(readFileSync(ipBans, "utf8")).toBe("");
    // nothing restarted without being asked
    expect(ha.calls.some((call) => call.path.endsWith("/restart"))).toBe(false);
  });

  it("--restart-ha restarts Home Assistant when it would keep the ban, and needs a token", async () => {
    const { log, store } = configFolder("restart");
    const noToken = await cli(["guard", "unban", "127.0.0.1", "--store", store, "--log", log, "--restart-ha"]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("--restart-ha needs Home Assistant's URL (--ha-url) and token");
    ha.calls.splice(0);
    const flags = ["--store", store, "--log", log, "--ha-url", ha.old, "--restart-ha"];
    const unban = await cli(["guard", "unban", "127.0.0.1", ...flags], "tok");
    expect(unban.stdout).toContain("Home Assistant is restarting (--restart-ha): it comes back without the ban.");
    expect(unban.code).toBe(0);
    expect(ha.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      "GET /api/services",
      "POST /api/services/homeassistant/restart",
    ]);
  });

  it("with a running guard: the request goes through its control channel, which lifts both bans at once", async () => {
    const { log, ipBans, store } = configFolder("online");
    const config = validateGuardConfig(
      {
        source: "file",
        log,
        store,
        maxRetry: 3,
        backends: ["dry-run"],
        notify: { homeAssistant: { url: ha.new, token: "tok" } },
      },
      "test",
    );
    const guard = new Guard(config);
    await guard.start();
    try {
      appendFileSync(log, `${failLine("203.0.113.77")}\n`.repeat(3));
      await waitFor(() => guard.bans.active.length === 1, 5000, "the guard's ban");
      // Home Assistant banned it too, on its own threshold (its append, http/ban.py)
      appendFileSync(ipBans, "\n203.0.113.77:\n  banned_at: '2026-11-23T18:00:00.000000+00:00'\n");

      const status = await cli(["guard", "status", "--store", store, "--format", "json"]);
      expect(JSON.parse(status.stdout)).toMatchObject({ running: true, pid: process.pid, activeBans: 1 });

      const bans = JSON.parse((await cli(["guard", "bans", "--store", store, "--format", "json"])).stdout);
      expect(bans.from).toBe("running guard");
      expect(bans.bans).toEqual([
        {
          address: "203.0.113.77",
          reason: "3 wrong passwords or MFA codes within 600 s",
          failures: 3,
          kind: "password",
          offence: 1,
          bannedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          expired: false,
          backends: ["dry-run"],
        },
      ]);

      ha.calls.splice(0);
      const unban = await cli(["guard", "unban", "203.0.113.77", "--store", store, "--format", "json"]);
      expect(unban.code).toBe(0);
      const result = JSON.parse(unban.stdout);
      expect(result).toMatchObject({
        via: "by the running guard",
        address: "203.0.113.77",
        wasBanned: true,
        backends: [{ backend: "dry-run", ok: true }],
        homeAssistant: {
          file: { path: ipBans, outcome: "removed", bannedAt: "2026-11-23T18:00:00.000000+00:00" },
          service: { outcome: "lifted" },
          keepsBanUntilRestart: false,
        },
      });
      // done when the command returns: no polling anywhere
      expect(guard.bans.active).toEqual([]);
      expect(readFileSync(ipBans, "utf8")).not.toContain("203.0.113.77");
      // Home Assistant's own ban of 127.0.0.1 is still there: an unban lifts one address only
      expect(readFileSync(ipBans, "utf8")).toContain("127.0.0.1:");
      expect(ha.calls.filter((call) => call.method === "POST").map((call) => call.body)).toEqual([
        '{"ip_address":"203.0.113.77"}',
      ]);
    } finally {
      await guard.stop();
    }
  });
});

describe("unbans nobody typed", () => {
  it("the MQTT 'unban all' button restores every address, and warns that Home Assistant keeps its ban", async () => {
    const { log, ipBans, store } = configFolder("button");
    const config = validateGuardConfig({ source: "file", log, store, maxRetry: 2, backends: ["dry-run"] }, "test");
    const guard = new Guard(config);
    const warnings: string[] = [];
    guard.bus.on(warnings, "warning", ({ message }) => warnings.push(message));
    await guard.start();
    try {
      appendFileSync(log, `${failLine("203.0.113.80")}\n${failLine("203.0.113.81")}\n`.repeat(2));
      await waitFor(() => guard.bans.active.length === 2, 5000, "two bans");
      // Home Assistant banned one of them as well
      appendFileSync(ipBans, "\n203.0.113.81:\n  banned_at: '2026-11-23T18:00:00.000000+00:00'\n");
      guard.bus.emit("unban-request", { address: "all" });
      await waitFor(() => warnings.some((m) => m.includes("until it restarts")), 5000, "the outcome");
      expect(guard.bans.active).toEqual([]);
      expect(readFileSync(ipBans, "utf8")).not.toContain("203.0.113.81");
      // only the address Home Assistant had in its file: it has no ban of the other to keep
      expect(warnings.filter((m) => m.includes("until it restarts"))).toEqual([
        expect.stringMatching(/^Home Assistant may keep refusing 203\.0\.113\.81 \(HTTP 403\) until it restarts/),
      ]);
    } finally {
      await guard.stop();
    }
  });

  it("a ban of the ip-bans backend that expired while the guard was stopped leaves Home Assistant's memory too", async () => {
    const { log, ipBans, store } = configFolder("expired");
    const config = validateGuardConfig(
      {
        source: "file",
        log,
        store,
        maxRetry: 2,
        banTime: 1,
        backends: [`ip-bans=${ipBans}`],
        notify: { homeAssistant: { url: ha.new, token: "tok" } },
      },
      "test",
    );
    const first = new Guard(config);
    await first.start();
    appendFileSync(log, `${failLine("198.51.100.44")}\n`.repeat(2));
    await waitFor(() => first.bans.active.length === 1, 5000, "the ban");
    await first.bans.settle();
    const until = first.bans.active[0]?.until ?? 0;
    await first.stop();
    await waitFor(() => Date.now() > until, 3000, "the expiry to pass");
    ha.calls.splice(0);
    const second = new Guard(config);
    const reports: unknown[] = [];
    second.bus.on(reports, "ha-unban", (report) => reports.push(report));
    await second.start();
    try {
      await waitFor(() => reports.length === 1, 5000, "Home Assistant's side of the expiry");
      expect(reports[0]).toMatchObject({ address: "198.51.100.44", service: { outcome: "lifted" } });
      expect(ha.calls.filter((call) => call.method === "POST").map((call) => call.body)).toEqual([
        '{"ip_address":"198.51.100.44"}',
      ]);
      expect(readFileSync(ipBans, "utf8")).not.toContain("198.51.100.44");
    } finally {
      await second.stop();
    }
  });
});

describe("guard bans and guard status without a running guard", () => {
  it("lists the store's bans with where they are held, expired ones marked; status says no guard runs", async () => {
    const { log, ipBans, store } = configFolder("store");
    const config = validateGuardConfig(
      { source: "file", log, store, maxRetry: 2, backends: [`ip-bans=${ipBans}`], banTime: 1 },
      "test",
    );
    const guard = new Guard(config);
    await guard.start();
    appendFileSync(log, `${failLine("198.51.100.7")}\n`.repeat(2));
    await waitFor(() => guard.bans.active.length === 1, 5000, "the ban");
    await guard.bans.settle();
    // stopped before the ban expires: it stays in the store and in ip_bans.yaml (src/guard/README.md)
    await guard.stop();
    await waitFor(() => Date.now() > (guard.bans.active[0]?.until ?? 0), 3000, "the expiry to pass");

    const listed = await cli(["guard", "bans", "--store", store, "--backend", `ip-bans=${ipBans}`, "--format", "json"]);
    expect(listed.stderr).toContain("no guard is running");
    const body = JSON.parse(listed.stdout);
    expect(body.from).toBe("store");
    expect(body.bans).toEqual([
      expect.objectContaining({
        address: "198.51.100.7",
        failures: 2,
        kind: "password",
        expired: true,
        backends: [`ip_bans.yaml (${ipBans})`],
      }),
    ]);
    const text = await cli(["guard", "bans", "--store", store, "--backend", `ip-bans=${ipBans}`]);
    expect(text.stdout).toContain("198.51.100.7  until ");
    expect(text.stdout).toContain("(expired; lifted when the guard runs again, or with guard unban)");

    const status = await cli(["guard", "status", "--store", store]);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain(`no guard is running (no control socket at ${join(dir, "store", "guard.sock")})`);

    const missing = await cli(["guard", "bans", "--store", join(dir, "nothing-here.sqlite")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no guard store at");
  });
});
