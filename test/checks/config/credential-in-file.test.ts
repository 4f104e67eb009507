import { afterEach, describe, expect, it } from "vitest";
import { brief, cleanTrees, expectMasked, findingsOf } from "./audit-helper.js";

afterEach(cleanTrees);

// a real long-lived token of the throwaway 2023.11.3 test instance (shared fixtures/ha/2023.11.3/onboarding)
const LLAT =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiI3OTRhM2JkNjJiNTQ0NDM2YjA5NjhmMmIyZGFjNDQxYiIsImlhdCI6MTc5NTQ1NDMxMSwiZXhwIjoyMTEwODE0MzExfQ.UR69B6RsN5hwN0v3W-p44on0EQfcZI4rhozJJhCljfs";

describe("secrets/credential-in-file", () => {
  it("finds ESPHome keys and passwords, Compose passwords and editor tokens, never !secret uses", async () => {
    const findings = await findingsOf("secrets/credential-in-file", {
      "configuration.yaml": "default_config:\n",
      "esphome/plug.yaml": [
        "esphome:",
        "  name: plug",
        "api:",
        "  encryption:",
        '    key: "pL0bTz3b6g0qV3eQyYxM9vJm2cD8fR4kN1sH7wA5uE0="',
        "ota:",
        "  - platform: esphome",
        "    password: !secret ota_password",
        "wifi:",
        "  ssid: !secret wifi_ssid",
        '  password: "Home-WiFi-2020"',
        "",
      ].join("\n"),
      "esphome/secrets.yaml": "ota_password: Ota-Secret-1\nwifi_ssid: Home\n",
      "docker-compose.yml": [
        "services:",
        "  db:",
        "    environment:",
        "      - MYSQL_ROOT_PASSWORD=Root-Pass-42",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal `${VAR}` is the input under test
        "      - MYSQL_PASSWORD=${MYSQL_PASSWORD}",
        "      MARIADB_PASSWORD: Maria-Pass-43",
        "",
      ].join("\n"),
      ".vscode/settings.json": `{\n  "vscode-home-assistant.longLivedAccessToken": "${LLAT}"\n}\n`,
      ".storage/auth": `{"token": "${LLAT}"}`,
      ".cloud/production_auth.json": `{"access_token": "${LLAT}"}`,
    });
    expect(brief(findings)).toEqual([
      { severity: "critical", at: ".vscode/settings.json:2:4" },
      { severity: "high", at: "docker-compose.yml:4:9" },
      { severity: "high", at: "docker-compose.yml:6:7" },
      { severity: "high", at: "esphome/plug.yaml:5:5" },
      { severity: "high", at: "esphome/plug.yaml:11:3" },
    ]);
    expect(findings[0]?.message).toContain("Home Assistant long-lived access token");
    expect(findings[3]?.message).toContain("ESPHome device file");
    expectMasked(findings, [
      LLAT,
      LLAT.slice(0, 30),
      "pL0bTz3b6g0qV3eQyYxM9vJm2cD8fR4kN1sH7wA5uE0=",
      "Home-WiFi-2020",
      "Root-Pass-42",
      "Maria-Pass-43",
    ]);
  });

  it("is critical for anything under www/, and reads JavaScript only for quoted values", async () => {
    const findings = await findingsOf("secrets/credential-in-file", {
      "configuration.yaml": "default_config:\n",
      "www/card.js": [
        `const token = "${LLAT}";`,
        "const password = userInput;",
        'if (password == "x") {}',
        'const apiKey = "sk_live_0123456789abcdef";',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal `${VAR}` is the input under test
        "headers: { Authorization: `Bearer ${token}` },",
        "",
      ].join("\n"),
    });
    expect(brief(findings)).toEqual([
      { severity: "critical", at: "www/card.js:1:7" },
      { severity: "critical", at: "www/card.js:4:7" },
    ]);
  });

  it("finds tokens, private keys and URL passwords inside binary files such as databases", async () => {
    const db = Buffer.concat([
      Buffer.from("SQLite format 3\0\0\0\x01\x02"),
      Buffer.from(`{"access_token":"${LLAT}"}`),
      Buffer.from([0, 0, 0]),
      Buffer.from("postgresql://hass:Db-Pass-777@db.example.org/ha"),
      Buffer.from([0]),
    ]);
    const findings = await findingsOf("secrets/credential-in-file", {
      "configuration.yaml": "default_config:\n",
      "old/home-assistant_v2.db": db,
    });
    expect(brief(findings)).toEqual([
      { severity: "critical", at: "old/home-assistant_v2.db" },
      { severity: "high", at: "old/home-assistant_v2.db" },
    ]);
    expectMasked(findings, [LLAT, "Db-Pass-777"]);
  });

  it("leaves alone the YAML Home Assistant loads (inline-credential's) and the secrets files", async () => {
    const findings = await findingsOf("secrets/credential-in-file", {
      "configuration.yaml": "mqtt: !include mqtt.yaml\n",
      "mqtt.yaml": "password: Mqtt-Inline-1\n",
      "secrets.yaml": "x: Real-1\n",
      "notes.conf": "# password = commented-out\nbind = 0.0.0.0\n",
    });
    expect(findings).toEqual([]);
  });
});
