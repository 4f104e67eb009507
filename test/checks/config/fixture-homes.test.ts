import { afterEach, describe, expect, it } from "vitest";
import type { Finding } from "../../../src/model/finding.js";
import { audit, brief, cleanTrees, copyHome, expectMasked } from "./audit-helper.js";

afterEach(cleanTrees);

const LLAT_SIGNATURE = "UR69B6RsN5hwN0v3W-p44on0EQfcZI4rhozJJhCljfs";

const of = (findings: Finding[], id: string) => findings.filter((f) => f.id === id);
const inFiles = (findings: Finding[], pattern: RegExp) =>
  findings.filter((f) => f.location && "file" in f.location && pattern.test(f.location.file));

describe("a home with HACS (test/fixtures/homes/hacs-home)", () => {
  it("reports the real tokens and passwords, and nothing in the cards' and integrations' code", async () => {
    const { findings } = await audit(copyHome("hacs-home"));
    const credentials = of(findings, "secrets/credential-in-file");
    expect(brief(credentials)).toEqual([
      { severity: "critical", at: "www/images/wifi-note.jpg:2:1" },
      { severity: "critical", at: "www/tile-settings.js:3:7" },
      { severity: "medium", at: "custom_components/vendor_cloud/const.py:4:13" },
    ]);
    expect(credentials[1]?.message).toContain("Home Assistant long-lived access token");
    // the vendor's broker login is still found in third-party code, and the finding says how the file was judged
    expect(credentials[2]?.message).toContain("third-party code (custom integration `vendor_cloud`)");
    // minified bundles, a source map, HACS's own frontend, `CONF_PASSWORD = "password"`, the jwt.io sample token,
    // `mqtt://user:password@`, a stub key in a docstring: none of it is a credential
    expect(inFiles(findings, /^(www\/community|custom_components\/(hacs|alexa_media))\//)).toEqual([]);
    expectMasked(findings, [LLAT_SIGNATURE, "Tulip-Harbour-2023", "Xk9mQ2pL7vR4", "Oak-Lantern-4471"]);
  });

  it("calls backups only what holds a configuration: not the .gz twins, card zips, media or the database", async () => {
    const { findings } = await audit(copyHome("hacs-home"));
    const backups = of(findings, "backups/archive-in-config");
    expect(brief(backups)).toEqual([
      { severity: "medium", at: "config-backup-2024-03.zip" },
      { severity: "low", at: "backups/2f5e9c1a.tar" },
    ]);
    expect(backups[0]?.message).toContain("it holds secrets.yaml, .storage, configuration.yaml");
    expect(backups[1]?.message).toContain("a Home Assistant backup (its listing shows backup.json)");
    expect(of(findings, "www/sensitive-file")).toEqual([]);
  });

  it("reads media only as far as their first bytes, and lists archives instead of searching them", async () => {
    const { facts } = await audit(copyHome("hacs-home"));
    const file = (p: string) => facts.files.find((f) => f.path === p);
    for (const media of [
      "www/images/floorplan.png",
      "www/images/camera-snapshot.jpg",
      "www/sounds/doorbell.mp3",
      "www/fonts/roboto-regular.woff2",
      "media/cctv-2024-03-02.mp4",
    ]) {
      expect(file(media)?.content, media).toBe("media");
      expect(facts.binaryStrings.has(media), media).toBe(false);
    }
    // named like a photo, but text: read and searched
    expect(file("www/images/wifi-note.jpg")?.content).toBe("text");
    expect(file("www/community/weather-card/weather-card.zip")?.archive).toEqual({
      format: "zip",
      entries: ["weather-card.js", "icons/cloudy.svg", "README.md"],
      complete: true,
    });
    // a precompressed twin is recognised by its first bytes but never decompressed
    expect(file("www/community/lovelace-mushroom/mushroom.js.gz")).toMatchObject({ contentType: "gzip" });
    expect(file("www/community/lovelace-mushroom/mushroom.js.gz")?.archive).toBeUndefined();
  });
});

describe("a shared repository with CI stub secrets (test/fixtures/homes/ci-secrets-repo)", () => {
  /** The owner's clone: the real secrets.yaml beside the checkout, ignored by git, with the usual umask. */
  const clone = (options: { commitSecrets?: boolean } = {}) =>
    copyHome("ci-secrets-repo", {
      extraFiles: {
        "secrets.yaml": [
          "mqtt_username: homeassistant",
          "mqtt_password: Willow-Brook-7720",
          "telegram_api_key: 987654321:AAF-real-looking-bot-token-9Xy2",
          "telegram_chat_id: 55512345",
          "spotify_client_id: 7c1e0b9a2d4f4e6a8b3c5d7e9f1a2b3c",
          "spotify_client_secret: 1f2e3d4c5b6a79880796a5b4c3d2e1f0",
          "recorder_db_url: mysql://homeassistant:Maple-Ridge-4410@core-mariadb/homeassistant",
          "wifi_ssid: Heimnetz",
          "wifi_password: Sommer-Regen-2019",
          "",
        ].join("\n"),
      },
      modes: { "secrets.yaml": 0o644 },
      gitCommit: options.commitSecrets ? [".", "secrets.yaml"] : ["."],
      gitHonoursIgnore: !options.commitSecrets,
    });

  it("takes the stubs for fakes, except the value also used for real, and keeps what leaks", async () => {
    const { findings } = await audit(clone());
    const credentials = of(findings, "secrets/credential-in-file");
    expect(brief(credentials)).toEqual([
      { severity: "high", at: "automations/old/garage.yaml.disabled:13:5" },
      { severity: "high", at: "esphome/garage-door.yaml:10:3" },
      { severity: "high", at: "secrets.fake.yaml:26:1" },
      { severity: "info", at: "esphome/secrets.ci.yaml" },
      { severity: "info", at: "secrets.fake.yaml" },
    ]);
    const [disabled, esphome, reused, ciStub, fake] = credentials;
    expect(disabled?.message).toContain("Home Assistant does not load this file (a `.disabled` copy)");
    expect(esphome?.message).toContain("loaded by ESPHome: its credentials are live");
    expect(reused?.message).toContain("also a real credential elsewhere in the folder");
    expect(ciStub?.message).toContain("the CI workflow `.github/workflows/esphome.yaml` copies it into place");
    expect(fake?.title).toBe("Example secrets file");
    expect(fake?.message).toContain("`.github/workflows/home-assistant.yaml` hands it to the configuration check");
    // the old automation's webhook id is not an exposure: Home Assistant never registers it
    expect(credentials.some((f) => f.evidence?.startsWith("webhook_id"))).toBe(false);
    expectMasked(findings, ["Sommer-Regen-2019", "Birch-Canal-8812", "Relay-Admin-5521", "Willow-Brook-7720"]);
  });

  it("rates a local-only webhook info and inline coordinates medium, and leaves the checkout's modes alone", async () => {
    const { findings } = await audit(clone());
    expect(brief(of(findings, "secrets/inline-credential"))).toEqual([
      { severity: "info", at: "automations.yaml:5:19" },
    ]);
    const coordinates = of(findings, "privacy/personal-data").filter((f) => f.severity !== "info");
    expect(brief(coordinates)).toEqual([{ severity: "medium", at: "configuration.yaml:3:13" }]);
    expect(coordinates[0]?.message).toContain("the folder is a git repository");
    expect(of(findings, "secrets/file-permissions")).toEqual([]);
    expect(of(findings, "secrets/git-tracked")).toEqual([]);
  });

  it("puts a committed secrets.yaml at the top of the report", async () => {
    const { findings } = await audit(clone({ commitSecrets: true }));
    expect(findings[0]).toMatchObject({ id: "secrets/git-tracked", severity: "critical" });
    expect(brief(of(findings, "secrets/git-tracked"))).toEqual([{ severity: "critical", at: "secrets.yaml" }]);
  });
});

describe("a sanitised shared repository (test/fixtures/homes/placeholder-repo)", () => {
  it("reports the one real key left behind and none of the placeholders", async () => {
    const { findings } = await audit(copyHome("placeholder-repo", { gitCommit: ["."] }));
    expect(brief(of(findings, "secrets/inline-credential"))).toEqual([
      { severity: "high", at: "packages/weather.yaml:12:18" },
    ]);
    // `MY_MQTT_PASSWORD`, `mysql://user:password@`, `<password>`, the add-on schema, sed and regex lines
    expect(of(findings, "secrets/credential-in-file")).toEqual([]);
    expect(findings.filter((f) => f.id.startsWith("zigbee2mqtt/"))).toEqual([]);
    expect(of(findings, "secrets/file-permissions")).toEqual([]);
    const tracked = of(findings, "secrets/git-tracked");
    expect(brief(tracked)).toEqual([
      { severity: "info", at: "secrets.yaml" },
      { severity: "info", at: "ssl/privkey.pem" },
      { severity: "info", at: "zigbee2mqtt/secret.yaml" },
    ]);
    expect(tracked[1]?.message).toContain("a stub key without a body");
    expectMasked(findings, ["4f8a2c9e1b7d3a6f5e0c8b2d9a1f7e3c"]);
  });
});

describe("software beside Home Assistant (test/fixtures/homes/companions-home)", () => {
  it("treats the credentials of ESPHome, zigbee2mqtt, AppDaemon and Node-RED as live", async () => {
    const { findings } = await audit(copyHome("companions-home"));
    const credentials = of(findings, "secrets/credential-in-file");
    expect(brief(credentials)).toEqual([
      { severity: "critical", at: "appdaemon/appdaemon.yaml:12:7" },
      { severity: "high", at: "esphome/hallway-sensor.yaml:13:5" },
      { severity: "high", at: "esphome/hallway-sensor.yaml:17:5" },
      { severity: "high", at: "node-red/flows_cred.json:4:10" },
      { severity: "high", at: "zigbee2mqtt/configuration.yaml:7:3" },
    ]);
    const software = ["AppDaemon", "ESPHome", "ESPHome", "Node-RED", "zigbee2mqtt"];
    expect(credentials.map((f) => /loaded by ([\w-]+): its credentials are live/.exec(f.message)?.[1])).toEqual(
      software,
    );
    expect(inFiles(findings, /^blueprints\//)).toEqual([]);
    expectMasked(findings, [LLAT_SIGNATURE, "Resin-Otter-6634", "Quartz-Meadow-1187", "Hallway-Ota-2024"]);
  });

  it("reports the open zigbee2mqtt frontend, its inline network key and AppDaemon without a password", async () => {
    const { findings } = await audit(copyHome("companions-home"));
    expect(brief(findings.filter((f) => /^(zigbee2mqtt|appdaemon)\//.test(f.id)))).toEqual([
      { severity: "medium", at: "appdaemon/appdaemon.yaml:14:3" },
      { severity: "medium", at: "zigbee2mqtt/configuration.yaml:17:3" },
      { severity: "medium", at: "zigbee2mqtt/configuration.yaml:15:16" },
    ]);
    expect(JSON.stringify(findings)).not.toContain("116, 71, 198");
  });
});
