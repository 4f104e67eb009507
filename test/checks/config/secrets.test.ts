import { afterEach, describe, expect, it } from "vitest";
import { brief, cleanTrees, expectMasked, findingsOf } from "./audit-helper.js";

afterEach(cleanTrees);

describe("secrets/inline-credential", () => {
  it("flags inline passwords, tokens, URL passwords and webhook ids with their exact positions, masked", async () => {
    const findings = await findingsOf("secrets/inline-credential", {
      "configuration.yaml": [
        "homeassistant:",
        "  packages: !include_dir_named packages",
        "recorder:",
        "  db_url: postgresql://hass:Db-Pass-1234@db.example.org/ha",
        "mqtt: !include mqtt.yaml",
        "notify:",
        "  - platform: telegram",
        "    api_key: 123456:ABCdefGhIJKlmnOPQ",
        "",
      ].join("\n"),
      "mqtt.yaml": "broker: core-mosquitto\npassword: mqtt-Hunter-2\n",
      "packages/garage.yaml":
        "automation:\n  - trigger:\n      - platform: webhook\n        webhook_id: open-garage-1234\n",
    });
    expect(brief(findings)).toEqual([
      { severity: "high", at: "configuration.yaml:4:11" },
      { severity: "high", at: "configuration.yaml:8:14" },
      { severity: "high", at: "mqtt.yaml:2:11" },
      { severity: "medium", at: "packages/garage.yaml:4:21" },
    ]);
    expect(findings[0]?.evidence).toBe("postgresql://hass:***@db.example.org/ha");
    expect(findings[2]?.evidence).toBe("password: mq***");
    expectMasked(findings, ["Db-Pass-1234", "123456:ABCdefGhIJKlmnOPQ", "mqtt-Hunter-2", "open-garage-1234"]);
  });

  it("reports a Home Assistant JWT as critical and names it a long-lived token", async () => {
    const jwt =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiI3OTRhM2JkNjJiNTQ0NDM2YjA5NjhmMmIyZGFjNDQxYiIsImlhdCI6MTc5NTQ1NDMxMSwiZXhwIjoyMTEwODE0MzExfQ.UR69B6RsN5hwN0v3W-p44on0EQfcZI4rhozJJhCljfs";
    const findings = await findingsOf("secrets/inline-credential", {
      "configuration.yaml": `rest_command:\n  cabin:\n    url: https://cabin.example/api\n    headers:\n      authorization: "Bearer ${jwt}"\n`,
    });
    expect(brief(findings)).toEqual([{ severity: "critical", at: "configuration.yaml:5:22" }]);
    expect(findings[0]?.message).toContain("long-lived access token");
    expectMasked(findings, [jwt, jwt.slice(0, 40)]);
  });

  it("ignores !secret, !env_var, templates, booleans and file paths", async () => {
    const findings = await findingsOf("secrets/inline-credential", {
      "configuration.yaml": [
        "mqtt:",
        "  password: !secret mqtt_password",
        "  token: !env_var MQTT_TOKEN fallback-value",
        "sensor:",
        "  - platform: template",
        "    password: \"{{ states('input_text.pw') }}\"",
        "    require_password: true",
        "    password_file: /ssl/password.txt",
        "    private_key: /ssl/privkey.pem",
        "",
      ].join("\n"),
      "secrets.yaml": "mqtt_password: Real-Secret-99\n",
    });
    expect(findings).toEqual([]);
  });
});

describe("secrets/undefined-secret", () => {
  it("points at each !secret nobody defines, and not at defined ones", async () => {
    const findings = await findingsOf("secrets/undefined-secret", {
      "configuration.yaml": "a: !secret defined_one\nb: !include sub/b.yaml\n",
      "secrets.yaml": "defined_one: x\n",
      "sub/b.yaml": "key: !secret missing_one\n",
    });
    expect(brief(findings)).toEqual([{ severity: "low", at: "sub/b.yaml:1:14" }]);
    expect(findings[0]?.evidence).toBe("!secret missing_one");
  });
});

describe("secrets/undefined-secret and ESPHome", () => {
  it("does not report ESPHome's own !secret uses: Home Assistant never loads those files", async () => {
    const findings = await findingsOf("secrets/undefined-secret", {
      "configuration.yaml": "default_config:\n",
      "esphome/plug.yaml": "wifi:\n  ssid: !secret wifi_ssid\n  password: !secret wifi_password\n",
    });
    expect(findings).toEqual([]);
  });
});

