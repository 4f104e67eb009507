import { describe, expect, it } from "vitest";
import { buildAllowList, buildTrustedProxies } from "../../src/guard/allow-list.js";
import { Detector, type DetectorSettings } from "../../src/guard/detector.js";
import type { FailedLogin, FailureKind } from "../../src/guard/events.js";

function settings(overrides: Partial<DetectorSettings> = {}): DetectorSettings {
  return {
    maxRetry: 3,
    maxTokenRetry: 10,
    findTime: 60,
    banTime: 100,
    banTimeFactor: 2,
    maxBanTime: 350,
    allow: buildAllowList({ allow: ["192.168.1.0/24", "2001:db8:aaaa::/48"], supervisorAddress: "172.30.32.2" }),
    trustedProxies: buildTrustedProxies({ trustedProxies: ["192.0.2.80/32"] }),
    ...overrides,
  };
}

const failure = (address: string, kind: FailureKind = "password"): FailedLogin => ({
  type: "failure",
  address,
  host: null,
  url: null,
  userAgent: null,
  kind,
  time: null,
});

describe("detector", () => {
  it("bans at maxRetry failures inside findTime", () => {
    const detector = new Detector(settings());
    expect(detector.observe(failure("203.0.113.1"), 0).action).toBe("count");
    expect(detector.observe(failure("203.0.113.1"), 10_000).action).toBe("count");
    const decision = detector.observe(failure("203.0.113.1"), 20_000);
    expect(decision).toMatchObject({ action: "ban", failures: 3, durationSeconds: 100, offence: 1 });
  });

  it("the window slides: failures older than findTime do not count", () => {
    const detector = new Detector(settings());
    detector.observe(failure("203.0.113.1"), 0);
    detector.observe(failure("203.0.113.1"), 30_000);
    // the first one is now 61 s old
    expect(detector.observe(failure("203.0.113.1"), 61_000)).toMatchObject({ action: "count", failures: 2 });
    expect(detector.observe(failure("203.0.113.1"), 62_000).action).toBe("ban");
  });

  it("stale tokens have their own, higher threshold", () => {
    const detector = new Detector(settings());
    for (let i = 0; i < 9; i++)
      expect(detector.observe(failure("203.0.113.2", "token"), i * 1000).action).toBe("count");
    expect(detector.observe(failure("203.0.113.2", "token"), 9_000).action).toBe("ban");
    // password failures are counted apart: two tokens + two passwords is no ban at maxRetry 3
    const other = new Detector(settings());
    other.observe(failure("203.0.113.3", "token"), 0);
    other.observe(failure("203.0.113.3", "token"), 1);
    expect(other.observe(failure("203.0.113.3", "password"), 2).action).toBe("count");
    expect(other.observe(failure("203.0.113.3", "unknown"), 3).action).toBe("count");
  });

  it("repeat offenders get longer bans, up to maxBanTime", () => {
    const detector = new Detector(settings());
    const durations: number[] = [];
    let now = 0;
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 3; i++) {
        const decision = detector.observe(failure("203.0.113.4"), now);
        if (decision.action === "ban") {
          durations.push(decision.durationSeconds);
          now += decision.durationSeconds * 1000;
        }
        now += 1000;
      }
    }
    expect(durations).toEqual([100, 200, 350, 350]);
  });

  it("ignores failures while banned; an unban lets counting start again", () => {
    const detector = new Detector(settings());
    for (let i = 0; i < 3; i++) detector.observe(failure("203.0.113.5"), i);
    expect(detector.observe(failure("203.0.113.5"), 10).action).toBe("already-banned");
    detector.unban("203.0.113.5");
    expect(detector.observe(failure("203.0.113.5"), 20)).toMatchObject({ action: "count", failures: 1 });
  });

  it("never bans loopback, the Supervisor or the owner's networks (IPv4 and IPv6)", () => {
    const detector = new Detector(settings());
    for (const address of ["127.0.0.1", "127.8.9.10", "::1", "172.30.32.2", "192.168.1.77", "2001:db8:aaaa:1::5"]) {
      for (let i = 0; i < 20; i++) expect(detector.observe(failure(address), i).action).toBe("allowed");
    }
    expect(detector.observe(failure("2001:db8:aaab::5"), 0).action).toBe("count");
  });

  it("failures from a trusted proxy warn about X-Forwarded-For instead of banning", () => {
    const detector = new Detector(settings());
    for (let i = 0; i < 10; i++) {
      const decision = detector.observe(failure("192.0.2.80"), i);
      expect(decision.action).toBe("proxy-warning");
      expect(decision.action === "proxy-warning" && decision.reason).toContain("X-Forwarded-For");
    }
  });

  it("a successful login resets the counter, as Home Assistant does", () => {
    const detector = new Detector(settings());
    detector.observe(failure("203.0.113.6"), 0);
    detector.observe(failure("203.0.113.6"), 1);
    detector.success("203.0.113.6");
    expect(detector.observe(failure("203.0.113.6"), 2)).toMatchObject({ action: "count", failures: 1 });
  });

  it("restored offences make the next ban longer", () => {
    const detector = new Detector(settings());
    detector.restore("203.0.113.7", 1, 0);
    let last = detector.observe(failure("203.0.113.7"), 0);
    last = detector.observe(failure("203.0.113.7"), 1);
    last = detector.observe(failure("203.0.113.7"), 2);
    expect(last).toMatchObject({ action: "ban", offence: 2, durationSeconds: 200 });
  });
});
