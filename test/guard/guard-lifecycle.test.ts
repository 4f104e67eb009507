import { execFile } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { validateGuardConfig } from "../../src/guard/config.js";
import { Guard, GuardStartError } from "../../src/guard/guard.js";
import { GuardStore } from "../../src/guard/store.js";
import { failLine, type GuardProcess, startGuardProcess, waitFor } from "./helpers.js";
import { corruptMiddlePage, storeWithHistory, webhookReceiver } from "./store-fixtures.js";

/**
 * Issue 8: a guard without its store, detector, log source or any ban backend must not pretend to run; a
 * damaged store is moved aside and replaced, loudly; an emptied store is noticed; one guard per store.
 */
const root = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "hassguard-lifecycle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const processes: GuardProcess[] = [];
const guards: Guard[] = [];
afterEach(async () => {
  for (const running of processes.splice(0)) {
    running.child.kill("SIGKILL");
    await running.exited;
  }
  for (const guard of guards.splice(0)) await guard.stop();
});

let count = 0;
function folder(): string {
  const path = join(dir, `case-${++count}`);
  mkdirSync(path);
  writeFileSync(join(path, "home-assistant.log"), "");
  return path;
}

/** A folder with an empty log, and a guard banning into its ip_bans.yaml after 2 failures and notifying `hook`. */
function notifyingCase(hook: string) {
  const path = folder();
  const store = join(path, "guard.sqlite");
  const log = join(path, "home-assistant.log");
  const ipBans = join(path, "ip_bans.yaml");
  const config = validateGuardConfig(
    { source: "file", log, store, maxRetry: 2, backends: [`ip-bans=${ipBans}`], notify: { webhook: { url: hook } } },
    "test",
  );
  return { path, store, log, ipBans, config };
}

const cli = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  promisify(execFile)(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: root,
    timeout: 30_000,
    env,
  }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );

