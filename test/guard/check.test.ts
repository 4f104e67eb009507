import { execFile } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { guardConfigJsonSchema, validateGuardConfig } from "../../src/guard/config.js";
import { Guard, pickSource } from "../../src/guard/guard.js";
import { replayFile } from "../../src/guard/replay-file.js";
import { waitFor } from "./helpers.js";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "hassguard-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixturePath = (name: string) => new URL(`../fixtures/guard/${name}`, import.meta.url).pathname;
const root = new URL("../../", import.meta.url).pathname;

const line = (time: string, address: string, url: string, agent = "python-requests/2.31") =>
  `2026-11-23 ${time} WARNING (MainThread) [homeassistant.components.http.ban] Login attempt or request with invalid authentication from ${address} (${address}). Requested URL: '${url}'. (${agent})`;

/** The recorded full run, plus an attacker, an owner's phone with a stale token and an injection attempt. */
function attackLog(): string {
  const recorded = readFileSync(fixturePath("home-assistant.log.full-run.txt"), "utf8").trimEnd().split("\n");
  const extra = [
    line("17:30:00.000", "203.0.113.50", "/auth/login_flow/aa"),
    line("17:30:05.000", "203.0.113.50", "/auth/login_flow/ab"),
    line("17:30:09.000", "2001:db8::bad", "/auth/login_flow/x", "from 198.51.100.1 (198.51.100.1)"),
    line("17:30:10.000", "203.0.113.50", "/auth/login_flow/ac"),
    line("17:30:11.000", "198.51.100.20", "/api/websocket", "Home Assistant/2024.1 (iOS)"),
    line("17:30:12.000", "198.51.100.20", "/api/websocket", "Home Assistant/2024.1 (iOS)"),
    line("17:30:13.000", "::ffff:203.0.113.60", "/auth/login_flow/m1"),
    line("17:30:14.000", "203.0.113.60", "/auth/login_flow/m2"),
    line("17:30:15.000", "::ffff:cb00:713c", "/auth/login_flow/m3"),
    "\u0000\u0000garbage \u001b[31m line",
  ];
  return `${[...recorded, ...extra].join("\n")}\n`;
}

