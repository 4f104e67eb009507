import { chmodSync, symlinkSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SourceError } from "../../../src/model/errors.js";
import { get, getPath, type YNode, type YScalar } from "../../../src/model/yaml-node.js";
import { loadConfig } from "../../../src/sources/config/index.js";
import { makeTree, removeTree } from "../../helpers/tree.js";

const roots: string[] = [];
function tree(files: Record<string, string | Buffer>): string {
  const root = makeTree(files);
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) removeTree(root);
});

function scalar(node: YNode | undefined): YScalar {
  if (node?.kind !== "scalar") throw new Error(`expected a scalar, got ${node?.kind}`);
  return node;
}
function messages(errors: SourceError[]): string[] {
  return errors.map((e) => `${e.file ?? ""}:${e.line ?? ""} ${e.message}`);
}

describe("Home Assistant YAML tags", () => {
  it("resolves !include relative to the including file and keeps each value's own file, line and column", async () => {
    const root = tree({
      "configuration.yaml": "homeassistant:\n  name: Home\nmqtt: !include conf/mqtt.yaml\n",
      "conf/mqtt.yaml": "broker: core-mosquitto\nextra: !include more/x.yaml\n",
      "conf/more/x.yaml": "  deep: 1\n",
    });
    const { facts, errors } = await loadConfig(root);
    expect(errors).toEqual([]);
    const broker = scalar(getPath(facts.configuration, "mqtt", "broker"));
    expect(broker.value).toBe("core-mosquitto");
    expect(broker.pos).toEqual({ file: "conf/mqtt.yaml", line: 1, column: 9 });
    expect(scalar(getPath(facts.configuration, "mqtt", "extra", "deep")).pos).toEqual({
      file: "conf/more/x.yaml",
      line: 1,
      column: 9,
    });
    expect(facts.loadedFiles).toEqual(["configuration.yaml", "conf/mqtt.yaml", "conf/more/x.yaml"].sort());
  });

  it("looks a !secret up from the using file's folder upward, nearest first, and records missing ones", async () => {
    const root = tree({
      "configuration.yaml": "a: !secret shared\nb: !secret only_below\nsub: !include sub/x.yaml\n",
      "secrets.yaml": "shared: top-value\n",
      "sub/secrets.yaml": "shared: sub-value\nonly_below: below\n",
      "sub/x.yaml": "c: !secret shared\nd: !secret only_below\n",
    });
    const { facts } = await loadConfig(root);
    const c = facts.configuration;
    expect(scalar(get(c, "a")).value).toBe("top-value");
    expect(scalar(get(c, "a")).origin).toEqual({
      kind: "secret",
      name: "shared",
      definedAt: { file: "secrets.yaml", line: 1, column: 9 },
    });
    // secrets in a subfolder are invisible from the root file, as in Home Assistant
    expect(scalar(get(c, "b")).value).toBeNull();
    expect(scalar(getPath(c, "sub", "c")).value).toBe("sub-value");
    expect(scalar(getPath(c, "sub", "d")).value).toBe("below");
    const missing = facts.secretReferences.filter((r) => !r.found);
    expect(missing).toEqual([
      { name: "only_below", pos: { file: "configuration.yaml", line: 2, column: 12 }, found: false },
    ]);
    expect(facts.secrets.map((s) => `${s.pos.file}:${s.name}`).sort()).toEqual([
      "secrets.yaml:shared",
      "sub/secrets.yaml:only_below",
      "sub/secrets.yaml:shared",
    ]);
  });

  it("reads !env_var from the environment, else its default words, and marks !input", async () => {
    const root = tree({
      "configuration.yaml":
        "a: !env_var HG_SET\nb: !env_var HG_UNSET some default\nc: !env_var HG_UNSET\nd: !input who\n",
    });
    const { facts } = await loadConfig(root, { HG_SET: "from-env" });
    const c = facts.configuration;
    expect(scalar(get(c, "a"))).toMatchObject({ value: "from-env", origin: { kind: "env", usedDefault: false } });
    expect(scalar(get(c, "b"))).toMatchObject({ value: "some default", origin: { kind: "env", usedDefault: true } });
    expect(scalar(get(c, "c")).value).toBeNull();
    expect(scalar(get(c, "d")).origin).toEqual({ kind: "input", name: "who" });
  });

  it("implements the four !include_dir_* tags with Home Assistant's file rules", async () => {
    const root = tree({
      "configuration.yaml":
        "named: !include_dir_named d\nlist: !include_dir_list d\nmlist: !include_dir_merge_list l\nmnamed: !include_dir_merge_named m\n",
      "d/b.yaml": "value: b\n",
      "d/a.yaml": "value: a\n",
      "d/sub/c.yaml": "value: c\n",
      "d/.hidden.yaml": "value: hidden\n",
      "d/.hiddendir/e.yaml": "value: e\n",
      "d/secrets.yaml": "value: secret\n",
      "d/notes.txt": "not yaml\n",
      "l/1.yaml": "- one\n- two\n",
      "l/2.yaml": "- three\n",
      "l/3.yaml": "not: a list\n",
      "m/1.yaml": "x: 1\ny: 1\n",
      "m/2.yaml": "y: 2\n",
    });
    const { facts } = await loadConfig(root);
    const c = facts.configuration;
    const named = get(c, "named");
    expect(named?.kind === "map" && named.entries.map((e) => e.key)).toEqual(["a", "b", "c"]);
    const list = get(c, "list");
    expect(list?.kind === "seq" && list.items.map((i) => scalar(get(i, "value")).value)).toEqual(["a", "b", "c"]);
    const mlist = get(c, "mlist");
    expect(mlist?.kind === "seq" && mlist.items.map((i) => scalar(i).value)).toEqual(["one", "two", "three"]);
    expect(scalar(getPath(c, "mnamed", "y")).value).toBe(2);
    expect(scalar(getPath(c, "mnamed", "x")).pos.file).toBe("m/1.yaml");
  });

  it("collects packages from homeassistant: packages", async () => {
    const root = tree({
      "configuration.yaml": "homeassistant:\n  packages: !include_dir_named packages\n",
      "packages/garage.yaml": "cover:\n  - platform: template\n",
      "packages/alarm.yaml": "alarm_control_panel: {}\n",
    });
    const { facts } = await loadConfig(root);
    expect(facts.packages.map((p) => p.name)).toEqual(["alarm", "garage"]);
  });

  it("supports anchors, aliases and merge keys; explicit keys beat merged ones", async () => {
    const root = tree({
      "configuration.yaml": "base: &b\n  host: one\n  port: 1\nuse:\n  <<: *b\n  port: 2\ncopy: *b\n",
    });
    const { facts, errors } = await loadConfig(root);
    expect(errors).toEqual([]);
    expect(scalar(getPath(facts.configuration, "use", "host")).value).toBe("one");
    expect(scalar(getPath(facts.configuration, "use", "port")).value).toBe(2);
    expect(scalar(getPath(facts.configuration, "copy", "port")).value).toBe(1);
  });

  it("reads YAML 1.1 booleans as PyYAML does", async () => {
    const root = tree({ "configuration.yaml": "http:\n  ip_ban_enabled: off\n  use_x_forwarded_for: yes\n" });
    const { facts } = await loadConfig(root);
    expect(scalar(getPath(facts.configuration, "http", "ip_ban_enabled")).value).toBe(false);
    expect(scalar(getPath(facts.configuration, "http", "use_x_forwarded_for")).value).toBe(true);
  });
});

