import { afterEach, describe, expect, it } from "vitest";
import { backupEvidence } from "../../../src/checks/config/backup-evidence.js";
import { judgeFile } from "../../../src/checks/config/file-judgement.js";
import { audit, cleanTrees, findingsOf, writeTree } from "./audit-helper.js";

afterEach(cleanTrees);

const roleOf = async (files: Record<string, string>, file: string) => {
  const { facts } = await audit(writeTree(files));
  return judgeFile(facts, file);
};

describe("how a file is judged", () => {
  it("finds the stub secrets a CI configuration check puts in place, in every shape public repositories use", async () => {
    const { facts } = await audit(
      writeTree({
        "configuration.yaml": "default_config:\n",
        ".github/workflows/check.yml": [
          "jobs:",
          "  check:",
          "    steps:",
          "      - run: cp -R ./.stubs/* ./config",
          "      - uses: frenck/action-home-assistant@v1",
          "        with:",
          "          path: ./config",
          "          secrets: fakesecrets.yaml",
          "      - uses: sinclairpaul/ha-configcheck@v0.0.4",
          "        with:",
          '          secretsfile: "ci/secrets.yml"',
          "",
        ].join("\n"),
        ".github/setup.sh": "#!/bin/bash\nset -e\nmv secrets_example.yaml secrets.yaml\ntouch ssl/privkey.pem\n",
        ".stubs/secrets.yaml": "http_password: Stub-Pass-1\n",
        ".stubs/known_devices.yaml": "{}\n",
        "config/fakesecrets.yaml": "x: y\n",
        "ci/secrets.yml": "x: y\n",
        "secrets_example.yaml": "x: y\n",
        "unrelated.yaml": "x: y\n",
      }),
    );
    const why = (file: string) => judgeFile(facts, file);
    expect(why(".stubs/secrets.yaml")).toEqual({
      role: "example",
      why: "the CI workflow `.github/workflows/check.yml` copies its folder `.stubs` into the configuration",
    });
    expect(why(".stubs/known_devices.yaml").role).toBe("example");
    expect(why("config/fakesecrets.yaml").why).toContain("hands it to the configuration check");
    expect(why("ci/secrets.yml").why).toContain("hands it to the configuration check");
    expect(why("secrets_example.yaml").why).toBe(
      "the CI workflow `.github/setup.sh` copies it into place as secrets.yaml",
    );
    expect(why("unrelated.yaml")).toEqual({
      role: "not-loaded",
      why: "no `!include` of configuration.yaml reaches it",
    });
  });

  it("tells vendored code by place and by shape, and the owner's readable JavaScript apart", async () => {
    const bundle = `!function(){${"var a=1,b=function(c){return c+1};".repeat(200)}}();`;
    const files = {
      "configuration.yaml": "default_config:\n",
      "custom_components/mytuya/const.py": "X = 1\n",
      "www/community/mini-graph-card/mini-graph-card-bundle.js": "x\n",
      "www/button-card.js": bundle,
      "www/lib/chart.min.js": "x\n",
      "www/app.js.map": '{"version":3,"mappings":"AAAA"}',
      "www/my-tiles.js": "// my tiles\nexport const tiles = [];\n",
    };
    const { facts } = await audit(writeTree(files));
    expect(judgeFile(facts, "custom_components/mytuya/const.py").why).toBe("custom integration `mytuya`");
    expect(judgeFile(facts, "www/community/mini-graph-card/mini-graph-card-bundle.js").why).toBe(
      "HACS frontend card `mini-graph-card`",
    );
    expect(judgeFile(facts, "www/button-card.js").why).toBe("minified or bundled JavaScript");
    expect(judgeFile(facts, "www/lib/chart.min.js").why).toBe("minified code");
    expect(judgeFile(facts, "www/app.js.map").why).toBe("a source map");
    expect(judgeFile(facts, "www/my-tiles.js").role).toBe("owner");
  });

  it("knows what Home Assistant loads without an include, and does not guess without configuration.yaml", async () => {
    const files = {
      "configuration.yaml":
        "lovelace:\n  dashboards:\n    lovelace-wall:\n      mode: yaml\n      filename: dashboards/wall.yaml\n",
      "dashboards/wall.yaml": "views: []\n",
      "ui-lovelace.yaml": "views: []\n",
      "known_devices.yaml": "{}\n",
      "old-sensors.yaml": "- platform: template\n",
      "sensors.yaml.disabled": "- platform: template\n",
      "tests/fixtures/config.yaml": "a: 1\n",
      "examples/example_automation.yaml": "a: 1\n",
    };
    const { facts } = await audit(writeTree(files));
    const role = (file: string) => judgeFile(facts, file).role;
    expect(role("dashboards/wall.yaml")).toBe("owner");
    expect(role("ui-lovelace.yaml")).toBe("owner");
    expect(role("known_devices.yaml")).toBe("owner");
    expect(role("old-sensors.yaml")).toBe("not-loaded");
    expect(judgeFile(facts, "sensors.yaml.disabled").why).toBe("a `.disabled` copy");
    expect(judgeFile(facts, "tests/fixtures/config.yaml").why).toBe("under a `tests` folder");
    expect(role("examples/example_automation.yaml")).toBe("example");
    // a broken configuration.yaml: which YAML is loaded cannot be told, so none is called "not loaded"
    expect(
      (await roleOf({ "configuration.yaml": "a: [\n", "old-sensors.yaml": "x: 1\n" }, "old-sensors.yaml")).role,
    ).toBe("owner");
  });

  it("reads backup evidence from an archive's listing", () => {
    expect(backupEvidence(["./backup.json", "./homeassistant.tar.gz", "./core_mosquitto.tar.gz"])?.why).toBe(
      "a Home Assistant backup (its listing shows backup.json)",
    );
    expect(backupEvidence(["config/configuration.yaml", "config/.storage/auth"])?.why).toBe(
      "an archive of the configuration (it holds .storage, configuration.yaml)",
    );
    expect(backupEvidence(["dump.sql"])?.why).toContain("a database");
    expect(backupEvidence(["mushroom.js", "README.md", "LICENSE"])).toBeUndefined();
  });
});

describe("a webhook id, by where it is", () => {
  it("is medium where Home Assistant registers it, info when local-only, and nothing in a copy it never loads", async () => {
    const automation = (extra: string) =>
      `- alias: Garage\n  trigger:\n    - platform: webhook\n      webhook_id: garage-open-3b9c0d71f2a84e65\n${extra}  action: []\n`;
    const inline = await findingsOf("secrets/inline-credential", {
      "configuration.yaml": "automation: !include automations.yaml\nautomation old: !include lan.yaml\n",
      "automations.yaml": automation(""),
      "lan.yaml": automation("      local_only: true\n"),
    });
    expect(inline.map((f) => [f.location && "file" in f.location ? f.location.file : "", f.severity])).toEqual([
      ["automations.yaml", "medium"],
      ["lan.yaml", "info"],
    ]);
    const copies = await findingsOf("secrets/credential-in-file", {
      "configuration.yaml": "default_config:\n",
      "automations.yaml.old": automation(""),
      "www/garage.js": 'fetch("/api/webhook/" + "x", {}); const webhook_id = "garage-open-3b9c0d71f2a84e65";\n',
    });
    expect(copies.map((f) => [f.location && "file" in f.location ? f.location.file : "", f.severity])).toEqual([
      ["www/garage.js", "critical"],
    ]);
  });
});