describe("secrets/file-permissions", () => {
  const files = {
    "configuration.yaml": "mqtt:\n  password: !secret mqtt_password\n",
    "secrets.yaml": "mqtt_password: Real-Secret-99\n",
    ".storage/auth": '{"version":1,"key":"auth","data":{}}',
    ".storage/core.entity_registry": '{"version":1,"data":{}}',
  };

  it("flags secrets.yaml readable by others as high, by its group as medium, and leaves .storage to its own check", async () => {
    const findings = await findingsOf(
      "secrets/file-permissions",
      { ...files, "esphome/secrets.yaml": "wifi_password: Real-Wifi-Secret-1\n" },
      {
        modes: {
          "secrets.yaml": 0o644,
          "esphome/secrets.yaml": 0o640,
          ".storage/auth": 0o644,
          ".storage/core.entity_registry": 0o644,
        },
      },
    );
    expect(brief(findings)).toEqual([
      { severity: "high", at: "secrets.yaml" },
      { severity: "medium", at: "esphome/secrets.yaml" },
    ]);
    expect(findings.map((f) => f.evidence)).toEqual(["mode 644", "mode 640"]);
    expectMasked(findings, ["Real-Secret-99"]);
  });

  it("is silent when the files are private", async () => {
    const findings = await findingsOf("secrets/file-permissions", files, {
      modes: { "secrets.yaml": 0o600, ".storage/auth": 0o600 },
    });
    expect(findings).toEqual([]);
  });

  it("only informs when secrets.yaml holds placeholders", async () => {
    const findings = await findingsOf(
      "secrets/file-permissions",
      {
        "configuration.yaml": "a: !secret x\n",
        "secrets.yaml": 'x: "<your password>"\n',
        ".HA_VERSION": "2026.11.2\n",
      },
      { modes: { "secrets.yaml": 0o644 } },
    );
    expect(brief(findings)).toEqual([{ severity: "info", at: "secrets.yaml" }]);
  });

  it("says nothing about the modes of a git checkout, which are not the server's", async () => {
    const checkout = {
      "configuration.yaml": "mqtt:\n  password: !secret mqtt_password\n",
      "secrets.yaml": "mqtt_password: Real-Secret-99\n",
      ".HA_VERSION": "2026.11.2\n",
    };
    const modes = { "secrets.yaml": 0o644 };
    // the same files: a checkout whose repository tracks .HA_VERSION for its CI, then the live folder
    expect(await findingsOf("secrets/file-permissions", checkout, { modes, gitCommit: [".HA_VERSION"] })).toEqual([]);
    expect(brief(await findingsOf("secrets/file-permissions", checkout, { modes }))).toEqual([
      { severity: "high", at: "secrets.yaml" },
    ]);
  });
});

describe("secrets/git-tracked and secrets/storage-in-git", () => {
  const files = {
    "configuration.yaml": "mqtt:\n  password: !secret mqtt_password\n",
    "secrets.yaml": "mqtt_password: Real-Secret-99\n",
    "esphome/secrets.yaml": "wifi_password: Wifi-Secret-77\n",
    ".storage/auth": '{"version":1,"key":"auth","data":{}}',
    ".storage/auth_provider.homeassistant": '{"version":1,"data":{"users":[]}}',
    ".storage/core.entity_registry": '{"version":1,"data":{}}',
  };

  it("reports tracked secrets as critical and unignored ones as medium", async () => {
    const findings = await findingsOf("secrets/git-tracked", files, {
      gitCommit: ["configuration.yaml", "secrets.yaml"],
    });
    expect(brief(findings)).toEqual([
      { severity: "critical", at: "secrets.yaml" },
      { severity: "medium", at: "esphome/secrets.yaml" },
    ]);
    expect(findings.map((f) => f.evidence)).toEqual(["git: tracked", "git: not ignored"]);
  });

  it("is silent when git ignores the secrets, and outside a repository", async () => {
    expect(
      await findingsOf("secrets/git-tracked", files, {
        gitCommit: ["configuration.yaml"],
        gitIgnore: ["secrets.yaml", ".storage/"],
      }),
    ).toEqual([]);
    expect(await findingsOf("secrets/git-tracked", files)).toEqual([]);
  });

  it("reports tracked .storage auth files as critical and unignored ones as high", async () => {
    const findings = await findingsOf("secrets/storage-in-git", files, {
      gitCommit: [".storage/auth", "configuration.yaml"],
    });
    expect(brief(findings)).toEqual([
      { severity: "critical", at: ".storage/auth" },
      { severity: "high", at: ".storage/auth_provider.homeassistant" },
    ]);
    expect(
      await findingsOf("secrets/storage-in-git", files, {
        gitCommit: ["configuration.yaml"],
        gitIgnore: [".storage/"],
      }),
    ).toEqual([]);
  });
});
