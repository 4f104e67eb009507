import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksOf } from "../../src/checks/index.js";
import { runChecks } from "../../src/model/engine.js";
import type { NetworkFacts } from "../../src/model/network-facts.js";
import { scanNetwork } from "../../src/sources/network/index.js";
import { type StandIn, startHaStandIn } from "./helpers/ha-standin.js";

const SCANS = 10;

/**
 * Issue 8: three scans got the scanning machine banned by Home Assistant (`login_attempts_threshold: 3`),
 * because each sent an unauthenticated `GET /api/`. Ten scans of replayed Home Assistant 2023.11.3 answers,
 * with Home Assistant's own accounting of failed logins (see helpers/ha-standin.ts), must leave its log empty.
 */
describe("scanning Home Assistant never counts as a failed login", () => {
  const standIns: StandIn[] = [];
  const scans: NetworkFacts[] = [];

  beforeAll(async () => {
    for (const state of ["pre-onboarding", "onboarded"] as const)
      standIns.push(await startHaStandIn(state, { loginAttemptsThreshold: 3 }));
    const ports = standIns.map((s) => s.port);
    for (let i = 0; i < SCANS; i++) {
      const result = await scanNetwork(["127.0.0.1"], { ports, probeTimeoutMs: 3000, plainHttpFirstPorts: ports });
      expect(result.errors).toEqual([]);
      scans.push(result.facts);
    }
  });
  afterAll(async () => {
    await Promise.all(standIns.map((s) => s.close()));
  });

  it(`leaves no line in Home Assistant's log after ${SCANS} scans: no failed login, no ban, no warning`, () => {
    for (const standIn of standIns) {
      expect(standIn.log).toEqual([]);
      expect(standIn.failedLogins.size).toBe(0);
      expect(standIn.banned.size).toBe(0);
      expect(standIn.requests).not.toContain("GET /api/");
    }
  });

  it("still recognises Home Assistant, its version and its open onboarding on the last scan", () => {
    const last = scans.at(-1);
    const [preOnboarding, onboarded] = standIns.map((s) => last?.hosts[0]?.ports.find((p) => p.port === s.port));
    for (const report of [preOnboarding, onboarded]) {
      expect(report?.service).toBe("home-assistant");
      expect(report?.http?.homeAssistant?.version).toBe("2023.11.3");
      expect(report?.http?.bannedResponse).toBeUndefined();
    }
    expect(preOnboarding?.http?.homeAssistant?.onboarding?.find((s) => s.step === "user")?.done).toBe(false);
    expect(preOnboarding?.http?.homeAssistant?.evidence).toContain("/auth/providers answers onboarding_required");
    expect(onboarded?.http?.homeAssistant?.evidence).toContain("/manifest.json names Home Assistant");
    const findings = runChecks(checksOf("network"), {
      network: last ?? { hosts: [] },
      missing: {},
      errors: [],
      now: new Date(),
    }).findings;
    expect(findings.map((f) => f.id)).toContain("users/onboarding-open");
    expect(findings.map((f) => f.id)).not.toContain("ip-bans/scanner-banned");
  });
});
