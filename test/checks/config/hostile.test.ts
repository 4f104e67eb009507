import { afterEach, describe, expect, it } from "vitest";
import { scanText } from "../../../src/checks/config/credential-patterns.js";
import { audit, cleanTrees, writeTree } from "./audit-helper.js";

afterEach(cleanTrees);

describe("hostile or odd input", () => {
  it("values of unexpected types never make a check fail", async () => {
    const root = writeTree({
      "configuration.yaml": [
        "homeassistant:",
        "  external_url: 12345",
        "  internal_url: [not, a, url]",
        "  latitude: {nested: map}",
        "  auth_providers: just-a-string",
        "http:",
        "  - a list instead of a map",
        "mqtt: a string",
        "recorder:",
        "  db_url: [1, 2]",
        "influxdb:",
        "sensor:",
        "  - platform: rest",
        "    resource: 'http://[::1'",
        "    verify_ssl: maybe",
        "    headers: [Authorization]",
        "",
      ].join("\n"),
      "ip_bans.yaml": "fe80::1%eth0:\n  banned_at: yesterday\n'999.1.1.1': {}\nnot-an-address:\n",
      ".HA_VERSION": `${"9".repeat(5000)}\n`,
      ".storage/http":
        '{"version": 2, "data": {"stable": {"trusted_proxies": [{"a": 1}, "::ffff:0.0.0.0/0", "10.0.0.0/99"], "cors_allowed_origins": {"*": 1}}, "pending": "x", "yaml_migration_done": "yes"}}',
      ".storage/core.config": '{"data": {"external_url": "http://\\"quoted\\".example"}}',
    });
    const { findings } = await audit(root); // audit() asserts that no check threw
    expect(Array.isArray(findings)).toBe(true);
  });

  it("pathological long lines are scanned without runaway backtracking", () => {
    // each of these used to be quadratic or worse for naive patterns; the test's own timeout is the bound
    const size = 400_000;
    const inputs = [
      "eyJ-".repeat(size / 4),
      "a.".repeat(size / 2),
      "x://a:b".repeat(size / 7),
      `${"a://".repeat(size / 4)}@`,
      ' a:"'.repeat(size / 4),
      "a:${".repeat(size / 4),
      `token = "${"A".repeat(size)}`,
    ];
    for (const input of inputs) {
      expect(Array.isArray(scanText(input, { quotedOnly: false }))).toBe(true);
      expect(Array.isArray(scanText(input, { quotedOnly: true }))).toBe(true);
    }
  });
});
