import { afterEach, describe, expect, it } from "vitest";
import { audit, brief, cleanTrees, expectMasked, findingsOf, writeTree } from "./audit-helper.js";

afterEach(cleanTrees);

/** `.storage/http` in the 2026 format (http/config.py: stable, pending, yaml_migration_done). */
function httpStore(stable: object, pending: object | null = null, migrated = true): string {
  return JSON.stringify(
    { version: 2, minor_version: 1, key: "http", data: { stable, pending, yaml_migration_done: migrated } },
    null,
    2,
  );
}

describe("http/no-tls", () => {
  it("is high for a public http:// external_url without a certificate, medium for a LAN one", async () => {
    const findings = await findingsOf("http/no-tls", {
      "configuration.yaml":
        "homeassistant:\n  external_url: http://home.example.org:8123\nhttp:\n  base_url: http://192.168.1.20:8123\n",
    });
    expect(brief(findings)).toEqual([
      { severity: "high", at: "configuration.yaml:2:17" },
      { severity: "medium", at: "configuration.yaml:4:13" },
    ]);
  });

  it("reads the URLs set in the UI (.storage/core.config) when YAML does not set them", async () => {
    const coreConfig = [
      "{",
      '  "version": 1,',
      '  "minor_version": 4,',
      '  "key": "core.config",',
      '  "data": {',
      '    "external_url": "http://home.example.org:8123",',
      '    "internal_url": null',
      "  }",
      "}",
      "",
    ].join("\n");
    const findings = await findingsOf("http/no-tls", {
      "configuration.yaml": "default_config:\n",
      ".storage/core.config": coreConfig,
    });
    expect(brief(findings)).toEqual([{ severity: "high", at: ".storage/core.config:6:5" }]);
    expect(findings[0]?.message).toContain("set in the UI");
    // YAML wins over the UI value
    expect(
      await findingsOf("http/no-tls", {
        "configuration.yaml": "homeassistant:\n  external_url: https://home.example.org\n",
        ".storage/core.config": coreConfig,
      }),
    ).toEqual([]);
  });

  it("is silent with https, with a certificate, or for an http:// internal_url", async () => {
    expect(
      await findingsOf("http/no-tls", {
        "configuration.yaml":
          "homeassistant:\n  external_url: https://home.example.org\n  internal_url: http://192.168.1.20:8123\n",
      }),
    ).toEqual([]);
    expect(
      await findingsOf("http/no-tls", {
        "configuration.yaml":
          "homeassistant:\n  external_url: http://home.example.org:8123\nhttp:\n  ssl_certificate: /ssl/fullchain.pem\n  ssl_key: /ssl/privkey.pem\n",
      }),
    ).toEqual([]);
  });
});

describe("http/ip-ban-disabled and http/login-threshold-unset", () => {
  it("flags ip_ban_enabled: false at its key, and the missing threshold at the http: block", async () => {
    const root = writeTree({
      "configuration.yaml": "homeassistant:\n  name: x\nhttp:\n  ip_ban_enabled: false\n",
    });
    const { findings } = await audit(root);
    // bans turned off stay high; a threshold nobody outside the LAN can reach is low
    expect(brief(findings.filter((f) => f.id === "http/ip-ban-disabled"))).toEqual([
      { severity: "high", at: "configuration.yaml:4:3" },
    ]);
    expect(brief(findings.filter((f) => f.id === "http/login-threshold-unset"))).toEqual([
      { severity: "low", at: "configuration.yaml:3:1" },
    ]);
    // reachable from the Internet: the threshold becomes medium
    const exposed = await audit(
      writeTree({
        "configuration.yaml":
          "homeassistant:\n  external_url: https://home.example.org\nhttp:\n  ip_ban_enabled: false\n",
      }),
    );
    expect(
      brief(exposed.findings.filter((f) => f.id === "http/ip-ban-disabled" || f.id === "http/login-threshold-unset")),
    ).toEqual([
      { severity: "high", at: "configuration.yaml:4:3" },
      { severity: "medium", at: "configuration.yaml:3:1" },
    ]);
  });

  it("rates an unset threshold medium when the instance looks exposed (public URL or reverse proxy)", async () => {
    const findings = await findingsOf("http/login-threshold-unset", {
      "configuration.yaml":
        "homeassistant:\n  external_url: https://home.example.org\nhttp:\n  login_attempts_threshold: -1\n",
    });
    expect(brief(findings)).toEqual([{ severity: "medium", at: "configuration.yaml:4:29" }]);
  });

  it("accepts a positive threshold with bans on", async () => {
    const root = writeTree({ "configuration.yaml": "http:\n  login_attempts_threshold: 5\n" });
    const { findings } = await audit(root);
    expect(findings.filter((f) => f.id.startsWith("http/"))).toEqual([]);
  });

  it("judges .storage/http after the 2026 migration: pending settings over stable ones", async () => {
    const root = writeTree({
      "configuration.yaml": "default_config:\n",
      ".storage/http": httpStore({ login_attempts_threshold: 5 }, { ip_ban_enabled: false }),
    });
    const { findings } = await audit(root);
    const ban = findings.filter((f) => f.id === "http/ip-ban-disabled");
    expect(brief(ban)).toEqual([{ severity: "high", at: ".storage/http:10:7" }]);
    expect(ban[0]?.message).toContain("pending");
    // a setting missing from the pending object: the finding points at that object
    expect(brief(findings.filter((f) => f.id === "http/login-threshold-unset"))).toEqual([
      { severity: "low", at: ".storage/http:9:16" },
    ]);
  });
});

