import { afterEach, describe, expect, it } from "vitest";
import { brief, cleanTrees, findingsOf } from "./audit-helper.js";

afterEach(cleanTrees);

const z2m = (settings: string) => ({
  "configuration.yaml": "default_config:\n",
  "zigbee2mqtt/configuration.yaml": `mqtt:\n  base_topic: zigbee2mqtt\n  server: mqtt://core-mosquitto\n${settings}`,
});

describe("zigbee2mqtt/frontend-no-auth", () => {
  it("is medium on every interface, low behind the add-on's ingress port, silent with a token or on loopback", async () => {
    const cases: [string, string | undefined][] = [
      ["frontend: true\n", "medium"],
      ["frontend:\n  port: 8080\n", "medium"],
      ["version: 4\nfrontend:\n  enabled: true\n  port: 8080\n", "medium"],
      ["frontend:\n  port: 8099\n", "low"],
      ["frontend:\n  port: 8080\n  auth_token: '!secret frontend_token'\n", undefined],
      ["frontend:\n  port: 8080\n  host: 127.0.0.1\n", undefined],
      ["version: 4\nfrontend:\n  port: 8080\n", undefined],
      ["frontend: false\n", undefined],
    ];
    for (const [settings, severity] of cases) {
      const findings = await findingsOf("zigbee2mqtt/frontend-no-auth", z2m(settings));
      expect(
        findings.map((f) => f.severity),
        settings,
      ).toEqual(severity === undefined ? [] : [severity]);
    }
  });
});

describe("zigbee2mqtt/network-key-inline", () => {
  it("is high for the well-known default key, medium for another inline key, silent for GENERATE or a secret", async () => {
    const key = (value: string) => z2m(`advanced:\n  network_key: ${value}\n`);
    expect(
      brief(
        await findingsOf(
          "zigbee2mqtt/network-key-inline",
          key("[1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13]"),
        ),
      ),
    ).toEqual([{ severity: "high", at: "zigbee2mqtt/configuration.yaml:5:16" }]);
    const own = await findingsOf(
      "zigbee2mqtt/network-key-inline",
      key("[116, 71, 198, 82, 252, 68, 98, 143, 208, 75, 71, 255, 231, 180, 86, 244]"),
    );
    expect(own.map((f) => f.severity)).toEqual(["medium"]);
    expect(JSON.stringify(own)).not.toContain("116");
    for (const value of ["GENERATE", "'!secret network_key'"]) {
      expect(await findingsOf("zigbee2mqtt/network-key-inline", key(value)), value).toEqual([]);
    }
    // an example or a disabled copy is not what runs
    expect(
      await findingsOf("zigbee2mqtt/network-key-inline", {
        "configuration.yaml": "default_config:\n",
        "zigbee2mqtt/examples/configuration.yaml":
          "advanced:\n  network_key: [1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13]\n",
      }),
    ).toEqual([]);
  });
});

describe("appdaemon/http-no-password", () => {
  it("is reported when something is served on a reachable address without a password", async () => {
    const appdaemon = (http: string, sections = "admin:\nhadashboard:\n") => ({
      "configuration.yaml": "default_config:\n",
      "appdaemon/appdaemon.yaml": `appdaemon:\n  time_zone: Europe/Berlin\nhttp:\n${http}${sections}`,
    });
    const open = await findingsOf("appdaemon/http-no-password", appdaemon("  url: http://192.168.1.20:5050\n"));
    expect(brief(open)).toEqual([{ severity: "medium", at: "appdaemon/appdaemon.yaml:4:3" }]);
    expect(open[0]?.message).toContain("admin, hadashboard");
    for (const [http, sections] of [
      ["  url: http://192.168.1.20:5050\n  password: !secret ad_password\n", undefined],
      ["  url: http://127.0.0.1:5050\n", undefined],
      ["  url: http://192.168.1.20:5050\n", ""],
    ] as const) {
      expect(await findingsOf("appdaemon/http-no-password", appdaemon(http, sections)), http).toEqual([]);
    }
  });
});