describe("guard check", () => {
  it("replays a log and bans only what the fixed part of the lines blames", async () => {
    const path = join(dir, "attack.log");
    writeFileSync(path, attackLog());
    const config = validateGuardConfig({ maxRetry: 3, haThreshold: 3 }, "test");
    const result = await replayFile(path, config);
    expect(result.lines).toBe(40);
    expect(result.failures).toBe(13);
    expect(result.bans.map((b) => b.address)).toEqual(["203.0.113.50", "203.0.113.60"]);
    expect(result.bans[0]).toEqual({
      address: "203.0.113.50",
      failures: 3,
      bannedAt: new Date(2026, 10, 23, 17, 30, 10).toISOString(),
      scope: "address",
      reason: "3 wrong passwords or MFA codes within 600 s",
    });
    expect(result.kinds).toEqual({ password: 10, token: 3, unknown: 0 });
    expect(result.homeAssistant.banned.map((b) => b.address)).toEqual(["127.0.0.1"]);
    expect(result.homeAssistant.bannedButAllowed).toEqual(["127.0.0.1"]);
    // HA's counter never forgets: 198.51.100.20 with 2 failures is not expected, the rest are, none logged
    expect(result.homeAssistant.expected.map((e) => e.address)).toEqual(["127.0.0.1", "203.0.113.50", "203.0.113.60"]);
    expect(result.homeAssistant.missing).toEqual(["203.0.113.50", "203.0.113.60"]);
  });

  it("bans the evasions (a /64 rotation, an encoded login URL, a zoned link-local peer), as the live guard does", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) {
      lines.push(
        line(`17:40:${String(i).padStart(2, "0")}.000`, `2001:db8:1:2::${1 + Math.floor(i / 4)}`, "/auth/login_flow/r"),
      );
      lines.push(line(`17:41:${String(i).padStart(2, "0")}.000`, "203.0.113.90", "/auth/login%5Fflow/e"));
      lines.push(line(`17:42:${String(i).padStart(2, "0")}.000`, "fe80::1%eth0", "/auth/login_flow/z"));
    }
    const path = join(dir, "evasion.log");
    writeFileSync(path, `${lines.join("\n")}\n`);
    const settings = { maxRetry: 5, maxTokenRetry: 20, maxPrefixRetry: 10 };
    const replayed = await replayFile(path, validateGuardConfig(settings, "test"));
    const expected = ["2001:db8:1:2::/64", "203.0.113.90", "fe80::1%eth0"];
    expect(replayed.bans.map((b) => b.address).sort()).toEqual(expected);
    expect(replayed.bans.find((b) => b.scope === "prefix")?.reason).toContain("from 3 addresses of 2001:db8:1:2::/64");
    expect(replayed.kinds).toEqual({ password: 36, token: 0, unknown: 0 });

    // the live guard following the same lines bans the same
    const live = join(dir, "evasion-live.log");
    writeFileSync(live, "");
    const guard = new Guard(
      validateGuardConfig({ ...settings, source: "file", log: live, store: join(dir, "evasion.sqlite") }, "test"),
    );
    try {
      await guard.start();
      appendFileSync(live, `${lines.join("\n")}\n`);
      await waitFor(() => guard.bans.active.length === 3, 10_000, "three bans");
      expect(guard.bans.active.map((b) => b.address).sort()).toEqual(expected);
    } finally {
      await guard.stop();
    }
  });

  it("prints the JSON contract from the command line", async () => {
    const path = join(dir, "cli.log");
    writeFileSync(path, attackLog());
    const { stdout } = await run(
      "node",
      ["--import", "tsx", "src/cli/main.ts", "guard", "check", path, "--max-retry", "3", "--format", "json"],
      {
        cwd: root,
      },
    );
    const report = JSON.parse(stdout);
    expect(Object.keys(report).slice(0, 3)).toEqual(["lines", "failures", "bans"]);
    expect(report.bans.map((b: { address: string }) => b.address)).toEqual(["203.0.113.50", "203.0.113.60"]);
    expect(Object.keys(report.bans[0])).toEqual(["address", "failures", "bannedAt", "scope", "reason"]);
  });

  it("refuses bad settings with the path and the value, exit code 2", async () => {
    const path = join(dir, "bad.log");
    writeFileSync(path, "");
    const guardYaml = join(dir, "guard.yaml");
    writeFileSync(guardYaml, "maxRetry: five\nallow:\n  - 192.0.2.0/24\n  - not-a-network\n");
    const failure = await run(
      "node",
      ["--import", "tsx", "src/cli/main.ts", "guard", "check", path, "--config", guardYaml],
      {
        cwd: root,
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect("code" in failure && failure.code).toBe(2);
    const stderr = "stderr" in failure ? failure.stderr : "";
    expect(stderr).toContain('maxRetry: Invalid input: expected number, received string (got "five")');
    expect(stderr).toContain('allow.1: not an IP address or CIDR network (got "not-a-network")');
  });

  it("environment overrides the file and flags override the environment", async () => {
    const { resolveGuardConfig } = await import("../../src/cli/commands/guard.js");
    const guardYaml = join(dir, "layers.yaml");
    writeFileSync(guardYaml, "maxRetry: 4\nbanTime: 100\nfindTime: 50\n");
    const env = {
      HASSGUARD_GUARD_MAX_RETRY: "6",
      HASSGUARD_GUARD_BAN_TIME: "200",
      HASSGUARD_GUARD_ALLOW: "192.0.2.0/24, 2001:db8::/32",
    };
    const config = resolveGuardConfig({ config: guardYaml, banTime: "300" }, env);
    expect(config).toMatchObject({ maxRetry: 6, banTime: 300, findTime: 50, allow: ["192.0.2.0/24", "2001:db8::/32"] });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("nested settings merge key by key: a token from the environment, the URL from a flag", async () => {
    const { resolveGuardConfig } = await import("../../src/cli/commands/guard.js");
    const guardYaml = join(dir, "nested.yaml");
    writeFileSync(
      guardYaml,
      "notify:\n  homeAssistant:\n    url: http://127.0.0.1:1\n    token: from-file\n    service: notify.mobile_app_phone\n",
    );
    const config = resolveGuardConfig(
      { config: guardYaml, haUrl: "http://127.0.0.1:8123", mqtt: "mqtt://127.0.0.1:1883" },
      { HASSGUARD_GUARD_HA_TOKEN: "from-env-secret", HASSGUARD_GUARD_MQTT_PASSWORD: "mqtt-secret" },
    );
    expect(config.notify.homeAssistant).toEqual({
      url: "http://127.0.0.1:8123",
      token: "from-env-secret",
      service: "notify.mobile_app_phone",
    });
    expect(config.mqtt).toMatchObject({
      url: "mqtt://127.0.0.1:1883",
      password: "mqtt-secret",
      baseTopic: "hassguard",
    });
    // a bad value next to a secret: the error names the path, never the secret
    expect(() => resolveGuardConfig({ haUrl: "not a url" }, { HASSGUARD_GUARD_HA_TOKEN: "from-env-secret" })).toThrow(
      /notify\.homeAssistant\.url: .*\(got "not a url"\)/,
    );
    try {
      resolveGuardConfig({ mqtt: "ftp://x" }, { HASSGUARD_GUARD_MQTT_PASSWORD: "mqtt-secret" });
    } catch (error) {
      expect(String(error)).not.toContain("mqtt-secret");
    }
  });

  it("derives guard.yaml's JSON Schema from the validating schema", () => {
    const schema = guardConfigJsonSchema() as {
      properties: Record<string, { default?: unknown }>;
      additionalProperties: boolean;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.maxRetry?.default).toBe(5);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["allow", "backends", "notify", "mqtt", "store"]),
    );
  });

  it("replays stdin with `guard check -`", async () => {
    const child = run(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "guard", "check", "-", "--max-retry", "3", "--format", "json"],
      {
        cwd: root,
      },
    );
    child.child.stdin?.end(attackLog());
    const report = JSON.parse((await child).stdout);
    expect(report.lines).toBe(40);
    expect(report.bans.map((b: { address: string }) => b.address)).toEqual(["203.0.113.50", "203.0.113.60"]);
  });

  it("picks the log source: the Supervisor with its token, else the file if it exists, else the journal", () => {
    const existing = join(dir, "exists.log");
    writeFileSync(existing, "");
    const config = (log: string, source = "auto") => validateGuardConfig({ log, source }, "test");
    expect(pickSource(config(existing), { SUPERVISOR_TOKEN: "x" })).toBe("supervisor");
    expect(pickSource(config(existing), {})).toBe("file");
    expect(pickSource(config(join(dir, "missing.log")), {})).toBe("journal");
    expect(pickSource(config(existing, "stdin"), { SUPERVISOR_TOKEN: "x" })).toBe("stdin");
  });
});
