import {
  chownSync,
  copyFileSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ipBansFile } from "../../src/guard/backends/ip-bans-file.js";
import { parseIpBans, removeIpBans } from "../../src/guard/backends/ip-bans-text.js";

const dir = mkdtempSync(join(tmpdir(), "hassguard-ipbans-text-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** The file a real Home Assistant 2023.11.3 wrote when it banned 127.0.0.1 (failed-logins/ip_bans.yaml). */
const recorded = readFileSync(new URL("../fixtures/guard/ip_bans.yaml", import.meta.url), "utf8");

// Home Assistant's appends (http/ban.py: "\n" + yaml.dump({ip: {banned_at: iso}})), with an owner's comment
const shared = `${recorded}
203.0.113.5:
  banned_at: '2026-11-23T18:00:00.000000+00:00'
# the owner's note: keep this one
'2001:db8::7':
  banned_at: null

198.51.100.9:
  banned_at: '2026-11-23T18:05:00.123456+00:00'
`;

describe("removing entries from ip_bans.yaml's text", () => {
  it("cuts out exactly the entry and the blank line Home Assistant put before it, every other byte kept", () => {
    const { text, removed, byteExact } = removeIpBans(shared, new Set(["203.0.113.5"]));
    expect(byteExact).toBe(true);
    expect(removed).toEqual(new Map([["203.0.113.5", "2026-11-23T18:00:00.000000+00:00"]]));
    expect(text).toBe(shared.replace("\n203.0.113.5:\n  banned_at: '2026-11-23T18:00:00.000000+00:00'\n", ""));
    expect([...parseIpBans(text).keys()]).toEqual(["127.0.0.1", "2001:db8::7", "198.51.100.9"]);
  });

  it("removes Home Assistant's own recorded entry, leaving the file as it was before that ban", () => {
    const { text } = removeIpBans(recorded, new Set(["127.0.0.1"]));
    expect(text).toBe("");
    const both = removeIpBans(shared, new Set(["127.0.0.1", "198.51.100.9"]));
    expect(both.byteExact).toBe(true);
    expect(both.text).toBe(
      "\n203.0.113.5:\n  banned_at: '2026-11-23T18:00:00.000000+00:00'\n# the owner's note: keep this one\n'2001:db8::7':\n  banned_at: null\n",
    );
  });

  it("matches addresses however they were written, and removes every copy of a key written twice", () => {
    const text =
      "\n2001:DB8:0::7:\n  banned_at: null\n\n::ffff:192.0.2.1:\n  banned_at: null\n\n192.0.2.1:\n  banned_at: null\n";
    const result = removeIpBans(text, new Set(["2001:db8::7", "192.0.2.1"]));
    expect(result.text).toBe("");
    expect([...result.removed.keys()].sort()).toEqual(["192.0.2.1", "2001:db8::7"]);
  });

  it("renders the rest in Home Assistant's format when the entries cannot be cut out (a flow mapping)", () => {
    const flow = "{127.0.0.1: {banned_at: null}, 203.0.113.5: {banned_at: '2026-11-23T18:00:00.000000+00:00'}}\n";
    const result = removeIpBans(flow, new Set(["127.0.0.1"]));
    expect(result.byteExact).toBe(false);
    expect(result.text).toBe("\n203.0.113.5:\n  banned_at: '2026-11-23T18:00:00.000000+00:00'\n");
  });

  it("changes nothing when the address is not listed, and refuses a file that is not YAML", () => {
    expect(removeIpBans(shared, new Set(["192.0.2.99"]))).toEqual({
      text: shared,
      removed: new Map(),
      byteExact: true,
    });
    expect(() => removeIpBans("127.0.0.1:\n  banned_at: [unclosed\n", new Set(["127.0.0.1"]))).toThrow(
      /not valid YAML/,
    );
  });
});

describe("rewriting ip_bans.yaml on disk", () => {
  it("keeps the mode, the owner and a symbolic link, leaves a backup of the previous version and no temporary file", async () => {
    const target = join(dir, "real-ip_bans.yaml");
    writeFileSync(target, shared, { mode: 0o640 });
    // Home Assistant's own user owns its file: the guard (root) must not take it over
    chownSync(target, 65534, 65534);
    const link = join(dir, "ip_bans.yaml");
    symlinkSync(target, link);
    const removed = await ipBansFile(link).remove(["203.0.113.5"]);
    expect([...removed.keys()]).toEqual(["203.0.113.5"]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    const stat = statSync(target);
    expect(stat.mode & 0o777).toBe(0o640);
    expect([stat.uid, stat.gid]).toEqual([65534, 65534]);
    expect(readFileSync(join(dir, ".real-ip_bans.yaml.hassguard-backup"), "utf8")).toBe(shared);
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("does the removals asked for together in one rewrite, each caller told about its own address", async () => {
    const path = join(dir, "many.yaml");
    copyFileSync(new URL("../fixtures/guard/ip_bans.yaml", import.meta.url), path);
    const file = ipBansFile(path);
    for (let i = 1; i <= 200; i++) await file.add(`198.51.100.${i}`, Date.UTC(2026, 10, 23));
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => file.remove([`198.51.100.${i + 1}`])));
    expect(results.every((removed, i) => removed.size === 1 && removed.has(`198.51.100.${i + 1}`))).toBe(true);
    expect(readFileSync(path, "utf8")).toBe(recorded);
    // one rewrite for all 200 (they were asked for before the first rewrite began)
    expect(file.rewrites).toBe(1);
    expect(await file.remove(["198.51.100.1"])).toEqual(new Map());
  });
});