const readBans = (path: string) =>
  existsSync(path)
    ? (readFileSync(path, "utf8").match(/^'?[0-9a-f:.]+'?:$/gm) ?? []).map((k) => k.replace(/['"]|:$/g, ""))
    : [];

describe("a guard that cannot protect does not run", { timeout: 90_000 }, () => {
  /** Exit 2, never "watching", and the reason as the one line of the error. */
  async function refuses(args: string[], reason: RegExp, env?: NodeJS.ProcessEnv): Promise<void> {
    const result = await cli(["guard", ...args], env);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain("watching");
    const errors = result.stderr.split("\n").filter((line) => line.startsWith("hassguard: "));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(reason);
  }

  it("no log source: --source supervisor without SUPERVISOR_TOKEN", async () => {
    const path = folder();
    const env = { ...process.env };
    delete env.SUPERVISOR_TOKEN;
    await refuses(
      ["--source", "supervisor", "--store", join(path, "guard.sqlite")],
      /^hassguard: the guard cannot run: supervisor source: it needs SUPERVISOR_TOKEN/,
      env,
    );
  });

  it("no log source: a log file in a folder that does not exist", async () => {
    const path = folder();
    await refuses(
      ["--source", "file", "--log", join(path, "nowhere", "home-assistant.log"), "--store", join(path, "guard.sqlite")],
      /^hassguard: the guard cannot run: file source: the folder '.*nowhere' of the log .* does not exist/,
    );
  });

  it("no log source: a journal without a single entry (no journal here)", async () => {
    const path = folder();
    mkdirSync(join(path, "journal"));
    const config = validateGuardConfig(
      { source: "journal", journalArgs: ["--directory", join(path, "journal")], store: join(path, "guard.sqlite") },
      "test",
    );
    await expect(new Guard(config).start()).rejects.toThrow(
      /^the guard cannot run: journal source: journalctl: it finds no journal here/,
    );
  });

  it("no ban backend that started (and dry-run was not chosen)", async () => {
    const path = folder();
    await refuses(
      [
        "--log",
        join(path, "home-assistant.log"),
        "--store",
        join(path, "guard.sqlite"),
        "--backend",
        `ip-bans=${join(path, "missing", "ip_bans.yaml")}`,
      ],
      /^hassguard: the guard cannot run: ban manager: no ban backend could start \(ip_bans\.yaml/,
    );
  });

  it("no detector: a store whose tables are not the guard's", async () => {
    const path = folder();
    const store = join(path, "guard.sqlite");
    const foreign = new Database(store);
    foreign.exec(
      "CREATE TABLE bans (id INTEGER PRIMARY KEY, address TEXT, banned_at INTEGER, until INTEGER, lifted_at INTEGER)",
    );
    foreign.close();
    await refuses(
      ["--log", join(path, "home-assistant.log"), "--store", store],
      /^hassguard: the guard cannot run: detection: .*offence/,
    );
  });

  it("no store: its folder does not exist — and the Guard's constructor touched nothing", async () => {
    const path = folder();
    const store = join(path, "missing", "guard.sqlite");
    const config = validateGuardConfig({ source: "file", log: join(path, "home-assistant.log"), store }, "test");
    const guard = new Guard(config);
    expect(existsSync(join(path, "missing"))).toBe(false);
    const started = guard.start();
    await expect(started).rejects.toBeInstanceOf(GuardStartError);
    await expect(started).rejects.toThrow(
      /the guard cannot run: store: cannot open the guard's store .* does not exist/,
    );
    await refuses(
      ["--log", join(path, "home-assistant.log"), "--store", store],
      /store: cannot open the guard's store/,
    );
  });
});

describe("one guard per store", { timeout: 90_000 }, () => {
  it("a second guard on the same store refuses with one line and exit 2, while readers still read", async () => {
    const path = folder();
    const store = join(path, "guard.sqlite");
    const args = ["--log", join(path, "home-assistant.log"), "--store", store];
    const first = await startGuardProcess(args);
    processes.push(first);
    const second = await cli(["guard", ...args]);
    expect(second.code).toBe(2);
    expect(second.stderr).not.toContain("watching");
    expect(second.stderr).toMatch(
      /^hassguard: the guard cannot run: store: another guard is already running on the store '.*guard\.sqlite'/m,
    );
    // the lock never blocks a reader
    const bans = await cli(["guard", "bans", "--store", store, "--format", "json"]);
    expect(bans.code).toBe(0);
    expect(JSON.parse(bans.stdout)).toMatchObject({ bans: [], total: 0 });
    // and it is the kernel's: a killed guard leaves no stale lock
    first.child.kill("SIGKILL");
    await first.exited;
    const third = await startGuardProcess(args);
    processes.push(third);
    third.child.kill("SIGTERM");
    expect(await third.exited).toBe(0);
  });
});

describe("a damaged store", { timeout: 90_000 }, () => {
  it("garbage in a middle page: moved aside with its -wal, said on stderr and by notification, and the guard still bans", async () => {
    const path = folder();
    const store = join(path, "guard.sqlite");
    const ipBans = join(path, "ip_bans.yaml");
    storeWithHistory(store, join(path, "scratch.sqlite"), 3000, "203.0.113.9");
    corruptMiddlePage(store);
    const hook = await webhookReceiver();
    try {
      const log = join(path, "home-assistant.log");
      const guard = await startGuardProcess([
        "--log",
        log,
        "--store",
        store,
        "--max-retry",
        "2",
        "--backend",
        `ip-bans=${ipBans}`,
        "--webhook",
        hook.url,
      ]);
      processes.push(guard);
      expect(guard.stderr()).toMatch(
        /ALERT: the guard's store was damaged and replaced: The store .*guard\.sqlite is damaged \(.+\)\. It was moved to .*guard\.sqlite\.damaged-/,
      );
      const aside = readdirSync(path).filter((name) => name.startsWith("guard.sqlite.damaged-"));
      expect(aside.sort()).toEqual([
        expect.stringMatching(/Z$/),
        expect.stringMatching(/-shm$/),
        expect.stringMatching(/-wal$/),
      ]);
      // what could be read was kept: the active ban (it was in the -wal) is still the guard's
      expect(guard.stderr()).toContain("1 ban,");
      const bans = await cli(["guard", "bans", "--store", store, "--format", "json"]);
      expect(JSON.parse(bans.stdout).bans.map((ban: { address: string }) => ban.address)).toEqual(["203.0.113.9"]);
      await waitFor(() => hook.bodies.some((body) => body.event === "alert"), 10_000, "the owner's notification");
      expect(String(hook.bodies.find((body) => body.event === "alert")?.message)).toContain("moved to");
      // not blind: failed logins still end in a ban
      appendFileSync(log, `${failLine("198.51.100.77")}\n`.repeat(2));
      await waitFor(() => readBans(ipBans).includes("198.51.100.77"), 10_000, "the ban");
      guard.child.kill("SIGTERM");
      expect(await guard.exited).toBe(0);
    } finally {
      await hook.close();
    }
  });

  it("damage found while the guard runs: replaced, said, and the guard goes on", async () => {
    const hook = await webhookReceiver();
    const { path, store, log, ipBans, config } = notifyingCase(hook.url);
    storeWithHistory(store, join(path, "scratch.sqlite"), 3000, "203.0.113.10");
    try {
      const said: string[] = [];
      const guard = new Guard(config, { say: (message) => said.push(message), storeCheckMs: 100 });
      guards.push(guard);
      const alerts: string[] = [];
      guard.bus.on(alerts, "alert", ({ title }) => alerts.push(title));
      await guard.start();
      expect(alerts).toEqual([]);
      corruptMiddlePage(store);
      await waitFor(() => alerts.length === 1, 10_000, "the alert");
      expect(alerts).toEqual(["the guard's store was damaged and replaced"]);
      expect(said.some((line) => line.startsWith("ALERT: the guard's store was damaged and replaced"))).toBe(true);
      await waitFor(() => hook.bodies.some((body) => body.event === "alert"), 10_000, "the owner's notification");
      expect(readdirSync(path).some((name) => name.startsWith("guard.sqlite.damaged-"))).toBe(true);
      expect(guard.store.unliftedBans().map((ban) => ban.address)).toEqual(["203.0.113.10"]);
      appendFileSync(log, `${failLine("198.51.100.78")}\n`.repeat(2));
      await waitFor(() => readBans(ipBans).includes("198.51.100.78"), 10_000, "the ban");
      const outcome = await Promise.race([guard.failure, Promise.resolve("still running")]);
      expect(outcome).toBe("still running");
    } finally {
      await hook.close();
    }
  });
});

describe("an emptied store", () => {
  it.each([
    ["deleted", (store: string) => rmSync(store)],
    [
      "replaced with a new, empty store",
      (store: string) => {
        rmSync(store);
        GuardStore.open(store, "edit").close();
      },
    ],
  ])(
    "%s while bans were in force: said loudly and by notification, with what the backends still hold",
    async (_how, empty) => {
      const hook = await webhookReceiver();
      const { store, log, ipBans, config } = notifyingCase(hook.url);
      try {
        const first = new Guard(config);
        guards.push(first);
        await first.start();
        appendFileSync(log, `${failLine("198.51.100.90")}\n`.repeat(2));
        await waitFor(() => readBans(ipBans).includes("198.51.100.90"), 10_000, "the ban");
        await first.stop();
        guards.splice(guards.indexOf(first), 1);
        for (const suffix of ["-wal", "-shm"]) rmSync(`${store}${suffix}`, { force: true });
        empty(store);

        const said: string[] = [];
        const second = new Guard(config, { say: (message) => said.push(message) });
        guards.push(second);
        await second.start();
        const alert = said.find((line) => line.startsWith("ALERT: the guard's store was emptied"));
        expect(alert).toMatch(/it had bans before \(the first on \d{4}-/);
        expect(alert).toContain("holds 1 address it does not know: 198.51.100.90");
        await waitFor(() => hook.bodies.some((body) => body.event === "alert"), 10_000, "the owner's notification");
        await second.stop();
        guards.splice(guards.indexOf(second), 1);
        // said once: the next start of the (new) store is quiet
        const quiet: string[] = [];
        const third = new Guard(config, { say: (message) => quiet.push(message) });
        guards.push(third);
        await third.start();
        expect(quiet.filter((line) => line.startsWith("ALERT"))).toEqual([]);
      } finally {
        await hook.close();
      }
    },
  );
});

describe("a store deleted or replaced while the guard runs", () => {
  it.each([
    ["deleted", (store: string) => rmSync(store)],
    [
      "replaced by another file",
      (store: string) => {
        const other = `${store}.new`;
        GuardStore.open(other, "edit").close();
        renameSync(other, store);
      },
    ],
  ])("%s: the guard writes its own copy back and says so", async (how, remove) => {
    const hook = await webhookReceiver();
    const { path, store, log, ipBans, config } = notifyingCase(hook.url);
    try {
      const said: string[] = [];
      const guard = new Guard(config, { say: (message) => said.push(message), storeCheckMs: 100 });
      guards.push(guard);
      await guard.start();
      appendFileSync(log, `${failLine("198.51.100.95")}\n`.repeat(2));
      await waitFor(() => readBans(ipBans).includes("198.51.100.95"), 10_000, "the ban");
      remove(store);
      await waitFor(
        () => said.some((line) => line.startsWith("ALERT: the guard's store was deleted or replaced")),
        10_000,
        "the alert",
      );
      await waitFor(() => hook.bodies.some((body) => body.event === "alert"), 10_000, "the owner's notification");
      // readers see what the guard holds again, and what it does from now on
      appendFileSync(log, `${failLine("198.51.100.96")}\n`.repeat(2));
      await waitFor(() => readBans(ipBans).includes("198.51.100.96"), 10_000, "the next ban");
      const reader = GuardStore.open(store, "read");
      expect(
        reader
          .unliftedBans()
          .map((ban) => ban.address)
          .sort(),
      ).toEqual(["198.51.100.95", "198.51.100.96"]);
      reader.close();
      // the file found there is kept aside (with whatever -wal/-shm SQLite left for the old connection)
      const movedAside = readdirSync(path).filter((name) => /^guard\.sqlite\.replaced-[^-]+-.*Z$/.test(name));
      expect(movedAside.length).toBe(how === "deleted" ? 0 : 1);
    } finally {
      await hook.close();
    }
  });
});
