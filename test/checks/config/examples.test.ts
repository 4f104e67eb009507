import { afterEach, describe, expect, it } from "vitest";
import { checksOf } from "../../../src/checks/index.js";
import { atLeast } from "../../../src/model/severity.js";
import { audit, cleanTrees, copyExample, expectMasked } from "./audit-helper.js";

afterEach(cleanTrees);

/**
 * Checks one home cannot trigger together with the others, because they describe mutually exclusive states
 * of the same `http:` settings; each has its own fixture in http.test.ts.
 * - forwarded-without-proxies needs `use_x_forwarded_for` without `trusted_proxies`, while
 *   broad-trusted-proxies and trusted-networks-with-broad-proxies need both.
 * - yaml-ignored-after-migration needs the 2026 `.storage/http`; the example is a 2023.11.3 home, whose
 *   YAML `http:` block is the one in force.
 */
const EXCLUSIVE = ["http/forwarded-without-proxies", "http/yaml-ignored-after-migration"];

/** The fake credentials written in the insecure example (its secrets.yaml values are checked separately). */
const INSECURE_VALUES = [
  "Jansen2019!",
  "Rec0rder-Pass-2021",
  "mqtt-Secret-42",
  "influx-Pa55word",
  "7f3c9a1e5b2d4f608a9c1e3b5d7f9a2c",
  "garage-open-8d0c2e61f4",
  "pL0bTz3b6g0qV3eQyYxM9vJm2cD8fR4kN1sH7wA5uE0=",
  "garage-ota-2023",
  "Jansen-WiFi-2019",
  "fallback123456",
  "r00t-Maria-2021",
  "UR69B6RsN5hwN0v3W-p44on0EQfcZI4rhozJJhCljfs",
  "52.37310",
  "4.89220",
  "52.08920",
  "Zigbee-Mqtt-2023",
  // integration secrets, a pairing key, an alarm code, command lines and a zone
  "Mosq-Fern-2020",
  "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5",
  "jn8Xq2Lp5Wr9Tz3V",
  "c1a9e7b3d5f24a6c8e0b2d4f6a8c0e2b",
  "8c3e5a7f9b1d2c4e6a8f0b2d4c6e8a0f1b3d5c7e9a1f3b5d7c9e1a3f5b7d9c1e",
  "80417726",
  "Curl-Tulip-2022",
  "Nas-Birch-2018",
  "52.09013",
];

describe("examples/insecure-home", () => {
  it("triggers every config check (except the mutually exclusive ones) and leaks no secret", async () => {
    // git keeps no file modes and this copy is outside the project's repository: set up both as the home had them
    const root = copyExample("insecure-home", {
      modes: { "secrets.yaml": 0o644, ".storage/auth": 0o644 },
      gitCommit: ["configuration.yaml", "secrets.yaml", ".storage/auth"],
    });
    const { facts, findings } = await audit(root);
    const fired = new Set(findings.map((f) => f.id));
    const missing = checksOf("config")
      .map((c) => c.id)
      .filter((id) => !fired.has(id) && !EXCLUSIVE.includes(id));
    expect(missing).toEqual([]);
    for (const id of EXCLUSIVE) expect(checksOf("config").some((c) => c.id === id)).toBe(true);
    expect(findings.some((f) => f.severity === "critical")).toBe(true);
    const secretValues = facts.secrets.map((s) => String(s.value)).filter((v) => v.length >= 6);
    expect(secretValues.length).toBeGreaterThan(0);
    expectMasked(findings, [...INSECURE_VALUES, ...secretValues]);
  });
});

describe("examples/hardened-home", () => {
  it("yields nothing above info, whether or not git tracks it", async () => {
    for (const gitCommit of [undefined, ["."]]) {
      const root = copyExample("hardened-home", {
        modes: { "secrets.yaml": 0o644 },
        ...(gitCommit === undefined ? {} : { gitCommit }),
      });
      const { findings } = await audit(root);
      const aboveInfo = findings.filter((f) => atLeast(f.severity, "low"));
      expect(aboveInfo.map((f) => `${f.id} ${JSON.stringify(f.location)} ${f.message}`)).toEqual([]);
      expect(findings.map((f) => f.id)).toContain("www/public-files");
    }
  });

  it("fixes what the insecure home gets wrong: the same checks stay silent", async () => {
    const { findings } = await audit(copyExample("hardened-home"));
    const ids = new Set(findings.map((f) => f.id));
    for (const id of [
      "secrets/inline-credential",
      "http/no-tls",
      "auth/trusted-networks-bypass",
      "secrets/credential-in-file",
    ]) {
      expect(ids.has(id), id).toBe(false);
    }
  });
});
