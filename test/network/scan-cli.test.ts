import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksReading } from "../../src/checks/index.js";
import type { Report } from "../../src/report/report.js";
import { type StandIn, startHaStandIn } from "./helpers/ha-standin.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The CLI as a user runs it; asynchronous so the stand-in in this process can answer meanwhile. */
function hassguard(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "src/cli/main.ts"), ...args],
      { cwd: ROOT, timeout: 60_000, env: { ...process.env, NO_COLOR: "1" } },
      (error, stdout, stderr) => resolve({ status: error ? Number(error.code ?? 2) : 0, stdout, stderr }),
    );
  });
}

/** `hassguard audit CONFIG --host 127.0.0.1 --ports PORT` with the JSON report on standard output. */
function auditWithHost(config: string, port: number, extra: string[] = []) {
  const args = ["audit", config, "--host", "127.0.0.1", "--ports", String(port), "--password-budget", "0"];
  return hassguard([...args, "--format", "json", ...extra]);
}

describe("hassguard scan", () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startHaStandIn("pre-onboarding");
  });
  afterAll(async () => {
    await standIn.close();
  });

  it("prints the port table and the findings, and exits 1 on the critical onboarding finding", async () => {
    const { status, stdout, stderr } = await hassguard(["scan", "127.0.0.1", "--ports", String(standIn.port)]);
    expect(stderr).toBe("");
    expect(status).toBe(1);
    expect(stdout).toMatch(
      new RegExp(
        `127\\.0\\.0\\.1\\s+${standIn.port}/tcp\\s+open\\s+home-assistant\\s+Home Assistant 2023\\.11\\.3\\s+no`,
      ),
    );
    expect(stdout).toContain("CRITICAL (1)");
    expect(stdout).toContain("users/onboarding-open");
  });

  it("writes the JSON contract with the port under network and findings located by host and port", async () => {
    const { status, stdout } = await hassguard([
      "scan",
      "127.0.0.1",
      "--ports",
      String(standIn.port),
      "--format",
      "json",
      "--fail-on",
      "none",
    ]);
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report.targets.host).toBe("127.0.0.1");
    expect(report.network?.hosts[0]?.ports[0]).toMatchObject({
      port: standIn.port,
      protocol: "tcp",
      state: "open",
      service: "home-assistant",
      tls: false,
    });
    const onboarding = report.findings.find((f) => f.id === "users/onboarding-open");
    expect(onboarding?.location).toEqual({ host: "127.0.0.1", port: standIn.port, protocol: "tcp" });
  });

  it("refuses a bad port list with exit 2 and one clear line", async () => {
    const { status, stdout, stderr } = await hassguard(["scan", "127.0.0.1", "--ports", "22,99999"]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/--ports: invalid port or range "99999"/);
  });
});

describe("hassguard audit --host", () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startHaStandIn("onboarded");
  });
  afterAll(async () => {
    await standIn.close();
  });

  it("adds the host's ports and network findings to the configuration audit in one report", async () => {
    const { status, stdout } = await auditWithHost("examples/insecure-home", standIn.port, ["--fail-on", "none"]);
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as Report;
    expect(report.targets).toMatchObject({ config: "examples/insecure-home", host: "127.0.0.1" });
    expect(report.network?.hosts[0]?.ports.map((p) => p.port)).toEqual([standIn.port]);
    // the recorded instance is 2023.11.3, as is the example's .HA_VERSION: each advisory is one finding, at
    // .HA_VERSION, with the WebSocket greeting as a second sighting, not a second finding
    const versions = report.findings.filter((f) => f.id === "version/known-advisories");
    expect(versions.some((f) => f.message.startsWith("CVE-2026-64825"))).toBe(true);
    for (const version of versions) {
      expect(version.location).toEqual({ file: ".HA_VERSION", line: 1, column: 1 });
      expect(version.alsoSeen).toEqual([
        {
          id: "version/known-advisories",
          message: `The WebSocket greeting at 127.0.0.1:${standIn.port} names the same release, 2023.11.3.`,
          location: { host: "127.0.0.1", port: standIn.port, protocol: "tcp" },
          evidence: expect.stringContaining("WebSocket auth_required: ha_version 2023.11.3"),
        },
      ]);
    }
    const advisoryIds = versions.map((f) => f.message.split(":")[0]);
    expect(new Set(advisoryIds).size).toBe(advisoryIds.length);
    expect(report.findings.some((f) => f.id === "secrets/inline-credential")).toBe(true);
    const readingNetwork = new Set(checksReading("network").map((check) => check.id));
    expect(report.notChecked.filter((n) => readingNetwork.has(n.id))).toEqual([]);
  });
});

describe("hassguard scan of a Home Assistant that has banned this machine", () => {
  let standIn: StandIn;
  beforeAll(async () => {
    standIn = await startHaStandIn("banned");
  });
  afterAll(async () => {
    await standIn.close();
  });

  it("says the results are incomplete at high severity, with how to unban, and exits 1 at the default --fail-on", async () => {
    const { status, stdout } = await hassguard(["scan", "127.0.0.1", "--ports", String(standIn.port)]);
    expect(status).toBe(1);
    expect(stdout).toContain("HIGH (1)");
    expect(stdout).toContain("ip-bans/scanner-banned");
    expect(stdout).toContain("incomplete");
    expect(stdout).toContain("ip_bans.yaml");
    const json = await hassguard(["scan", "127.0.0.1", "--ports", String(standIn.port), "-f", "json"]);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as Report;
    expect(report.findings.find((f) => f.id === "ip-bans/scanner-banned")?.severity).toBe("high");
    expect(report.summary.score).toBeLessThan(100);
  });
});

describe("hassguard audit --host when ip_bans.yaml bans the scanning machine", () => {
  let standIn: StandIn;
  let configDir: string;
  beforeAll(async () => {
    standIn = await startHaStandIn("onboarded");
    configDir = mkdtempSync(path.join(tmpdir(), "hassguard-banned-config-"));
    copyFileSync(
      path.join(ROOT, "test/fixtures/ha/2023.11.3/config-files/configuration.yaml"),
      path.join(configDir, "configuration.yaml"),
    );
    // the recorded ip_bans.yaml: Home Assistant banned 127.0.0.1, the address this test scans from
    copyFileSync(
      path.join(ROOT, "test/fixtures/ha/2023.11.3/config-files/ip_bans.yaml"),
      path.join(configDir, "ip_bans.yaml"),
    );
    writeFileSync(path.join(configDir, ".HA_VERSION"), "2023.11.3\n");
  });
  afterAll(async () => {
    await standIn.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it("reports the scanner's own address in ip_bans.yaml as a high finding on that port", async () => {
    const { status, stdout } = await auditWithHost(configDir, standIn.port);
    expect(status).toBe(1);
    const report = JSON.parse(stdout) as Report;
    const ban = report.findings.find((f) => f.id === "ip-bans/scanner-banned");
    expect(ban?.severity).toBe("high");
    expect(ban?.location).toEqual({ host: "127.0.0.1", port: standIn.port, protocol: "tcp" });
    expect(ban?.message).toContain("ip_bans.yaml bans this machine (127.0.0.1)");
    expect(ban?.evidence).toContain("ip_bans.yaml: 127.0.0.1 banned_at 2026-11-23T17:18:43");
  });
});