describe("hostile or broken input: a clear error, and the rest goes on", () => {
  it("reports invalid YAML with file and line, and still loads the other files", async () => {
    const root = tree({
      "configuration.yaml": "good: !include good.yaml\nbad: !include bad.yaml\n",
      "good.yaml": "x: 1\n",
      "bad.yaml": "a: 1\nb: [unclosed\nc: 3\n",
    });
    const { facts, errors } = await loadConfig(root);
    expect(scalar(getPath(facts.configuration, "good", "x")).value).toBe(1);
    expect(errors.some((e) => e.file === "bad.yaml" && e.line !== undefined && /invalid YAML/.test(e.message))).toBe(
      true,
    );
  });

  it("names both lines of a duplicate key and keeps the last value", async () => {
    const root = tree({ "configuration.yaml": "http:\n  a: 1\n  a: 2\n" });
    const { facts, errors } = await loadConfig(root);
    expect(messages(errors)).toEqual([
      'configuration.yaml:3 duplicate key "a" (lines 2 and 3); Home Assistant uses the last one',
    ]);
    expect(scalar(getPath(facts.configuration, "http", "a")).value).toBe(2);
  });

  it("stops an include cycle and names the chain", async () => {
    const root = tree({
      "configuration.yaml": "a: !include a.yaml\nafter: ok\n",
      "a.yaml": "b: !include b.yaml\n",
      "b.yaml": "a: !include a.yaml\n",
    });
    const { facts, errors } = await loadConfig(root);
    expect(messages(errors)).toContain("b.yaml:1 include cycle: a.yaml → b.yaml → a.yaml");
    expect(scalar(get(facts.configuration, "after")).value).toBe("ok");
  });

  it("bounds an alias bomb instead of expanding it", async () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(",")}]`);
    }
    const root = tree({ "configuration.yaml": `${levels.join("\n")}\nafter: ok\n` });
    const started = Date.now();
    const { facts, errors } = await loadConfig(root);
    expect(Date.now() - started).toBeLessThan(20_000); // a bound, not a benchmark: unbounded would never end
    expect(errors.some((e) => /alias expansion stopped/.test(e.message) && e.file === "configuration.yaml")).toBe(true);
    expect(scalar(get(facts.configuration, "after")).value).toBe("ok");
  });

  it("does not follow a symlink that leaves the configuration directory, in includes or in the inventory", async () => {
    const outside = tree({ "private.yaml": "password: leaked-secret-value\n" });
    const root = tree({ "configuration.yaml": "x: !include link.yaml\ny: 1\n" });
    symlinkSync(path.join(outside, "private.yaml"), path.join(root, "link.yaml"));
    symlinkSync(outside, path.join(root, "www"));
    const { facts, errors } = await loadConfig(root);
    expect(errors.some((e) => e.line === 1 && /leaves the configuration directory/.test(e.message))).toBe(true);
    expect(errors.some((e) => e.file === "www" && /symlink leaves the configuration directory/.test(e.message))).toBe(
      true,
    );
    expect(scalar(get(facts.configuration, "x")).value).toBeNull();
    expect(JSON.stringify([...facts.texts.values()])).not.toContain("leaked-secret-value");
    expect(facts.files.find((f) => f.path === "www")?.type).toBe("symlink");
  });

  it("refuses an include that climbs out with ../", async () => {
    const outside = tree({ "x.yaml": "a: 1\n" });
    const root = tree({ "configuration.yaml": `x: !include ../${path.basename(outside)}/x.yaml\n` });
    const { errors } = await loadConfig(root);
    expect(errors.some((e) => /leaves the configuration directory/.test(e.message))).toBe(true);
  });

  it("skips files over the size limit, binary files and non-UTF-8 files, each with its own reason", async () => {
    const root = tree({
      "configuration.yaml": "big: !include big.yaml\nbin: !include bin.yaml\nlatin: !include latin.yaml\nok: 1\n",
      "big.yaml": `x: "${"a".repeat(9 * 1024 * 1024)}"\n`,
      "bin.yaml": Buffer.from([0x78, 0x3a, 0x00, 0x01, 0x02]),
      "latin.yaml": Buffer.from("name: caf\xe9\n", "latin1"),
    });
    const { facts, errors } = await loadConfig(root);
    expect(messages(errors)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^big\.yaml: file too large/),
        expect.stringMatching(/^bin\.yaml: binary file where YAML was expected/),
        expect.stringMatching(/^latin\.yaml: not valid UTF-8/),
      ]),
    );
    expect(scalar(get(facts.configuration, "ok")).value).toBe(1);
  });

  it("reports a folder where a file was expected, and a missing include", async () => {
    const root = tree({ "configuration.yaml": "a: !include folder\nb: !include missing.yaml\n", "folder/x.yaml": "" });
    const { errors } = await loadConfig(root);
    expect(messages(errors)).toEqual(
      expect.arrayContaining([
        "configuration.yaml:1 folder is not a file",
        "configuration.yaml:2 included file missing.yaml does not exist",
      ]),
    );
  });

  it("keeps listing when a folder cannot be read", async () => {
    const root = tree({ "configuration.yaml": "a: 1\n", "locked/x.txt": "x" });
    chmodSync(path.join(root, "locked"), 0);
    try {
      const { facts } = await loadConfig(root);
      expect(facts.configuration).toBeDefined();
      expect(facts.files.some((f) => f.path === "locked")).toBe(true);
    } finally {
      chmodSync(path.join(root, "locked"), 0o755);
    }
  });

  it("rejects a missing configuration directory with a clear message", async () => {
    await expect(loadConfig("/nonexistent/hassguard")).rejects.toThrow("configuration directory not found");
  });
});

describe("the other files of a configuration directory", () => {
  it("reads .storage/http in both formats and ip_bans.yaml with positions", async () => {
    const v2 = JSON.stringify({
      version: 2,
      key: "http",
      data: { stable: { login_attempts_threshold: 5 }, pending: null, yaml_migration_done: true },
    });
    const root = tree({
      "configuration.yaml": "http:\n  login_attempts_threshold: -1\n",
      ".storage/http": v2,
      "ip_bans.yaml": "192.0.2.10:\n  banned_at: '2026-11-23T17:00:00.123456+00:00'\n",
      ".HA_VERSION": "2023.11.3\n",
    });
    const { facts } = await loadConfig(root);
    expect(facts.httpStorage?.version).toBe(2);
    expect(facts.httpStorage?.yamlMigrationDone).toBe(true);
    expect(scalar(get(facts.httpStorage?.stable, "login_attempts_threshold")).value).toBe(5);
    expect(facts.ipBans).toEqual([
      {
        address: "192.0.2.10",
        bannedAt: "2026-11-23T17:00:00.123456+00:00",
        pos: { file: "ip_bans.yaml", line: 1, column: 1 },
      },
    ]);
    expect(facts.haVersion).toEqual({ version: "2023.11.3", file: ".HA_VERSION" });
  });

  it("keeps text of text files and the printable strings of binary files for the secret scans", async () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    const root = tree({
      "configuration.yaml": "a: 1\n",
      "esphome/door.yaml": "api:\n  encryption:\n    key: abc\n",
      "home-assistant_v2.db": Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(jwt), Buffer.from([0, 0])]),
    });
    const { facts } = await loadConfig(root);
    expect(facts.texts.get("esphome/door.yaml")).toContain("encryption");
    expect(facts.files.find((f) => f.path === "home-assistant_v2.db")?.content).toBe("binary");
    expect(facts.binaryStrings.get("home-assistant_v2.db")).toContain(jwt);
  });
});
