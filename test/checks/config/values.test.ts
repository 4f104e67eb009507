import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { findCommandLineCredentials } from "../../../src/checks/config/command-line-credentials.js";
import { credentialKeyKind, judgeAssignment } from "../../../src/checks/config/credential-patterns.js";
import { indexData, integrationKeyKind } from "../../../src/checks/config/integration-secrets.js";
import { audit, brief, cleanTrees, expectMasked, writeTree } from "./audit-helper.js";

afterEach(cleanTrees);

const inline = (findings: Awaited<ReturnType<typeof audit>>["findings"]) =>
  findings.filter((f) => f.id === "secrets/inline-credential");

describe("PINs, alarm codes and keys that are secrets by an integration's own schema", () => {
  it("reports alarm and lock codes, PIN-named keys and integration keys; not code_format, country_code or GPIO pins", async () => {
    const secrets = ["80417726", "2580", "7391", "9876", "f3a9c2e17b4d8e60", "q7WmZ2xLp9"];
    const { findings } = await audit(
      writeTree({
        "configuration.yaml": [
          "homeassistant:",
          "  country: DE",
          "alarm_control_panel:",
          "  - platform: manual",
          "    name: Home Alarm",
          "    code: 80417726", // a manual alarm panel's code
          "    code_arm_required: false",
          "lock:",
          "  - platform: template",
          "    name: Front door",
          "    code_format: number",
          "    value_template: \"{{ is_state('input_boolean.door', 'on') }}\"",
          "    lock: []",
          "    unlock: []",
          "xiaomi_aqara:",
          "  gateways:",
          "    - mac: 28:6c:07:aa:bb:cc",
          `      key: ${secrets[4]}`, // the gateway's developer key
          "nuki_ng:",
          `  pin_code: ${secrets[2]}`,
          "weather_station:",
          "  country_code: DE",
          "  language_code: de",
          "  zip_code: 10115",
          "  code: 3",
          "automation: !include automations.yaml",
          "script:",
          "  open_door:",
          "    sequence:",
          "      - action: lock.unlock",
          "        target: { entity_id: lock.front_door }",
          "        data:",
          `          code: ${secrets[3]}`,
          "      - action: lock.unlock",
          "        data:",
          "          code: !secret door_code",
          "      - action: alarm_control_panel.alarm_disarm",
          "        data:",
          "          code: \"{{ states('input_text.alarm_code') }}\"",
          "homeassistant_alarm:",
          `  secure_devices_pin: ${secrets[5]}`,
          "",
        ].join("\n"),
        "automations.yaml": [
          "- alias: Disarm when Ada arrives",
          "  trigger: []",
          "  action:",
          "    - service: alarm_control_panel.alarm_disarm",
          "      target: { entity_id: alarm_control_panel.home_alarm }",
          "      data:",
          `        code: "${secrets[1]}"`,
          "",
        ].join("\n"),
        "secrets.yaml": "door_code: '55667788'\n",
        // ESPHome: `pin:` is a GPIO, `code:` a remote control's code; neither is a secret
        "esphome/porch.yaml": [
          "esphome:",
          "  name: porch",
          "binary_sensor:",
          "  - platform: gpio",
          "    pin: 13",
          "switch:",
          "  - platform: template",
          "    turn_on_action:",
          "      - remote_transmitter.transmit_rc_switch_raw:",
          "          code: '100010000000000010111110'",
          "",
        ].join("\n"),
      }),
    );
    const found = inline(findings);
    expect(brief(found)).toEqual([
      { severity: "high", at: "automations.yaml:7:15" },
      { severity: "high", at: "configuration.yaml:6:11" },
      { severity: "high", at: "configuration.yaml:18:12" },
      { severity: "high", at: "configuration.yaml:20:13" },
      { severity: "high", at: "configuration.yaml:33:17" },
    ]);
    expect(found.map((f) => f.evidence)).toEqual([
      "code: ***",
      "code: ***",
      "key: f3***",
      "pin_code: ***",
      "code: ***",
    ]);
    expect(found[2]?.message).toContain(
      "a secret by the xiaomi_aqara integration's own schema: Home Assistant redacts `key` from its diagnostics",
    );
    expect(found[1]?.message).toContain("the code of an alarm panel or lock");
    // `secure_devices_pin` of a made-up integration is not in any list: no finding (only the cloud's full name is)
    expect(findings.filter((f) => f.id === "secrets/credential-in-file")).toEqual([]);
    expectMasked(findings, secrets);
  });

  it("knows the secret keys of the integrations real homes use, from their diagnostics", () => {
    expect(credentialKeyKind("noise_psk")).toBe("encryption key"); // ESPHome's API key: its name says psk
    expect(integrationKeyKind("network_key", { domain: "zwave_js" })).toBe("encryption key");
    expect(integrationKeyKind("network_key")).toBeUndefined(); // zigbee2mqtt's has its own check
    expect(integrationKeyKind("s2_access_control_key")).toBe("encryption key");
    expect(integrationKeyKind("key", { domain: "xiaomi_aqara" })).toBe("encryption key");
    expect(integrationKeyKind("iOSDeviceLTSK", { domain: "homekit_controller" })).toBe("encryption key");
    expect(integrationKeyKind("credentials", { domain: "apple_tv" })).toBe("integration secret");
    expect(integrationKeyKind("x_passphrase", { domain: "unifi" })).toBe("password");
    expect(integrationKeyKind("session_id", { domain: "samsungtv" })).toBe("token");
    expect(integrationKeyKind("code", { domain: "simplisafe" })).toBe("PIN code");
    expect(integrationKeyKind("localKey", { domain: "roborock" })).toBe("encryption key");
    // identifiers the same lists redact are not credentials
    expect(integrationKeyKind("mac_address", { domain: "esphome" })).toBeUndefined();
    expect(integrationKeyKind("username", { domain: "shelly" })).toBeUndefined();
    expect(integrationKeyKind("serial", { domain: "unifi" })).toBeUndefined();
    // outside its domain a plain name is nothing
    expect(integrationKeyKind("key")).toBeUndefined();
    expect(integrationKeyKind("code")).toBeUndefined();
    expect(integrationKeyKind("pin", { domain: "esphome" })).toBeUndefined();
    expect(judgeAssignment("country_code", "DE", { alarmOrLock: true })).toEqual([]);
    expect(judgeAssignment("code_format", "number", { alarmOrLock: true })).toEqual([]);
    expect(judgeAssignment("code", "number", { alarmOrLock: true })).toEqual([]);
  });

  it("keeps every list entry traceable to the file and commit it was read from", () => {
    const data = JSON.parse(readFileSync(new URL("../../../data/integration-secrets.json", import.meta.url), "utf8"));
    for (const [domain, entry] of Object.entries<{ source: string; commit: string; redacted: string[] }>(
      data.domains,
    )) {
      expect(entry.source, domain).toBe(`homeassistant/components/${domain}/diagnostics.py`);
      expect(entry.commit, domain).toMatch(/^[0-9a-f]{40}$/);
      expect(entry.redacted.length, domain).toBeGreaterThan(0);
    }
    for (const domain of ["mqtt", "esphome", "zha", "zwave_js", "shelly", "unifi", "fritz", "xiaomi_miio", "deconz"]) {
      expect(data.domains[domain] ?? data.schemas[domain], domain).toBeDefined();
    }
    // an identifier redacted for privacy never becomes a credential, however a list is extended
    const index = indexData({ ...data, domains: { demo: { redacted: ["username", "api_secret_thing"] } } });
    expect([...(index.byDomain.get("demo") ?? [])]).toEqual(["api_secret_thing"]);
  });
});

