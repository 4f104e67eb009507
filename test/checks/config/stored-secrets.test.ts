import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { Finding } from "../../../src/model/finding.js";
import { audit, brief, cleanTrees, copyHome, expectMasked, writeTree } from "./audit-helper.js";

afterEach(cleanTrees);

const HOME = "storage-home";
const of = (findings: Finding[], id: string) => findings.filter((f) => f.id === id);

/** Every file of the fixture's .storage and .cloud, with a mode for each. */
function modes(mode: number, folderMode = 0o755): Record<string, number> {
  const result: Record<string, number> = { ".storage": folderMode, ".cloud": folderMode };
  for (const folder of [".storage", ".cloud"]) {
    const dir = fileURLToPath(new URL(`../../fixtures/homes/${HOME}/${folder}`, import.meta.url));
    for (const name of readdirSync(dir)) result[`${folder}/${name}`] = mode;
  }
  return result;
}

/** The made-up secret values of the fixture (test/fixtures/homes/storage-home): none may appear in a report. */
const VALUES = [
  "Heron-Quill-5830",
  "q3ZtW8cYJ2kP1vN5xR7bL0dF4gH6jM9sA2eC5uT8wXo=",
  "k7Qp2Lm9Xa4Rt8Vw",
  "b9e4d0f2a8c35e71",
  "5A1C3E7F9B2D4F6A8C0E2B4D6F8A1C3E",
  "AQCp8Ls3Kd7Hf2Ga9Jq4Wr6Et1Yu5Io0Pz3Xc8Vb2Nm7Mk4Lj9Hg6Fd1Sa5",
  "3e8f1a6c9d2b5e7f0a4c8e1b3d6f9a2c5e8b1d4f7a0c3e6b9d2f5a8c1e4b7d0f",
  "73914",
  "c5e7a9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7",
  "3f6a9c2e5b8d1f4a7c0e3b6d9f2a5c8e1b4d7f0a3c6e9b2d5f8a1c4e7b0d3f6a",
  "d4a7f0c3e6b9d2f5a8c1e4b7d0f3a6c9e2b5d8f1a4c7e0b3d6f9a2c5e8b1d4f7",
  "cognito-refresh-not-real-7Hq2Lw9Xp4Rt8Vz1Nb5Mk3",
  "48213",
  "GOCSPX-Kq7Lp2Xw9Rt4Vz8Nb1Mc",
  "Cinder-Marsh-2291",
  "vc-sess-not-real-3Ld8Qw1Xz6Rn2Kv9Tm4",
  "52.373128",
  "52.356744",
];