describe("http/forwarded-without-proxies", () => {
  it("flags use_x_forwarded_for without trusted_proxies (medium) and the reverse (low)", async () => {
    expect(
      brief(
        await findingsOf("http/forwarded-without-proxies", {
          "configuration.yaml": "http:\n  use_x_forwarded_for: true\n",
        }),
      ),
    ).toEqual([{ severity: "medium", at: "configuration.yaml:2:3" }]);
    expect(
      brief(
        await findingsOf("http/forwarded-without-proxies", {
          "configuration.yaml": "http:\n  trusted_proxies: 172.30.33.0/24\n",
        }),
      ),
    ).toEqual([{ severity: "low", at: "configuration.yaml:2:20" }]);
    expect(
      await findingsOf("http/forwarded-without-proxies", {
        "configuration.yaml": "http:\n  use_x_forwarded_for: true\n  trusted_proxies: [172.30.33.0/24]\n",
      }),
    ).toEqual([]);
  });
});

describe("http/broad-trusted-proxies", () => {
  it("is critical for the whole Internet, high for whole private ranges, silent for one proxy", async () => {
    const findings = await findingsOf("http/broad-trusted-proxies", {
      "configuration.yaml": [
        "http:",
        "  use_x_forwarded_for: true",
        "  trusted_proxies:",
        "    - 0.0.0.0/0",
        "    - 10.0.0.0/8",
        "    - fc00::/7",
        "    - 172.30.33.0/24",
        "    - 127.0.0.1",
        "",
      ].join("\n"),
    });
    expect(brief(findings)).toEqual([
      { severity: "critical", at: "configuration.yaml:4:7" },
      { severity: "high", at: "configuration.yaml:5:7" },
      { severity: "high", at: "configuration.yaml:6:7" },
    ]);
  });
});

describe("http/cors-wildcard, http/legacy-api-password, http/ssl-profile-intermediate", () => {
  it("flags each at its value and masks the legacy password", async () => {
    const root = writeTree({
      "configuration.yaml": [
        "http:",
        "  api_password: Legacy-Pass-2018",
        "  cors_allowed_origins:",
        "    - https://cast.home-assistant.io",
        '    - "*"',
        "  ssl_certificate: /ssl/fullchain.pem",
        "  ssl_profile: intermediate",
        "",
      ].join("\n"),
    });
    const { findings } = await audit(root);
    const pick = (id: string) => brief(findings.filter((f) => f.id === id));
    expect(pick("http/cors-wildcard")).toEqual([{ severity: "medium", at: "configuration.yaml:5:7" }]);
    expect(pick("http/legacy-api-password")).toEqual([{ severity: "high", at: "configuration.yaml:2:3" }]);
    expect(pick("http/ssl-profile-intermediate")).toEqual([{ severity: "low", at: "configuration.yaml:7:16" }]);
    expectMasked(findings, ["Legacy-Pass-2018"]);
  });
});

describe("http/yaml-ignored-after-migration", () => {
  it("reports YAML left after the migration and judges the stored settings instead", async () => {
    const root = writeTree({
      "configuration.yaml": "default_config:\nhttp:\n  ip_ban_enabled: false\n  cors_allowed_origins: '*'\n",
      ".storage/http": httpStore({ login_attempts_threshold: 3, ip_ban_enabled: true }),
    });
    const { findings } = await audit(root);
    expect(brief(findings.filter((f) => f.id === "http/yaml-ignored-after-migration"))).toEqual([
      { severity: "low", at: "configuration.yaml:2:1" },
    ]);
    // the ignored YAML's weak settings are not in force: no finding about them
    expect(findings.filter((f) => f.id === "http/ip-ban-disabled" || f.id === "http/cors-wildcard")).toEqual([]);
  });

  it("is silent before the migration (version 1 snapshot: YAML rules)", async () => {
    const root = writeTree({
      "configuration.yaml": "http:\n  ip_ban_enabled: false\n",
      ".storage/http": JSON.stringify({ version: 1, key: "http", data: { ip_ban_enabled: true } }),
    });
    const { findings } = await audit(root);
    expect(findings.filter((f) => f.id === "http/yaml-ignored-after-migration")).toEqual([]);
    expect(brief(findings.filter((f) => f.id === "http/ip-ban-disabled"))).toEqual([
      { severity: "high", at: "configuration.yaml:2:3" },
    ]);
  });
});
