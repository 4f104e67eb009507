import { spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { IpBansFileBackend } from "../../src/guard/backends/ip-bans-file.js";
import { haTimestamp } from "../../src/guard/backends/ip-bans-text.js";

const dir = mkdtempSync(join(tmpdir(), "hassguard-ipbans-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const recorded = new URL("../fixtures/guard/ip_bans.yaml", import.meta.url).pathname;

describe("ip_bans.yaml backend", () => {
  it("writes Home Assistant's exact format next to the entries Home Assistant wrote", async () => {
    const path = join(dir, "ip_bans.yaml");
    copyFileSync(recorded, path);
    chmodSync(path, 0o600);
    const backend = new IpBansFileBackend(path);
    await backend.start();
    await backend.ban("203.0.113.5", Date.now() + 1000);
    await backend.ban("2001:db8::5", Date.now() + 1000);
    const text = readFileSync(path, "utf8");
    // the recorded entry stays byte for byte, ours look like Home Assistant's appends
    expect(text.startsWith(readFileSync(recorded, "utf8"))).toBe(true);
    expect(text).toMatch(/\n203\.0\.113\.5:\n {2}banned_at: '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00'\n/);
    const data = parse(text);
    expect(Object.keys(data)).toEqual(["127.0.0.1", "203.0.113.5", "2001:db8::5"]);
    expect(data["127.0.0.1"].banned_at).toBe("2026-11-23T17:18:43.365613+00:00");
    expect(statSync(path).mode & 0o777).toBe(0o600);

    await backend.ban("203.0.113.5", Date.now() + 1000); // idempotent: no second entry
    await backend.unban("2001:db8::5");
    await backend.unban("198.51.100.1"); // not there: fine
    expect(await backend.list()).toEqual(["127.0.0.1", "203.0.113.5"]);
    // atomic writes leave no temporary files behind
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("holds a link-local address with its zone, and says it cannot hold a /64 instead of writing one", async () => {
    const path = join(dir, "zones.yaml");
    const backend = new IpBansFileBackend(path);
    await backend.start();
    await backend.ban("fe80::1%eth0", Date.now() + 1000);
    // Home Assistant writes str(IPv6Address('fe80::1%eth0')) and compares the zone too
    expect(readFileSync(path, "utf8")).toMatch(/^\n'fe80::1%eth0':\n {2}banned_at: '/);
    expect(await backend.list()).toEqual(["fe80::1%eth0"]);
    expect(backend.limitation("fe80::1%eth0")).toBeNull();
    expect(backend.limitation("2001:db8:1:2::/64")).toMatch(/not in ip_bans\.yaml, which holds single addresses/);
    await backend.ban("2001:db8:1:2::/64", Date.now() + 1000);
    expect(await backend.list()).toEqual(["fe80::1%eth0"]);
    await backend.unban("2001:db8:1:2::/64");
    await backend.unban("fe80::1%eth0");
    expect(await backend.list()).toEqual([]);
    // nothing but a canonical address reaches the file
    await expect(backend.ban("fe80::1%eth0\n'x': 1", Date.now())).rejects.toThrow(/non-canonical/);
  });

  it("loses nothing when many bans arrive at once", async () => {
    const path = join(dir, "burst.yaml");
    const backend = new IpBansFileBackend(path);
    await Promise.all(Array.from({ length: 40 }, (_, i) => backend.ban(`198.51.100.${i + 1}`, Date.now() + 1000)));
    expect((await backend.list()).length).toBe(40);
  });

  it("formats time like Python's isoformat of an aware UTC datetime", () => {
    expect(haTimestamp(Date.UTC(2026, 10, 23, 17, 18, 43, 365))).toBe("2026-11-23T17:18:43.365000+00:00");
  });

  it("never overwrites a file it cannot read as YAML", async () => {
    const path = join(dir, "broken.yaml");
    writeFileSync(path, "127.0.0.1:\n  banned_at: [unclosed\n");
    const backend = new IpBansFileBackend(path);
    await expect(backend.ban("203.0.113.9", Date.now())).rejects.toThrow();
    expect(readFileSync(path, "utf8")).toBe("127.0.0.1:\n  banned_at: [unclosed\n");
  });

  it("does not lose what Home Assistant appends while the guard writes", async () => {
    const path = join(dir, "shared.yaml");
    writeFileSync(path, "");
    // another process appends the way Home Assistant does (http/ban.py: "\n" + yaml.dump(...)), every ~5 ms
    const script = `const fs=require("fs");let i=0;const t=setInterval(()=>{i++;fs.appendFileSync(${JSON.stringify(path)},"\\n203.0.113."+i+":\\n  banned_at: '2026-11-23T17:18:43.365613+00:00'\\n");if(i===200){clearInterval(t)}},5)`;
    const appender = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
    const done = new Promise((resolve) => appender.once("exit", resolve));
    const backend = new IpBansFileBackend(path);
    for (let i = 1; i <= 40; i++) await backend.ban(`2001:db8::${i.toString(16)}`, Date.now() + 1000);
    // an unban rewrites the file: it must not drop the appends either
    for (let i = 1; i <= 10; i++) await backend.unban(`2001:db8::${i.toString(16)}`);
    await done;
    const listed = await backend.list();
    expect(listed.filter((a) => a.startsWith("2001:db8::")).length).toBe(30);
    expect(listed.filter((a) => a.startsWith("203.0.113.")).length).toBe(200);
  });
});
