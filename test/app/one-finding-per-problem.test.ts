import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../src/app/audit.js";
import type { Report } from "../../src/report/report.js";
import { makeTree, removeTree } from "../helpers/tree.js";
import { type StandIn, startHaStandIn } from "../network/helpers/ha-standin.js";

/**
 * A home seen from two sides: its configuration folder (no owner yet in `.storage`, a plain-HTTP public
 * `external_url`) and the Home Assistant that serves it (the recorded 2023.11.3 before onboarding, on loopback).
 * Each problem both sides see is one finding with both pieces of evidence.
 */
const HOME = {
  "configuration.yaml": "homeassistant:\n  name: Test\n  external_url: http://home.example.com:8123\nhttp:\n",
  ".HA_VERSION": "2023.11.3\n",
  ".storage/onboarding": JSON.stringify({ version: 4, minor_version: 1, key: "onboarding", data: { done: [] } }),
};

describe("one finding per problem across sources", () => {
  let standIn: StandIn;
  let root: string;
  const audit = (ignore: string[] = []): Promise<Report> =>
    runAudit({
      configDir: root,
      network: { host: "127.0.0.1", ports: [standIn.port], budgetMs: 20_000 },
      passwordBudgetSeconds: 0,
      suppressions: ignore.map((id) => ({ id, reason: "test" })),
      version: "test",
    });
  const at = (report: Report, id: string) => report.findings.filter((f) => f.id === id);
  const port = () => ({ host: "127.0.0.1", port: standIn.port, protocol: "tcp" });

  beforeAll(async () => {
    standIn = await startHaStandIn("pre-onboarding");
    root = makeTree(HOME, "hassguard-problem-");
  });
  afterAll(async () => {
    await standIn.close();
    removeTree(root);
  });

  it("reports the open onboarding once, with the .storage record and the port's answer as evidence", async () => {
    const report = await audit();
    const onboarding = report.findings.filter((f) => f.problem === "onboarding-open");
    expect(onboarding).toHaveLength(1);
    const [finding] = onboarding;
    const sightings = [finding, ...(finding?.alsoSeen ?? [])];
    expect(sightings.map((s) => s?.id).sort()).toEqual(["users/onboarding-not-finished", "users/onboarding-open"]);
    expect(sightings.map((s) => s?.location)).toEqual(
      expect.arrayContaining([{ file: ".storage/onboarding" }, port()]),
    );
    expect(sightings.map((s) => s?.evidence)).toEqual(
      expect.arrayContaining(["done: []", expect.stringContaining("user=not done")]),
    );
    expect(report.summary.critical).toBe(1);
  });

  it("reports plain HTTP once: the configured public address leads, the scanned port is a second sighting", async () => {
    const report = await audit();
    const plain = report.findings.filter((f) => f.problem === "home-assistant-plain-http");
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatchObject({ id: "http/no-tls", severity: "high", location: { file: "configuration.yaml" } });
    expect(plain[0]?.alsoSeen).toEqual([
      expect.objectContaining({ id: "http/plain-http", location: port(), evidence: expect.any(String) }),
    ]);
    expect(at(report, "http/plain-http")).toEqual([]);
  });

  it("reports each advisory once, at .HA_VERSION, with the WebSocket greeting as evidence", async () => {
    const report = await audit();
    const advisories = at(report, "version/known-advisories").filter((f) => f.severity !== "info");
    expect(advisories.length).toBeGreaterThan(0);
    for (const advisory of advisories) {
      expect(advisory.location).toEqual({ file: ".HA_VERSION", line: 1, column: 1 });
      expect(advisory.alsoSeen?.map((s) => s.location)).toEqual([port()]);
    }
  });

  it("suppressing one check hides only its sighting: the other source still reports the problem", async () => {
    const report = await audit(["users/onboarding-open"]);
    const onboarding = report.findings.filter((f) => f.problem === "onboarding-open");
    expect(onboarding.map((f) => f.id)).toEqual(["users/onboarding-not-finished"]);
    expect(onboarding[0]?.alsoSeen).toBeUndefined();
    expect(report.suppressed.map((s) => s.id)).toEqual(["users/onboarding-open"]);
  });
});
