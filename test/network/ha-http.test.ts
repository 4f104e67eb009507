import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksReading } from "../../src/checks/index.js";
import { runChecks } from "../../src/model/engine.js";
import type { Facts } from "../../src/model/facts.js";
import type { Finding } from "../../src/model/finding.js";
import type { NetworkFacts, PortReport } from "../../src/model/network-facts.js";
import { readAdvisories } from "../../src/sources/advisories.js";
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
      advisories: (await readAdvisories()).facts,
      missing: {},
      errors: [],
      now: new Date(),
    };
    findings = runChecks(checksReading("network"), all).findings;
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
      expect(report?.http?.homeAssistant?.evidence, state).toContain("WebSocket sends auth_required with ha_version");
    }
    expect(reportOf("onboarded")?.http?.homeAssistant?.evidence).toContain("/manifest.json names Home Assistant");
  });

  it("reports an unfinished onboarding as critical, located by host and port", () => {
    const onboarding = findings.filter((f) => f.id === "users/onboarding-open");
    expect(onboarding).toHaveLength(1);
    expect(onboarding[0]?.severity).toBe("critical");
    expect(onboarding[0]?.location).toEqual({ host: "127.0.0.1", port: portOf("pre-onboarding"), protocol: "tcp" });
    expect(onboarding[0]?.evidence).toContain("user=not done");
  });

  it("reads the login providers once onboarded (and the 400 before)", () => {
    expect(reportOf("onboarded")?.http?.homeAssistant?.authProviders).toEqual(["homeassistant"]);
    expect(reportOf("pre-onboarding")?.http?.homeAssistant?.authProvidersStatus).toBe(400);
    expect(findings.some((f) => f.id === "auth/trusted-networks-offered")).toBe(false);
  });

  it("matches the version against the shipped advisories and flags plain HTTP", () => {
    const ids = findingsAt("onboarded").map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(["http/plain-http", "ports/home-assistant-reachable"]));
    expect(ids).not.toContain("http/no-frame-options"); // 2023.11.3 sends X-Frame-Options: SAMEORIGIN
    // one finding per advisory: both stand-ins greet with 2023.11.3, so each advisory is seen at both ports
    const versions = findings.filter((f) => f.id === "version/known-advisories");
    expect(new Set(versions.map((f) => f.message)).size).toBe(versions.length);
    const onboarding = versions.find((f) => f.message.startsWith("CVE-2026-64825"));
    expect(onboarding?.evidence).toBe("WebSocket auth_required: ha_version 2023.11.3 < 2026.6.0");
    const ports = [onboarding?.location, ...(onboarding?.alsoSeen ?? []).map((s) => s.location)].map((l) =>
      l !== undefined && "port" in l ? l.port : undefined,
    );
    expect(ports.sort()).toEqual([portOf("pre-onboarding"), portOf("onboarded")].sort());
  });

  it("recognises the banned-address 403 as a high finding: results incomplete, and how to unban", () => {
    const banned = reportOf("banned");
    expect(banned?.http?.bannedResponse?.server).toBe("Python/3.11 aiohttp/3.8.4");
    expect(banned?.http?.homeAssistant).toBeUndefined();
    const ids = findingsAt("banned").map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(["ip-bans/scanner-banned", "http/server-version"]));
    expect(ids).not.toContain("users/onboarding-open");
    const ban = findingsAt("banned").find((f) => f.id === "ip-bans/scanner-banned");
    expect(ban?.severity).toBe("high");
    expect(ban?.message).toContain("incomplete");
    expect(ban?.message).toContain("(127.0.0.1)");
    expect(ban?.message).toMatch(/remove its line from `ip_bans\.yaml`.*restart Home Assistant/);
    expect(ban?.message).toContain("http.unban");
    // the banned stand-in got no further probe (MQTT over websockets) after its 403s
    expect(standIns.get("banned")?.requests.filter((r) => r !== "GET /api/websocket")).toHaveLength(4);
  });

  it("quotes a Server header only with the ordinary request whose answer carried it", () => {
    // Home Assistant's pages send an empty Server header; its WebSocket upgrade (every browser makes it)
    // carries aiohttp's (recorded: pre-onboarding/08-websocket-hello.json)
    const leak = findingsAt("onboarded").find((f) => f.id === "http/server-version");
    expect(leak?.evidence).toBe("GET /api/websocket (WebSocket upgrade): Server: Python/3.11 aiohttp/3.8.4");
    expect(reportOf("onboarded")?.http?.serverVersions).toEqual([
      { request: "GET /api/websocket (WebSocket upgrade)", server: "Python/3.11 aiohttp/3.8.4" },
    ]);
  });

  it("only ever sends anonymous GETs of views that need no authentication: never a login, never a password", () => {
    for (const standIn of standIns.values()) {
      expect(standIn.requests.length).toBeGreaterThan(0);
      for (const request of standIn.requests) expect(request).toMatch(/^GET \//);
      expect(standIn.requests.some((r) => r.includes("login_flow") || r.includes("/auth/token"))).toBe(false);
      expect(standIn.requests).not.toContain("GET /api/");
      expect(standIn.failedLogins.size).toBe(0);
    }
  });

  it("requests no URL that the recorded 2023.11.3 log shows as a failed login (it shows GET /api/)", () => {
    const log = readFileSync(
      path.resolve(import.meta.dirname, "../fixtures/ha/2023.11.3/config-files/home-assistant.log.full-run.txt"),
      "utf8",
    );
    const failed = [...log.matchAll(/invalid authentication from .*? Requested URL: '([^']*)'/g)].map((m) => m[1]);
    expect(failed).toContain("/api/");
    const sent = [...standIns.values()].flatMap((s) => s.requests.map((r) => r.replace(/^GET /, "")));
    expect(sent.filter((url) => failed.includes(url))).toEqual([]);
  });
});
