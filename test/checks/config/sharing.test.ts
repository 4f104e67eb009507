import { afterEach, describe, expect, it } from "vitest";
import { audit, brief, cleanTrees, expectMasked, findingsOf, writeTree } from "./audit-helper.js";

afterEach(cleanTrees);

describe("privacy/personal-data", () => {
  it("reports inline home and zone coordinates once per place and the home name as info, masked", async () => {
    const findings = await findingsOf("privacy/personal-data", {
      "configuration.yaml": [
        "homeassistant:",
        "  name: Smith Residence",
        "  latitude: 51.50135",
        "  longitude: -0.14189",
        "zone: !include zones.yaml",
        "",
      ].join("\n"),
      "zones.yaml":
        "- name: Work\n  latitude: 51.5033\n  longitude: -0.1276\n- name: Gym\n  latitude: !secret gym_lat\n",
      "secrets.yaml": "gym_lat: 51.1\n",
    });
    expect(brief(findings)).toEqual([
      { severity: "low", at: "configuration.yaml:3:13" },
      { severity: "low", at: "zones.yaml:2:13" },
      { severity: "info", at: "configuration.yaml:2:9" },
    ]);
    expect(findings[0]?.message).toContain("locate the home");
    expect(findings[1]?.message).toContain("a place the household uses");
    expectMasked(findings, ["51.50135", "-0.14189", "51.5033", "Smith Residence"]);
  });
});

describe("www/public-files and www/sensitive-file", () => {
  it("lists public files as info and rates sensitive ones by what they give away", async () => {
    const { findings } = await audit(
      writeTree({
        "configuration.yaml": "default_config:\n",
        "www/logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
        "www/cards/card.js": "export const x = 1;\n",
        "www/copy/secrets.yaml": "pw: x\n",
        "www/.storage/auth": "{}",
        "www/tls/privkey.pem": "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
        "www/home-assistant_v2.db": Buffer.from("SQLite format 3\0"),
        "www/automations.yaml": "- alias: x\n",
        "www/configuration.yaml.bak": "old\n",
        "www/home-assistant.log": "log\n",
        "www/backup.tar.gz": Buffer.from([0x1f, 0x8b, 0]),
      }),
    );
    const publicFiles = findings.filter((f) => f.id === "www/public-files");
    expect(brief(publicFiles)).toEqual([{ severity: "info", at: "www" }]);
    expect(publicFiles[0]?.message).toContain("10 files");
    expect(publicFiles[0]?.message).toContain("/local/cards/card.js");
    expect(brief(findings.filter((f) => f.id === "www/sensitive-file"))).toEqual([
      { severity: "critical", at: "www/.storage/auth" },
      { severity: "critical", at: "www/copy/secrets.yaml" },
      { severity: "critical", at: "www/tls/privkey.pem" },
      { severity: "high", at: "www/automations.yaml" },
      { severity: "high", at: "www/configuration.yaml.bak" },
      { severity: "high", at: "www/home-assistant.log" },
      { severity: "high", at: "www/home-assistant_v2.db" },
    ]);
    // the archive is backups/archive-in-config's, rated high because it is public
    expect(brief(findings.filter((f) => f.id === "backups/archive-in-config"))).toEqual([
      { severity: "high", at: "www/backup.tar.gz" },
    ]);
  });

  it("rates an example file in www/ as information, and ignores a HACS card's own YAML and JSON", async () => {
    const findings = await findingsOf("www/sensitive-file", {
      "configuration.yaml": "default_config:\n",
      "www/example-config.yaml": "password: <password>\n",
      "www/community/floorplan/examples/home.yaml": "entities: []\n",
      "www/community/floorplan/config.json": '{"token": "", "password": ""}\n',
    });
    expect(brief(findings)).toEqual([{ severity: "info", at: "www/example-config.yaml" }]);
    expect(findings[0]?.message).toContain("The file holds example values (its name says `example`)");
  });

  it("says nothing without a www folder", async () => {
    const { findings } = await audit(writeTree({ "configuration.yaml": "default_config:\n" }));
    expect(findings.filter((f) => f.id.startsWith("www/"))).toEqual([]);
  });
});

