import { type ChildProcess, execFile, spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { validateGuardConfig } from "../../src/guard/config.js";
import { Guard } from "../../src/guard/guard.js";
import { failLine, waitFor } from "./helpers.js";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "hassguard-run-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  run(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: root, timeout: 20_000 });
const readBans = (path: string) =>
  (readFileSync(path, "utf8").match(/^'?[0-9a-f:.]+'?:$/gm) ?? []).map((k) => k.replace(/['"]|:$/g, ""));

describe("the running guard", () => {
  it("bans from a followed log into ip_bans.yaml; bans/unban commands see and lift it; a restart restores it", async () => {
    const log = join(dir, "home-assistant.log");
    const ipBans = join(dir, "ip_bans.yaml");
    const store = join(dir, "guard.sqlite");
    writeFileSync(log, "");
    const config = validateGuardConfig(
      { source: "file", log, store, maxRetry: 3, maxTokenRetry: 5, backends: [`ip-bans=${ipBans}`, "dry-run"] },
      "test",
    );
    const said: string[] = [];
    const guard = new Guard(config, { say: (m) => said.push(m) });
    await guard.start();
    appendFileSync(log, `${failLine("127.0.0.1")}\n`.repeat(5));
    appendFileSync(log, `${failLine("198.51.100.20", "/api/states")}\n`.repeat(3));
    appendFileSync(log, `${failLine("::ffff:203.0.113.77")}\n${failLine("203.0.113.77")}\n`);
    appendFileSync(log, `${failLine("x (198.51.100.1)", "/auth/login_flow/x", "from 198.51.100.1 (198.51.100.1)")}\n`);
    appendFileSync(log, `${failLine("203.0.113.77", "/auth/login_flow/x", "from 198.51.100.1 (198.51.100.1)")}\n`);
    await waitFor(() => guard.bans.active.length === 1, 5000, "the ban");
    await guard.bans.settle();
    expect(guard.bans.active.map((b) => b.address)).toEqual(["203.0.113.77"]);
    expect(readBans(ipBans)).toEqual(["203.0.113.77"]);

    const listed = JSON.parse((await cli("guard", "bans", "--store", store, "--format", "json")).stdout);
    expect(listed.bans).toHaveLength(1);
    expect(listed.bans[0].address).toBe("203.0.113.77");
    expect(Date.parse(listed.bans[0].expiresAt)).toBeGreaterThan(Date.now() + 3500_000);

    await guard.stop();
    // a restart restores the ban and does not duplicate it
    const again = new Guard(config, { say: (m) => said.push(m) });
    await again.start();
    expect(again.bans.active.map((b) => b.address)).toEqual(["203.0.113.77"]);

    // exit 1: without Home Assistant's URL and token the guard cannot tell whether Home Assistant still bans it
    const unban = await cli("guard", "unban", "203.0.113.77", "--store", store).catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect(unban).toMatchObject({ code: 1 });
    expect(unban.stdout).toContain("unbanned 203.0.113.77 (by the running guard)");
    expect(unban.stdout).toContain("may keep refusing 203.0.113.77 (HTTP 403) until it restarts");
    expect(readBans(ipBans)).toEqual([]);
    // the command went through the running guard's control channel: done when the command returns
    expect(again.bans.active).toEqual([]);
    await again.stop();
    const db = new Database(store, { readonly: true });
    const rows = db.prepare("SELECT address, lift_reason FROM bans").all();
    db.close();
    expect(rows).toEqual([{ address: "203.0.113.77", lift_reason: "command" }]);
  });

  it("lifts bans that expired while the guard was down", async () => {
    const store = join(dir, "expiry.sqlite");
    const ipBans = join(dir, "expiry-bans.yaml");
    const log = join(dir, "expiry.log");
    writeFileSync(log, "");
    const config = validateGuardConfig(
      { source: "file", log, store, maxRetry: 2, banTime: 1, backends: [`ip-bans=${ipBans}`] },
      "test",
    );
    const first = new Guard(config);
    await first.start();
    appendFileSync(log, `${failLine("203.0.113.90")}\n${failLine("203.0.113.90")}\n`);
    await waitFor(() => first.bans.active.length === 1, 5000, "the ban");
    await first.bans.settle();
    // stop before the 1 s expiry timer can act
    await first.stop();
    expect(readBans(ipBans)).toEqual(["203.0.113.90"]);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = new Guard(config);
    await second.start();
    expect(second.bans.active).toEqual([]);
    expect(readBans(ipBans)).toEqual([]);
    await second.stop();
  });

  it("kill -9 in the middle of a burst: nothing lost, nothing duplicated", async () => {
    const log = join(dir, "kill.log");
    const store = join(dir, "kill.sqlite");
    const ipBans = join(dir, "kill-bans.yaml");
    writeFileSync(log, "");
    const args = ["--import", "tsx", "src/cli/main.ts", "guard", "--source", "file", "--log", log, "--store", store];
    const flags = ["--max-retry", "3", "--backend", `ip-bans=${ipBans}`];
    const start = async (): Promise<ChildProcess> => {
      const child = spawn(process.execPath, [...args, ...flags], { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
      let ready = false;
      child.stderr?.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("watching")) ready = true;
      });
      await waitFor(() => ready, 15_000, "the guard to start");
      return child;
    };
    const first = await start();
    appendFileSync(log, `${failLine("203.0.113.101")}\n${failLine("203.0.113.101")}\n`);
    appendFileSync(log, `${failLine("203.0.113.102")}\n`.repeat(3));
    await waitFor(
      () => existsSync(ipBans) && readFileSync(ipBans, "utf8").includes("203.0.113.102"),
      5000,
      "the first ban",
    );
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    // written while the guard is dead: must not be lost
    appendFileSync(log, `${failLine("203.0.113.101")}\n`);
    const second = await start();
    await waitFor(
      () => readFileSync(ipBans, "utf8").includes("203.0.113.101"),
      5000,
      "the ban completed after the restart",
    );
    second.kill("SIGTERM");
    await new Promise((resolve) => second.once("exit", resolve));
    const db = new Database(store, { readonly: true });
    const bans = db.prepare("SELECT address FROM bans WHERE lifted_at IS NULL ORDER BY address").all();
    const events = db.prepare("SELECT address, count(*) AS n FROM events GROUP BY address ORDER BY address").all();
    db.close();
    expect(bans).toEqual([{ address: "203.0.113.101" }, { address: "203.0.113.102" }]);
    expect(events).toEqual([
      { address: "203.0.113.101", n: 3 },
      { address: "203.0.113.102", n: 3 },
    ]);
    expect(readBans(ipBans).sort()).toEqual(["203.0.113.101", "203.0.113.102"]);
  });

  it("reads piped lines with --source stdin and keeps the stats", async () => {
    const store = join(dir, "stdin.sqlite");
    const ipBans = join(dir, "stdin-bans.yaml");
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "src/cli/main.ts",
        "guard",
        "--source",
        "stdin",
        "--store",
        store,
        "--max-retry",
        "2",
        "--backend",
        `ip-bans=${ipBans}`,
      ],
      { cwd: root, stdio: ["pipe", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await waitFor(() => stderr.includes("watching"), 15_000, "the guard to start");
    child.stdin?.write(`${failLine("2001:db8::66")}\n\u0000garbage\n${failLine("2001:DB8:0::66")}\n`);
    await waitFor(() => existsSync(ipBans) && readFileSync(ipBans, "utf8").includes("2001:db8::66"), 5000, "the ban");
    expect(readFileSync(ipBans, "utf8")).toContain("'2001:db8::66':\n  banned_at: '");
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(stderr).toContain("ban 2001:db8::66 until");
  });

  it("lifts a ban when it expires while the guard runs", async () => {
    const log = join(dir, "live-expiry.log");
    const ipBans = join(dir, "live-expiry.yaml");
    writeFileSync(log, "");
    const config = validateGuardConfig(
      {
        source: "file",
        log,
        store: join(dir, "live-expiry.sqlite"),
        maxRetry: 2,
        banTime: 1,
        backends: [`ip-bans=${ipBans}`],
      },
      "test",
    );
    const guard = new Guard(config);
    const unbans: string[] = [];
    guard.bus.on(unbans, "unban", ({ address, reason }) => unbans.push(`${address} ${reason}`));
    await guard.start();
    appendFileSync(log, `${failLine("203.0.113.91")}\n${failLine("203.0.113.91")}\n`);
    await waitFor(() => unbans.length === 1, 5000, "the expiry");
    await guard.bans.settle();
    expect(unbans).toEqual(["203.0.113.91 expired"]);
    expect(readBans(ipBans)).toEqual([]);
    await guard.stop();
  });

  it("one failing part never takes the guard down: no firewall, no broker, the ban still lands", async () => {
    const log = join(dir, "resilient.log");
    const ipBans = join(dir, "resilient.yaml");
    writeFileSync(log, "");
    const config = validateGuardConfig(
      {
        source: "file",
        log,
        store: join(dir, "resilient.sqlite"),
        maxRetry: 2,
        backends: ["nftables", `ip-bans=${ipBans}`],
        // nothing listens on port 1 of loopback: the MQTT part cannot connect
        mqtt: { url: "mqtt://127.0.0.1:1" },
      },
      "test",
    );
    const said: string[] = [];
    const guard = new Guard(config, { say: (m) => said.push(m), nftCommand: ["/nonexistent/nft"] });
    await guard.start();
    appendFileSync(log, `${failLine("203.0.113.120")}\n${failLine("203.0.113.120")}\n`);
    await waitFor(() => existsSync(ipBans) && readBans(ipBans).includes("203.0.113.120"), 5000, "the ban");
    await guard.bans.settle();
    expect(said.some((m) => m.includes("nftables: cannot start"))).toBe(true);
    expect(said.some((m) => m.includes("nftables: cannot ban 203.0.113.120"))).toBe(true);
    await guard.stop();
  });
});
