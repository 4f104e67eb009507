import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { affects } from "../../../src/checks/advisories.js";
import { compareVersions } from "../../../src/model/ha-version.js";
import { indexAdvisories, parseCoreRange, parseFixed } from "../../../src/sources/advisories.js";
import { brief, cleanTrees, findingsOf } from "./audit-helper.js";

afterEach(cleanTrees);

const shipped = JSON.parse(readFileSync(new URL("../../../data/ha-advisories.json", import.meta.url), "utf8")) as {
  id: string;
}[];

describe("advisory ranges", () => {
  it("reads only unambiguous ranges, and the core part of combined entries", () => {
    expect(parseCoreRange(">=0 <2023.9.0")).toEqual({ below: "2023.9.0" });
    expect(parseCoreRange("<2026.6.0")).toEqual({ below: "2026.6.0" });
    expect(parseCoreRange(">=2023.12.0 <2024.1.1")).toEqual({ introduced: "2023.12.0", below: "2024.1.1" });
    expect(
      parseCoreRange("core <2023.3.2 (CVE record: <2023.3.0); supervisor <2023.03.3 (CVE record: <=2023.01.1)"),
    ).toEqual({ below: "2023.3.2" });
    expect(parseCoreRange(">=2023.12.0 (introduced); upper bound not in excerpt read")).toBeUndefined();
    expect(parseCoreRange("not sourced")).toBeUndefined();
    expect(parseFixed("core 2023.3.2 (advisory) / 2023.3.0 (CVE text); supervisor 2023.03.3")).toBe("2023.3.2");
    expect(parseFixed(null)).toBeUndefined();
  });

  it("matches by the affected range and names the advisory's fixed release", () => {
    const [advisory] = indexAdvisories([
      { id: "TEST-1", package: "home-assistant core", affected: "<2024.1.0", fixed: "2024.1.2", severity: "moderate" },
    ]).matchable;
    expect(advisory?.fixedIn).toBe("2024.1.2");
    expect(advisory?.severity).toBe("medium");
    expect(advisory && affects(advisory, "2023.12.4")).toBe(true);
    expect(advisory && affects(advisory, "2024.1.1")).toBe(false);
  });

  it("orders Home Assistant versions numerically, pre-releases before the release", () => {
    expect(compareVersions("2023.11.3", "2023.9.0")).toBeGreaterThan(0);
    expect(compareVersions("0.67.0", "2021.1.3")).toBeLessThan(0);
    expect(compareVersions("2024.1.0b2", "2024.1.0")).toBeLessThan(0);
    expect(compareVersions("2026.6", "2026.6.0")).toBe(0);
  });

  it("indexes the shipped data: apps, OS and HACS advisories left out, prose ranges kept aside", () => {
    const index = indexAdvisories(shipped);
    const matchable = index.matchable.map((a) => a.record.id);
    expect(matchable).toContain("GHSA-jvxq-x42r-f7mv");
    expect(matchable).toContain("CVE-2026-64825");
    expect(matchable).not.toContain("GHSA-h2jp-7grc-9xpp"); // iOS app
    expect(matchable).not.toContain("CVE-2021-3152"); // HACS
    expect(index.unmatchable.map((a) => a.id)).toContain("GHSA-jqpc-rc7g-vf83");
    const xss = index.matchable.find((a) => a.record.id === "GHSA-jvxq-x42r-f7mv");
    expect(xss && affects(xss, "2023.8.4")).toBe(true);
    expect(xss && affects(xss, "2023.9.0")).toBe(false);
  });
});

describe("version/known-advisories", () => {
  it("reports each advisory affecting .HA_VERSION with its fixed version, plus one note for unreadable ranges", async () => {
    const findings = await findingsOf("version/known-advisories", {
      "configuration.yaml": "default_config:\n",
      ".HA_VERSION": "2023.8.4\n",
    });
    const advisories = findings.filter((f) => f.severity !== "info");
    const ids = advisories.map((f) => f.message.split(" ")[0]?.replace(":", ""));
    expect(ids.sort()).toEqual(
      ["CVE-2026-64824", "CVE-2026-64825", "GHSA-jvxq-x42r-f7mv", "GHSA-pp3g-xmm4-5cw9", "GHSA-qhhj-7hrc-gqj5"].sort(),
    );
    const xss = advisories.find((f) => f.message.startsWith("GHSA-jvxq-x42r-f7mv"));
    expect(xss?.severity).toBe("critical");
    expect(xss?.message).toContain("Fixed in 2023.9.0");
    expect(brief(advisories).every((b) => b.at === ".HA_VERSION:1:1")).toBe(true);
    expect(advisories.find((f) => f.message.startsWith("GHSA-qhhj"))?.severity).toBe("low");
    const note = findings.filter((f) => f.severity === "info");
    expect(note).toHaveLength(1);
    expect(note[0]?.message).toContain("GHSA-935v-rmg9-44mw");
  });

  it("reports no advisory for a current release and nothing without .HA_VERSION", async () => {
    const current = await findingsOf("version/known-advisories", {
      "configuration.yaml": "default_config:\n",
      ".HA_VERSION": "2026.11.1\n",
    });
    expect(current.filter((f) => f.severity !== "info")).toEqual([]);
    expect(await findingsOf("version/known-advisories", { "configuration.yaml": "default_config:\n" })).toEqual([]);
  });

  it("does not guess for a version it cannot read", async () => {
    const findings = await findingsOf("version/known-advisories", {
      "configuration.yaml": "default_config:\n",
      ".HA_VERSION": "banana\n",
    });
    expect(brief(findings)).toEqual([{ severity: "info", at: ".HA_VERSION:1:1" }]);
  });
});