describe("backups/archive-in-config", () => {
  it("rates Home Assistant's own backups/ low and other archives medium", async () => {
    const findings = await findingsOf("backups/archive-in-config", {
      "configuration.yaml": "default_config:\n",
      "backups/0a1b2c3d.tar": Buffer.alloc(2048),
      "old/full-backup-2024.zip": Buffer.from("PK\x03\x04"),
    });
    expect(brief(findings)).toEqual([
      { severity: "medium", at: "old/full-backup-2024.zip" },
      { severity: "low", at: "backups/0a1b2c3d.tar" },
    ]);
    expect(findings[1]?.evidence).toBe("backups/0a1b2c3d.tar (2.0 KiB)");
  });
});

describe("ip-bans/self-ban-risk", () => {
  it("flags loopback (also IPv4-mapped) and trusted-proxy bans medium, LAN bans low, others not at all", async () => {
    const findings = await findingsOf("ip-bans/self-ban-risk", {
      "configuration.yaml": "http:\n  use_x_forwarded_for: true\n  trusted_proxies:\n    - 172.30.33.0/24\n",
      "ip_bans.yaml": [
        "127.0.0.1:",
        "  banned_at: '2026-11-23T17:18:43.365613+00:00'",
        "'::ffff:127.0.0.1':",
        "  banned_at: '2026-11-23T17:20:00+00:00'",
        "172.30.33.4:",
        "  banned_at: '2026-11-23T17:21:00+00:00'",
        "192.168.1.57:",
        "  banned_at: '2026-11-23T17:22:00+00:00'",
        "203.0.113.66:",
        "  banned_at: '2026-11-23T17:23:00+00:00'",
        "",
      ].join("\n"),
    });
    expect(brief(findings)).toEqual([
      { severity: "medium", at: "ip_bans.yaml:1:1" },
      { severity: "medium", at: "ip_bans.yaml:3:1" },
      { severity: "medium", at: "ip_bans.yaml:5:1" },
      { severity: "low", at: "ip_bans.yaml:7:1" },
    ]);
    expect(findings[2]?.message).toContain("172.30.33.0/24");
  });
});

describe("privacy/personal-data in a shared folder", () => {
  const coreConfig =
    '{\n  "version": 1,\n  "key": "core.config",\n  "data": {\n    "latitude": 52.3731,\n    "longitude": 4.8922\n  }\n}\n';
  const home = {
    "configuration.yaml": "homeassistant:\n  latitude: 52.3731\n  longitude: 4.8922\n",
    ".storage/core.config": coreConfig,
  };

  it("is low in a private folder, where the UI's coordinates are where they belong", async () => {
    expect(brief(await findingsOf("privacy/personal-data", home))).toEqual([
      { severity: "low", at: "configuration.yaml:2:13" },
    ]);
  });

  it("is medium in a git repository, for the YAML and for a .storage/core.config git does not ignore", async () => {
    const findings = await findingsOf("privacy/personal-data", home, { gitCommit: ["."] });
    expect(brief(findings)).toEqual([
      { severity: "medium", at: ".storage/core.config:5:5" },
      { severity: "medium", at: "configuration.yaml:2:13" },
    ]);
    expect(findings[0]?.message).toContain("the folder is a git repository and git tracks it");
    expectMasked(findings, ["52.3731", "4.8922"]);
    const ignored = await findingsOf("privacy/personal-data", home, {
      gitCommit: ["configuration.yaml"],
      gitIgnore: [".storage/"],
    });
    expect(brief(ignored)).toEqual([{ severity: "medium", at: "configuration.yaml:2:13" }]);
  });

  it("is medium in a folder being prepared for sharing", async () => {
    const findings = await findingsOf("privacy/personal-data", { ...home, "README.md": "# My config\n" });
    expect(findings.map((f) => f.severity)).toEqual(["medium", "medium"]);
    expect(findings[0]?.message).toContain("being prepared for sharing (README.md)");
  });
});
