import { afterEach, describe, expect, it } from "vitest";
import { getPath } from "../../../src/model/yaml-node.js";
import { loadConfig } from "../../../src/sources/config/index.js";
import { audit, brief, cleanTrees, writeTree } from "./audit-helper.js";

afterEach(cleanTrees);

// A home that splits its configuration into packages, `http:` among them (a real and common layout).
const MAIN = [
  "homeassistant:",
  "  name: Home",
  "  auth_providers:",
  "    - type: homeassistant",
  "    - type: trusted_networks",
  "      trusted_networks:",
  "        - 192.168.1.0/24",
  "  packages: !include_dir_named packages",
  "http:",
  "  use_x_forwarded_for: true",
  "  trusted_proxies:",
  "    - 172.30.33.0/24",
  "",
].join("\n");

describe("http: settings in homeassistant: packages (merged as Home Assistant merges them)", () => {
  it("sees a broad trusted_proxies set in a package, and the critical bypass it makes, at the package's line", async () => {
    const root = writeTree({
      "configuration.yaml": MAIN,
      "packages/network.yaml": "http:\n  trusted_proxies:\n    - 0.0.0.0/0\n",
    });
    const { findings } = await audit(root);
    const of = (id: string) => brief(findings.filter((f) => f.id === id));
    expect(of("auth/trusted-networks-with-broad-proxies")).toEqual([
      { severity: "critical", at: "configuration.yaml:5:13" },
    ]);
    expect(findings.find((f) => f.id === "auth/trusted-networks-with-broad-proxies")?.evidence).toContain("0.0.0.0/0");
    expect(of("http/broad-trusted-proxies").map((f) => f.at)).toEqual(["packages/network.yaml:3:7"]);
  });

  it("takes a login threshold set in a package as set", async () => {
    const root = writeTree({
      "configuration.yaml": "homeassistant:\n  packages:\n    security: !include security.yaml\nhttp:\n",
      "security.yaml": "http:\n  ip_ban_enabled: true\n  login_attempts_threshold: 5\n",
    });
    const { findings } = await audit(root);
    expect(findings.filter((f) => f.id === "http/login-threshold-unset")).toEqual([]);
  });

  it("reports a threshold a package turns off at the package's line", async () => {
    const root = writeTree({
      "configuration.yaml":
        "homeassistant:\n  packages:\n    security:\n      http:\n        login_attempts_threshold: -1\n",
    });
    const { findings } = await audit(root);
    expect(brief(findings.filter((f) => f.id === "http/login-threshold-unset"))).toEqual([
      { severity: "low", at: "configuration.yaml:5:35" },
    ]);
  });
});

describe("the merge rules of config.py (merge_packages_config, _recursive_merge)", () => {
  it("concatenates lists, merges mappings key by key, keeps each value's file and line", async () => {
    const root = writeTree({
      "configuration.yaml": MAIN,
      "packages/a.yaml": "http:\n  trusted_proxies: [10.0.0.1]\n  cors_allowed_origins:\n    - https://a.example\n",
      "packages/b.yaml":
        "http:\n  ssl_profile: modern\nsensor:\n  platform: time_date\nrecorder:\n  purge_keep_days: 3\n  include:\n    domains: [light]\n",
    });
    const { facts, errors } = await loadConfig(root, {});
    expect(errors).toEqual([]);
    const proxies = getPath(facts.merged, "http", "trusted_proxies");
    expect(proxies?.kind === "seq" && proxies.items.map((i) => [i.kind === "scalar" && i.value, i.pos])).toEqual([
      ["172.30.33.0/24", { file: "configuration.yaml", line: 12, column: 7 }],
      ["10.0.0.1", { file: "packages/a.yaml", line: 2, column: 21 }],
    ]);
    expect(getPath(facts.merged, "http", "ssl_profile")).toMatchObject({
      value: "modern",
      pos: { file: "packages/b.yaml" },
    });
    expect(getPath(facts.merged, "recorder", "include", "domains")).toMatchObject({ kind: "seq" });
    // an entity platform block merges as a list item
    expect(getPath(facts.merged, "sensor")).toMatchObject({ kind: "seq", items: [{ kind: "map" }] });
    // the configuration as written is left alone
    expect(getPath(facts.configuration, "http", "ssl_profile")).toBeUndefined();
  });

  it("joins mqtt: blocks as a list (its CONFIG_SCHEMA is one), each judged where it is written", async () => {
    const root = writeTree({
      "configuration.yaml":
        "homeassistant:\n  packages: !include_dir_named packages\nmqtt:\n  broker: 203.0.113.7\n  username: u\n",
      "packages/a.yaml": "mqtt:\n  broker: 198.51.100.4\n  username: a\n",
      "packages/b.yaml": "mqtt:\n  broker: 198.51.100.5\n  username: b\n",
    });
    const { facts, findings } = await audit(root);
    expect(getPath(facts.merged, "mqtt")).toMatchObject({ kind: "seq", items: [{}, {}, {}] });
    expect(brief(findings.filter((f) => f.id === "integrations/no-tls")).map((f) => f.at)).toEqual([
      "configuration.yaml:4:11",
      "packages/a.yaml:2:11",
      "packages/b.yaml:2:11",
    ]);
  });

  it("keeps the main value when a package sets it again, merges nothing after it in that block, and says so", async () => {
    const root = writeTree({
      "configuration.yaml": "homeassistant:\n  packages:\n    late: !include late.yaml\nhttp:\n  server_port: 8123\n",
      "late.yaml": "http:\n  server_port: 9000\n  login_attempts_threshold: 5\n",
    });
    const { facts, errors } = await loadConfig(root, {});
    expect(errors.map((e) => `${e.file}:${e.line} ${e.message}`)).toEqual([
      "late.yaml:2 package late: http sets server_port again; Home Assistant keeps the main configuration's value and merges nothing after it",
    ]);
    expect(getPath(facts.merged, "http", "server_port")).toMatchObject({ value: 8123 });
    expect(getPath(facts.merged, "http", "login_attempts_threshold")).toBeUndefined();
  });

  it("skips what Home Assistant skips: a package's homeassistant:, a package with a bad name or a scalar block", async () => {
    const root = writeTree({
      "configuration.yaml": "homeassistant:\n  packages: !include_dir_named packages\n",
      "packages/ok.yaml":
        "homeassistant:\n  customize: {}\n  auth_providers:\n    - type: trusted_networks\n      trusted_networks: 0.0.0.0/0\n",
      "packages/Bad-Name.yaml": "http:\n  login_attempts_threshold: 5\n",
      "packages/scalar.yaml": "http:\n  ip_ban_enabled: false\nlogger: debug\n",
    });
    const { facts, errors } = await loadConfig(root, {});
    expect(errors.map((e) => `${e.file}:${e.line} ${e.message}`).sort()).toEqual([
      "packages/Bad-Name.yaml:1 package Bad-Name is not loaded by Home Assistant: its name is not a slug (lower-case letters, digits and single underscores)",
      "packages/ok.yaml:3 homeassistant: auth_providers in package ok is ignored (a package gives only customize)",
      "packages/scalar.yaml:1 package scalar is not loaded by Home Assistant: `logger` is neither a mapping nor a list",
    ]);
    expect(getPath(facts.merged, "http")).toBeUndefined();
    expect(getPath(facts.merged, "homeassistant", "auth_providers")).toBeUndefined();
  });
});