describe("credentials inside command lines", () => {
  it("finds each tool's way of passing a password, masked", () => {
    const evidence = (text: string) => findCommandLineCredentials(text).map((m) => [m.kind, m.evidence]);
    expect(evidence("curl -s -u admin:Plank-Otter-5521 https://nas.lan/upload")).toEqual([
      ["password", "curl -u admin:Pl***"],
    ]);
    expect(evidence("curl --user 'backup:Moss9' -T f ftp://nas")).toEqual([["password", "curl -u backup:***"]]);
    expect(evidence("mysqldump -uha -pSilo-Fern-8837 homeassistant > /backup/db.sql")).toEqual([
      ["password", "mysql -pSi***"],
    ]);
    expect(evidence("sshpass -p 'Quartz-9911' ssh pi@10.0.0.2 reboot")).toEqual([["password", "sshpass -p ***"]]);
    expect(evidence("wget --password=Tern-Vale-40 --user=me https://x/y")).toEqual([["password", "--password=Te***"]]);
    expect(evidence("mosquitto_pub -h broker -u ha -P Lark-Mist-18 -t x -m y")).toEqual([
      ["password", "mosquitto -P La***"],
    ]);
    expect(evidence("smbclient //nas/share -U ha%Reed-Glow-51 -c ls")).toEqual([["password", "-U ha%Re***"]]);
    expect(evidence('curl -H "Authorization: Bearer abcd1234efgh5678ijkl" https://api')).toEqual([
      ["Authorization header", "Authorization: Bearer ab***"],
    ]);
    expect(evidence("curl -H 'X-Api-Key: 9f8e7d6c5b4a3210' https://api")).toEqual([["api key", "X-Api-Key: 9f***"]]);
    expect(evidence("mount -t cifs //nas/b /mnt -o username=ha,password=Birch-Cove-22")).toEqual([
      ["password", "password=Bi***"],
    ]);
  });

  it("leaves values built at run time, prompts, uid:gid pairs and other tools' flags alone", () => {
    for (const text of [
      "curl -u admin:$(cat /config/.nas_pw) https://nas.lan",
      'curl -u "$NAS_USER:$NAS_PASS" https://nas.lan',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell variable, as the owner writes it
      "curl -u admin:${NAS_PASS} https://nas.lan",
      "curl -H \"Authorization: Bearer {{ states('input_text.token') }}\" https://api",
      "curl -H 'Authorization: Bearer $TOKEN' https://api",
      "mysql -p homeassistant",
      "mysql -u root -p",
      "docker run -u 1000:1000 image",
      "mkdir -p /config/backups && tar czf x.tgz .",
      "ssh -p 2222 pi@host",
      "wget --password-file=/config/.pw https://x",
      "curl -u user:password https://example.org",
    ]) {
      expect(findCommandLineCredentials(text), text).toEqual([]);
    }
  });

  it("reports them in shell_command and command_line, and in the scripts shell_command runs", async () => {
    const secrets = ["Plank-Otter-5521", "Silo-Fern-8837", "abcd1234efgh5678ijkl", "Moss-Hollow-77"];
    const { findings } = await audit(
      writeTree({
        "configuration.yaml": [
          "shell_command:",
          `  upload: "curl -u admin:${secrets[0]} -T /config/backup.tar https://nas.lan/upload"`,
          '  safe_upload: "curl -u admin:$(cat /config/.nas_pw) -T /config/backup.tar https://nas.lan/upload"',
          "  nightly: bash /config/scripts/backup.sh",
          "  from_secret: !secret restart_command",
          "command_line:",
          "  - sensor:",
          "      name: Recorder size",
          `      command: "mysql -uha -p${secrets[1]} -e 'select 1'"`,
          "  - notify:",
          "      name: pager",
          `      command: "curl -H 'Authorization: Bearer ${secrets[2]}' -d @- https://pager.example"`,
          "",
        ].join("\n"),
        "secrets.yaml": "restart_command: 'sshpass -p Hidden-Pass-1 ssh pi@10.0.0.2 reboot'\n",
        "scripts/backup.sh": [
          "#!/bin/sh",
          "set -e",
          "# sanitise a copy before sharing it",
          "sed -i 's/password=.*/password=xxx/' /tmp/copy.conf",
          'PASS="$(cat /config/.backup_pw)"',
          'curl -u "backup:$PASS" -T /backup/latest.tar ftp://nas.lan/',
          `curl -u backup:${secrets[3]} -T /backup/latest.tar ftp://nas.lan/`,
          "",
        ].join("\n"),
      }),
    );
    const found = inline(findings);
    expect(brief(found)).toEqual([
      { severity: "high", at: "configuration.yaml:2:11" },
      { severity: "high", at: "configuration.yaml:9:16" },
      { severity: "high", at: "configuration.yaml:12:16" },
    ]);
    expect(found.map((f) => f.evidence)).toEqual([
      "curl -u admin:Pl***",
      "mysql -pSi***",
      "Authorization: Bearer ab***",
    ]);
    expect(found[0]?.message).toContain("Password written inline at `shell_command.upload` (in a command line)");
    const inScript = findings.filter((f) => f.id === "secrets/credential-in-file");
    expect(brief(inScript)).toEqual([{ severity: "high", at: "scripts/backup.sh:7:16" }]);
    expect(inScript[0]?.message).toContain("in a script Home Assistant runs (`shell_command.nightly`)");
    expectMasked(findings, [...secrets, "Hidden-Pass-1"]);
  });
});
