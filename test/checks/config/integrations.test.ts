import { afterEach, describe, expect, it } from "vitest";
import { brief, cleanTrees, expectMasked, findingsOf } from "./audit-helper.js";

afterEach(cleanTrees);

describe("integrations/no-tls", () => {
  it("rates cleartext to the Internet high, to the LAN low, and ignores add-on hosts on this machine", async () => {
    const findings = await findingsOf("integrations/no-tls", {
      "configuration.yaml": [
        "homeassistant:",
        "  packages: !include_dir_named packages",
        "mqtt:",
        "  broker: 192.168.1.40",
        "  username: ha",
        "recorder:",
        "  db_url: mysql://hass:Db-Pass-5678@db.example.org/ha?charset=utf8mb4",
        "influxdb:",
        "  host: a0d7b954-influxdb",
        "",
      ].join("\n"),
      "packages/solar.yaml": [
        "sensor:",
        "  - platform: rest",
        "    resource: http://solar.example.org/api",
        "    headers:",
        "      Authorization: !secret solar_token",
        "  - platform: rest",
        "    resource: http://weather.example.org/public.json",
        "",
      ].join("\n"),
      "secrets.yaml": "solar_token: Bearer 0123456789abcdef\n",
    });
    expect(brief(findings)).toEqual([
      { severity: "high", at: "configuration.yaml:7:11" },
      { severity: "high", at: "packages/solar.yaml:3:15" },
      { severity: "low", at: "configuration.yaml:4:11" },
    ]);
    expect(findings[0]?.evidence).toBe("db_url: mysql://hass:***@db.example.org/ha?charset=utf8mb4");
    expectMasked(findings, ["Db-Pass-5678", "0123456789abcdef"]);
  });

  it("reads the MQTT broker set up in the UI from .storage/core.config_entries", async () => {
    const entries = (broker: string, port: number) =>
      JSON.stringify(
        {
          version: 1,
          key: "core.config_entries",
          data: {
            entries: [{ domain: "mqtt", title: broker, data: { broker, port, username: "ha", password: "Mqtt-UI-9" } }],
          },
        },
        null,
        2,
      );
    const remote = await findingsOf("integrations/no-tls", {
      "configuration.yaml": "default_config:\n",
      ".storage/core.config_entries": entries("mqtt.example.org", 1883),
    });
    expect(brief(remote)).toEqual([{ severity: "high", at: ".storage/core.config_entries:10:11" }]);
    expectMasked(remote, ["Mqtt-UI-9"]);
    const addon = await findingsOf("integrations/no-tls", {
      "configuration.yaml": "default_config:\n",
      ".storage/core.config_entries": entries("core-mosquitto", 1883),
    });
    expect(addon).toEqual([]);
  });

  it("accepts TLS: MQTT on 8883 with a certificate, db_url with ssl, InfluxDB v2 (ssl by default)", async () => {
    const findings = await findingsOf("integrations/no-tls", {
      "configuration.yaml": [
        "mqtt:",
        "  broker: mqtt.example.org",
        "  port: 8883",
        "  certificate: /ssl/ca.pem",
        "recorder:",
        "  db_url: postgresql://hass@db.example.org/ha?sslmode=verify-full",
        "influxdb:",
        "  api_version: 2",
        "  host: influx.example.org",
        "",
      ].join("\n"),
    });
    expect(findings).toEqual([]);
  });
});

describe("integrations/verify-ssl-disabled", () => {
  it("finds verify_ssl: false and tls_insecure: true in YAML and in UI config entries", async () => {
    const findings = await findingsOf("integrations/verify-ssl-disabled", {
      "configuration.yaml": [
        "sensor:",
        "  - platform: rest",
        "    resource: https://nas.example.org/api",
        "    verify_ssl: false",
        "  - platform: rest",
        "    resource: https://ok.example.org/api",
        "    verify_ssl: true",
        "mqtt:",
        "  tls_insecure: true",
        "",
      ].join("\n"),
      ".storage/core.config_entries":
        '{\n  "data": {\n    "entries": [\n      {"domain": "synology_dsm", "data": {"verify_ssl": false}}\n    ]\n  }\n}\n',
    });
    expect(brief(findings)).toEqual([
      { severity: "medium", at: ".storage/core.config_entries:4:43" },
      { severity: "medium", at: "configuration.yaml:4:5" },
      { severity: "medium", at: "configuration.yaml:9:3" },
    ]);
  });
});
