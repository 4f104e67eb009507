import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../src/app/audit.js";
import { readSuppressions, type Suppression } from "../../src/app/suppressions.js";
import { render } from "../../src/report/index.js";
import type { Report } from "../../src/report/report.js";
import { runCli } from "../helpers/cli.js";
import { makeTree, removeTree } from "../helpers/tree.js";
import { type StandIn, startHaStandIn } from "../network/helpers/ha-standin.js";

/**
 * Check ids renamed to the topic/name rule keep working wherever an owner or a tool wrote the old one:
 * `.hassguard.yaml`, `--ignore` (ids and globs), `hassguard checks`, SARIF history.
 */
describe("former check ids", () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startHaStandIn("pre-onboarding");
  });
  afterAll(async () => {
    await standIn.close();
  });
  const audit = (suppressions: Suppression[]): Promise<Report> =>
    runAudit({
      configDir: "examples/insecure-home",
      network: { host: "127.0.0.1", ports: [standIn.port], budgetMs: 20_000 },
      passwordBudgetSeconds: 0,
      suppressions,
      version: "test",
    });

  it("a .hassguard.yaml written with old ids still suppresses the renamed checks", async () => {
    const dir = makeTree({
      ".hassguard.yaml":
        "ignore:\n" +
        "  - id: storage/private-file-modes\n    reason: the auth store is on an encrypted volume\n" +
        "  - id: network/ha-onboarding-open\n    path: 127.0.0.1:*/tcp\n    reason: a lab instance\n",
    });
    try {
      const suppressions = readSuppressions(`${dir}/.hassguard.yaml`);
      const before = await audit([]);
      expect(before.findings.some((f) => f.id === "secrets/storage-file-modes")).toBe(true);
      expect(before.findings.some((f) => f.id === "users/onboarding-open")).toBe(true);
      const after = await audit(suppressions);
      expect(
        after.findings.filter((f) => ["secrets/storage-file-modes", "users/onboarding-open"].includes(f.id)),
      ).toEqual([]);
      // listed under the id the check has now, with the owner's reason
      expect(after.suppressed.map((s) => `${s.id}: ${s.reason}`)).toEqual(
        expect.arrayContaining([
          "secrets/storage-file-modes: the auth store is on an encrypted volume",
          "users/onboarding-open: a lab instance",
        ]),
      );
    } finally {
      removeTree(dir);
    }
  });

  it("--ignore network/* still suppresses every check that used to be under network/", async () => {
    const report = await audit([{ id: "network/*", reason: "--ignore on the command line" }]);
    const formerNetwork = report.findings.filter((f) => f.location !== undefined && "port" in f.location);
    // the version check now also reads .HA_VERSION; only its WebSocket sighting was under network/ before
    expect(formerNetwork.filter((f) => f.id !== "version/known-advisories")).toEqual([]);
    expect(report.suppressed.map((s) => s.id)).toEqual(
      expect.arrayContaining(["users/onboarding-open", "http/plain-http", "ports/home-assistant-reachable"]),
    );
  });

  it("SARIF names the old id of each renamed rule as a deprecated id", async () => {
    const sarif = JSON.parse(render("sarif", await audit([]), { color: false }));
    const rule = sarif.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === "users/onboarding-open");
    expect(rule.deprecatedIds).toEqual(["network/ha-onboarding-open"]);
  });

  it("hassguard checks OLD-ID explains the check and says it was renamed", () => {
    const result = runCli(["checks", "network/ssh-password-auth"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("network/ssh-password-auth was renamed to ssh/password-auth.");
    expect(result.stdout).toContain("ssh/password-auth — SSH accepts passwords");
    const json = JSON.parse(runCli(["checks", "storage/private-file-modes", "--format", "json"]).stdout);
    expect(json).toMatchObject({
      id: "secrets/storage-file-modes",
      renamedFrom: "storage/private-file-modes",
      formerIds: ["storage/private-file-modes"],
    });
  });
});