describe("integration credentials in .storage/core.config_entries (test/fixtures/homes/storage-home)", () => {
  it("is one information finding on a live installation with private files: Home Assistant keeps them there", async () => {
    const { findings } = await audit(copyHome(HOME, { modes: modes(0o600) }));
    const entries = of(findings, "secrets/config-entry-credentials");
    expect(brief(entries)).toEqual([{ severity: "info", at: ".storage/core.config_entries" }]);
    expect(entries[0]?.message).toContain(
      "9 integrations set up in the UI keep 17 credentials in .storage/core.config_entries (apple_tv, esphome, " +
        "homekit_controller, mobile_app, mqtt, simplisafe, spotify, xiaomi_aqara and zwave_js)",
    );
    // nothing from the other stores, and no coordinates: a private live folder legitimately holds them
    expect(of(findings, "secrets/stored-credentials")).toEqual([]);
    expect(of(findings, "privacy/personal-data")).toEqual([]);
    expectMasked(findings, VALUES);
  });

  it("names each integration, its title and its keys when git tracks the file (high), never a value", async () => {
    const { findings } = await audit(copyHome(HOME, { modes: modes(0o600), gitCommit: ["."] }));
    const entries = of(findings, "secrets/config-entry-credentials");
    expect(entries.map((f) => [f.severity, f.evidence])).toEqual([
      ["high", "password: ***"],
      ["high", "noise_psk: ***"],
      ["high", "key: ***"],
      ["high", "credentials.1: ***, credentials.3: ***"],
      [
        "high",
        "s0_legacy_key: ***, s2_access_control_key: ***, s2_authenticated_key: ***, s2_unauthenticated_key: ***",
      ],
      ["high", "token.access_token: ***, token.refresh_token: ***"],
      ["high", "iOSDeviceLTSK: ***"],
      ["high", "token: ***, options.code: ***"],
      ["high", "app_data.push_token: ***, secret: ***, webhook_id: ***"],
    ]);
    expect(entries[2]?.message).toContain(
      'The xiaomi_aqara integration "Xiaomi Aqara Gateway" keeps its `key` in .storage/core.config_entries, and git tracks the file',
    );
    expect(brief(entries.slice(0, 1))).toEqual([{ severity: "high", at: ".storage/core.config_entries:32:11" }]);
    // met, shelly without a password and cast hold nothing secret; an empty ESPHome `password` is none either
    expect(entries.some((f) => /"(Home|Porch light|Google Cast)"/.test(f.message))).toBe(false);
    expect(entries[1]?.evidence).not.toContain("password");
    expectMasked(findings, VALUES);
  });

  it("is medium when git does not ignore it or the folder is prepared for sharing, low when every account can read it", async () => {
    const unignored = await audit(copyHome(HOME, { modes: modes(0o600), gitCommit: ["configuration.yaml"] }));
    expect(new Set(of(unignored.findings, "secrets/config-entry-credentials").map((f) => f.severity))).toEqual(
      new Set(["medium"]),
    );
    const shared = await audit(copyHome(HOME, { modes: modes(0o600), extraFiles: { "README.md": "# My home\n" } }));
    const sharedEntries = of(shared.findings, "secrets/config-entry-credentials");
    expect(new Set(sharedEntries.map((f) => f.severity))).toEqual(new Set(["medium"]));
    expect(sharedEntries[0]?.message).toContain("the folder is being prepared for sharing (README.md)");
    const open = await audit(copyHome(HOME, { modes: modes(0o644) }));
    const openEntries = of(open.findings, "secrets/config-entry-credentials");
    expect(new Set(openEntries.map((f) => f.severity))).toEqual(new Set(["low"]));
    expect(openEntries[0]?.message).toContain("every account on the machine can read the file (mode 644)");
    // readable files in a folder other accounts cannot enter are not open
    const closedFolder = await audit(copyHome(HOME, { modes: modes(0o644, 0o700) }));
    expect(brief(of(closedFolder.findings, "secrets/config-entry-credentials"))).toEqual([
      { severity: "info", at: ".storage/core.config_entries" },
    ]);
  });

  it("says nothing when git ignores .storage and the files are private", async () => {
    const { findings } = await audit(
      copyHome(HOME, {
        modes: modes(0o600),
        gitCommit: ["configuration.yaml", ".gitignore"],
        extraFiles: { ".gitignore": ".storage/\n.cloud/\n" },
      }),
    );
    expect(brief(of(findings, "secrets/config-entry-credentials"))).toEqual([
      { severity: "info", at: ".storage/core.config_entries" },
    ]);
    expect(of(findings, "secrets/stored-credentials")).toEqual([]);
  });
});

