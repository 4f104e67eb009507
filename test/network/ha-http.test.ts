import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { networkChecks } from "../../src/checks/network/index.js";
import { runChecks } from "../../src/model/engine.js";
import type { Facts } from "../../src/model/facts.js";
import type { Finding } from "../../src/model/finding.js";
import type { NetworkFacts, PortReport } from "../../src/model/network-facts.js";
import { scanNetwork } from "../../src/sources/network/index.js";
import { type HaState, type StandIn, startHaStandIn } from "./helpers/ha-standin.js";

/** The HTTP probe and the Home Assistant checks against replayed real Home Assistant 2023.11.3 answers. */
describe("Home Assistant over HTTP (recorded 2023.11.3 responses)", () => {
  const standIns = new Map<HaState, StandIn>();
  let facts: NetworkFacts;
  let findings: Finding[];
  const portOf = (state: HaState) => standIns.get(state)?.port ?? 0;
  const reportOf = (state: HaState): PortReport | undefined =>
    facts.hosts[0]?.ports.find((p) => p.port === portOf(state));
  const findingsAt = (state: HaState) =>
    findings.filter((f) => f.location !== undefined && "port" in f.location && f.location.port === portOf(state));

  beforeAll(async () => {
    for (const state of ["pre-onboarding", "onboarded", "banned"] as const)
      standIns.set(state, await startHaStandIn(state));
    const result = await scanNetwork(["127.0.0.1"], {
      ports: [...standIns.values()].map((s) => s.port),
      probeTimeoutMs: 2000,
    });
    facts = result.facts;
    expect(result.errors).toEqual([]);
    const all: Facts = {
      network: facts,
      missing: {},
      errors: [],
      options: { passwordBudgetSeconds: 0 },
      now: new Date(),
    };
    findings = runChecks(networkChecks, all).findings;
  });
  afterAll(async () => {
    await Promise.all([...standIns.values()].map((s) => s.close()));
  });

  it("recognises Home Assistant and reads its version from the WebSocket's first frame", () => {
    for (const state of ["pre-onboarding", "onboarded"] as const) {
      const report = reportOf(state);
      expect(report?.service, state).toBe("home-assistant");
      expect(report?.product, state).toBe("Home Assistant 2023.11.3");
      expect(report?.tls, state).toBe(false);
      expect(report?.http?.server, state).toBe("");
      expect(report?.http?.homeAssistant?.evidence, state).toContain("/api/ answers 401");
    }
    expect(reportOf("onboarded")?.http?.homeAssistant?.evidence).toContain("/manifest.json names Home Assistant");
  });

  it("reports an unfinished onboarding as critical, located by host and port", () => {
    const onboarding = findings.filter((f) => f.id === "network/ha-onboarding-open");
    expect(onboarding).toHaveLength(1);
    expect(onboarding[0]?.severity).toBe("critical");
    expect(onboarding[0]?.location).toEqual({ host: "127.0.0.1", port: portOf("pre-onboarding"), protocol: "tcp" });
    expect(onboarding[0]?.evidence).toContain("user=not done");
  });

  it("reads the login providers once onboarded (and the 400 before)", () => {
    expect(reportOf("onboarded")?.http?.homeAssistant?.authProviders).toEqual(["homeassistant"]);
    expect(reportOf("pre-onboarding")?.http?.homeAssistant?.authProvidersStatus).toBe(400);
    expect(findings.some((f) => f.id === "network/ha-trusted-networks-offered")).toBe(false);
  });

  it("matches the version against the shipped advisories and flags plain HTTP", () => {
    const ids = findingsAt("onboarded").map((f) => f.id);
    expect(ids).toEqual(
      expect.arrayContaining(["network/ha-vulnerable-version", "network/ha-plain-http", "network/ha-reachable"]),
    );
    expect(ids).not.toContain("network/ha-no-frame-options"); // 2023.11.3 sends X-Frame-Options: SAMEORIGIN
    const version = findingsAt("onboarded").find((f) => f.id === "network/ha-vulnerable-version");
    expect(version?.message).toContain("CVE-2026-64825");
  });

  it("recognises the banned-address 403 and the aiohttp version it leaks", () => {
    const banned = reportOf("banned");
    expect(banned?.http?.bannedResponse?.server).toBe("Python/3.11 aiohttp/3.8.4");
    expect(banned?.http?.homeAssistant).toBeUndefined();
    const ids = findingsAt("banned").map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(["network/ha-scanner-banned", "network/http-server-version"]));
    expect(ids).not.toContain("network/ha-onboarding-open");
  });

  it("only ever sends anonymous GETs: never a login, never a password", () => {
    for (const standIn of standIns.values()) {
      expect(standIn.requests.length).toBeGreaterThan(0);
      for (const request of standIn.requests) expect(request).toMatch(/^GET \//);
      expect(standIn.requests.some((r) => r.includes("login_flow") || r.includes("/auth/token"))).toBe(false);
    }
  });
});