describe("keys, pairing secrets and account tokens in the other stores", () => {
  it("reports each store that holds one when git tracks it, and not the camera tokens of the state cache", async () => {
    const { findings } = await audit(copyHome(HOME, { modes: modes(0o600), gitCommit: ["."] }));
    const stores = of(findings, "secrets/stored-credentials");
    expect(
      stores.map((f) => [f.severity, f.location && "file" in f.location ? f.location.file : "", f.evidence]),
    ).toEqual([
      ["high", ".cloud/production_auth.json", "id_token: ***, access_token: ***, refresh_token: ***"],
      ["high", ".storage/application_credentials", "items.client_secret: ***"],
      ["high", ".storage/backup", "config.create_backup.password: ***"],
      [
        "high",
        ".storage/cloud",
        "google_secure_devices_pin: ***, cloudhooks.*.webhook_id: ***, cloudhooks.*.cloudhook_url: ***",
      ],
      ["high", ".storage/homekit.01HQHOMEKIT0000000000000000.state", "private_key: ***"],
      ["high", ".storage/vendor_cloud.session", "session.access_token: ***"],
    ]);
    expect(stores[4]?.message).toContain("its private key lets anyone pose as the bridge to the paired iPhones");
    expect(stores[0]?.message).toContain("the Home Assistant Cloud (Nabu Casa) session");
    expectMasked(findings, VALUES);
  });

  it("reports them low when every account can read them on a live installation", async () => {
    const { findings } = await audit(copyHome(HOME, { modes: modes(0o644) }));
    const stores = of(findings, "secrets/stored-credentials");
    expect(stores.length).toBe(6);
    expect(new Set(stores.map((f) => f.severity))).toEqual(new Set(["low"]));
  });

  it("finds a private key or token by its shape in a store of a custom integration whatever its key is called", async () => {
    const jwt =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiIwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZiJ9.c2lnbmF0dXJlLW5vdC1yZWFsLTAwMDAwMDAwMDA";
    const { findings } = await audit(
      writeTree(
        {
          "configuration.yaml": "default_config:\n",
          ".storage/my_vendor.cache": JSON.stringify({
            version: 1,
            key: "my_vendor.cache",
            data: { devices: [{ name: "Fan", blob: jwt }], notes: "nothing here" },
          }),
        },
        { gitCommit: ["."] },
      ),
    );
    const stores = of(findings, "secrets/stored-credentials");
    expect(stores.map((f) => f.evidence)).toEqual(["devices.blob: ***"]);
    expectMasked(findings, [jwt]);
  });
});

describe("broken and hostile stores", () => {
  it("survive truncated JSON, absurd nesting and odd shapes without a check failing", async () => {
    const deep = `${"[".repeat(50_000)}"x"${"]".repeat(50_000)}`;
    const { findings } = await audit(
      writeTree(
        {
          "configuration.yaml": "default_config:\n",
          ".storage/core.config_entries":
            '{"version": 1, "key": "core.config_entries", "data": {"entries": [{"domain": "mqtt", "data": {"password": "Tru',
          ".storage/deep": deep,
          ".storage/odd": JSON.stringify({
            version: 1,
            key: "odd",
            data: { entries: "not a list", password: null, token: 42 },
          }),
          ".storage/zone": JSON.stringify({
            version: 1,
            key: "zone",
            data: { items: [{ name: 7, latitude: "52.1" }, null] },
          }),
          ".storage/cloud": "not json at all",
        },
        { gitCommit: ["."] },
      ),
    );
    // audit() fails the test when a check throws; a truncated store is no credential
    expect(of(findings, "secrets/config-entry-credentials")).toEqual([]);
    expect(of(findings, "secrets/stored-credentials")).toEqual([]);
  });
});

describe("coordinates in a shared folder (privacy/personal-data)", () => {
  it("reports the zones, the people's last positions and AppDaemon's coordinates, once per file", async () => {
    const { findings } = await audit(copyHome(HOME, { modes: modes(0o600), gitCommit: ["."] }));
    const personal = of(findings, "privacy/personal-data");
    expect(brief(personal)).toEqual([
      { severity: "medium", at: ".storage/core.config:6:5" },
      { severity: "medium", at: ".storage/core.restore_state:33:11" },
      { severity: "medium", at: ".storage/zone:9:9" },
      { severity: "medium", at: "appdaemon/appdaemon.yaml:2:3" },
    ]);
    expect(personal[2]?.message).toContain("2 zones set up in the UI (`Work`, `School`)");
    expectMasked(findings, VALUES);
  });

  it("leaves coordinates alone where git ignores them, in secrets.yaml, in example files and in third-party code", async () => {
    const { findings } = await audit(
      writeTree(
        {
          "configuration.yaml": "homeassistant:\n  latitude: !secret home_latitude\n",
          "secrets.yaml": "home_latitude: 52.373128\nlatitude: 52.373128\n",
          "examples/appdaemon.yaml": "appdaemon:\n  latitude: 51.477928\n",
          "custom_components/weather_x/const.py": 'DEFAULT = {"latitude": 40.712776}\n',
          "old/appdaemon.yaml": "appdaemon:\n  latitude: 52.373128\n",
          "backup_notes.txt": "latitude: 0.0\n",
        },
        { gitCommit: ["configuration.yaml"], gitIgnore: ["old/", "secrets.yaml"] },
      ),
    );
    expect(of(findings, "privacy/personal-data")).toEqual([]);
  });
});
