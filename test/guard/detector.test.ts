import { describe, expect, it } from "vitest";
import { NetworkList, parseNetwork } from "../../src/guard/address.js";
import { buildAllowList, buildTrustedProxies, ownIpv6Networks } from "../../src/guard/allow-list.js";
import { DEFAULT_MAX_TRACKED, type Decision, Detector, type DetectorSettings } from "../../src/guard/detector.js";
import type { FailedLogin, FailureKind } from "../../src/guard/events.js";

function networks(...cidrs: string[]): NetworkList {
  const list = new NetworkList();
  for (const cidr of cidrs) {
    const network = parseNetwork(cidr);
    if (network) list.add(network, `this machine's network ${cidr}`);
  }
  return list;
}

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
    maxPrefixRetry: 10,
    ownNetworks: networks(),
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

/** A documentation-range IPv4 address for the n-th sprayer (198.18.0.0/15 holds 131,072; 100.64/10 the rest). */
const sprayer = (n: number) =>
  n < 131_072
    ? `198.${18 + (n >> 16)}.${(n >> 8) & 0xff}.${n & 0xff}`
    : `100.${64 + ((n - 131_072) >> 16)}.${((n - 131_072) >> 8) & 0xff}.${(n - 131_072) & 0xff}`;

describe("detector under a spray of many addresses", () => {
  it("an attacker whose failures are interleaved with a spray of 100,001 other addresses is banned", () => {
    const detector = new Detector(settings({ findTime: 3600, maxRetry: 5 }));
    let now = 0;
    const decisions: string[] = [];
    const sprayed = new Map<string, number>();
    for (let n = 0; n <= 100_000; n++) {
      // the attacker fails every 25,000 sprayers: 5 failures in all, well inside findTime
      if (n % 25_000 === 0) decisions.push(detector.observe(failure("203.0.113.66"), now).action);
      const action = detector.observe(failure(sprayer(n)), now).action;
      sprayed.set(action, (sprayed.get(action) ?? 0) + 1);
      now += 1;
    }
    // the fifth comes after more than DEFAULT_MAX_TRACKED other addresses
    expect(decisions).toEqual(["count", "count", "count", "count", "ban"]);
    expect([...sprayed]).toEqual([["count", 100_001]]);
  });

  it("never forgets an address one failure from a ban in favour of one-off addresses", () => {
    const detector = new Detector(settings({ findTime: 3600 }));
    detector.observe(failure("203.0.113.67"), 0);
    detector.observe(failure("203.0.113.67"), 1);
    // more one-offs than the detector keeps (DEFAULT_MAX_TRACKED)
    for (let n = 0; n < 101_000; n++) detector.observe(failure(sprayer(n)), 2 + n * 0.01);
    expect(detector.observe(failure("203.0.113.67"), 3000)).toMatchObject({ action: "ban", failures: 3 });
    expect(detector.tracked).toBeLessThanOrEqual(DEFAULT_MAX_TRACKED);
  });

  it("a spray of 1,000,000 distinct addresses finishes with bounded memory", () => {
    const detector = new Detector(settings({ maxTracked: 10_000 }));
    // an attacker two failures in, still inside the window when the spray ends
    detector.observe(failure("203.0.113.68"), 0);
    detector.observe(failure("203.0.113.68"), 1);
    let now = 2;
    for (let n = 0; n < 1_000_000; n++) {
      detector.observe(failure(sprayer(n)), now);
      now += 0.05; // 1,000,000 failures within 50 s
      if (n % 100_000 === 0) expect(detector.tracked).toBeLessThanOrEqual(10_000);
    }
    expect(detector.tracked).toBeLessThanOrEqual(10_000);
    expect(detector.observe(failure("203.0.113.68"), now)).toMatchObject({ action: "ban" });
  });

  it("an attacker's first failures survive a spray that fails twice per address (one-offs keep half the table)", () => {
    const detector = new Detector(settings({ maxTracked: 1000, maxRetry: 5, findTime: 3600 }));
    const decisions: string[] = [];
    let now = 0;
    for (let n = 0; n < 2500; n++) {
      // once the table is full of twice-failed sprayers, the attacker fails once every 400 of them
      if (n >= 800 && n % 400 === 0) decisions.push(detector.observe(failure("203.0.113.70"), now).action);
      detector.observe(failure(sprayer(n)), now);
      detector.observe(failure(sprayer(n)), now + 1);
      now += 10;
    }
    expect(decisions).toEqual(["count", "count", "count", "count", "ban"]);
  });

  it("idle entries are dropped before entries with recent failures, whatever their counts", () => {
    const detector = new Detector(settings({ maxTracked: 1000, maxRetry: 4 }));
    // 1,000 addresses with 2 failures each, then silence for longer than findTime (60 s)
    for (let n = 0; n < 1000; n++) {
      detector.observe(failure(sprayer(n)), 0);
      detector.observe(failure(sprayer(n)), 1);
    }
    // an attacker fails once, then 600 newer one-offs push the table over its size
    detector.observe(failure("203.0.113.69"), 120_000);
    for (let n = 1000; n < 1600; n++) detector.observe(failure(sprayer(n)), 121_000);
    detector.observe(failure("203.0.113.69"), 122_000);
    detector.observe(failure("203.0.113.69"), 123_000);
    expect(detector.observe(failure("203.0.113.69"), 124_000)).toMatchObject({ action: "ban", failures: 4 });
  });
});

describe("detector: IPv6 /64 prefixes", () => {
  const rotate = (detector: Detector, prefix: string, tries: number, perAddress = 4, start = 0) => {
    const decisions: Decision[] = [];
    for (let i = 0; i < tries; i++) {
      const address = `${prefix}:${(Math.floor(i / perAddress) + 1).toString(16)}`;
      decisions.push(detector.observe(failure(address), start + i * 100));
    }
    return decisions;
  };

  it("bans the /64 of an attacker rotating through it (a new address every 4 tries)", () => {
    const detector = new Detector(settings({ maxRetry: 5, maxPrefixRetry: 10 }));
    const decisions = rotate(detector, "2001:db8:1:2::7", 12);
    expect(decisions.filter((d) => d.action === "ban" && d.scope === "address")).toEqual([]);
    const ban = decisions.find((d) => d.action === "ban");
    expect(ban).toMatchObject({
      action: "ban",
      address: "2001:db8:1:2::/64",
      scope: "prefix",
      failures: 10,
      addresses: 3,
      durationSeconds: 100,
    });
    expect(ban?.action === "ban" && ban.reason).toContain("2001:db8:1:2::/64");
    // a new address in the banned /64 is already banned; another /64 is not
    expect(detector.observe(failure("2001:db8:1:2::ffff"), 2000)).toMatchObject({ action: "already-banned" });
    expect(detector.observe(failure("2001:db8:1:3::1"), 2000)).toMatchObject({ action: "count" });
    // a repeat offence of the /64 bans longer
    detector.unban("2001:db8:1:2::/64");
    const again = rotate(detector, "2001:db8:1:2::8", 12, 4, 3000).find((d) => d.action === "ban");
    expect(again).toMatchObject({ address: "2001:db8:1:2::/64", offence: 2, durationSeconds: 200 });
  });

  it("one address alone never bans its /64, and stale tokens are not counted per /64", () => {
    const detector = new Detector(settings({ maxRetry: 5, maxPrefixRetry: 5, banTime: 1, findTime: 600 }));
    // the address itself is banned at 5; its ban lapses; 5 more: again the address, never the /64
    const first = rotate(detector, "2001:db8:5:5::1", 5, 100);
    expect(first.at(-1)).toMatchObject({ action: "ban", address: "2001:db8:5:5::1:1", scope: "address" });
    const second = rotate(detector, "2001:db8:5:5::1", 5, 100, 5000);
    expect(second.at(-1)).toMatchObject({ action: "ban", address: "2001:db8:5:5::1:1", scope: "address" });
    const tokens = new Detector(settings({ maxTokenRetry: 10, maxPrefixRetry: 5 }));
    for (let i = 0; i < 40; i++) {
      expect(tokens.observe(failure(`2001:db8:6:6::${i + 1}`, "token"), i).action).toBe("count");
    }
  });

  it("a /64 holding an allow-listed address, a trusted proxy or this machine's own network is never banned whole", () => {
    const allow = buildAllowList({ allow: ["2001:db8:7:7::5/128"], supervisorAddress: "172.30.32.2" });
    const trustedProxies = buildTrustedProxies({ trustedProxies: ["2001:db8:8:8::80/128"] });
    const ownNetworks = buildTrustedProxies({ trustedProxies: ["2001:db8:9:9::/64"] });
    const detector = new Detector(settings({ allow, trustedProxies, ownNetworks, maxPrefixRetry: 6 }));
    for (const prefix of ["2001:db8:7:7::1", "2001:db8:8:8::1", "2001:db8:9:9::1"]) {
      const decisions = rotate(detector, prefix, 40, 2);
      expect(decisions.filter((d) => d.action === "ban" && d.scope === "prefix")).toEqual([]);
    }
    // each address in it is still banned on its own
    expect(rotate(detector, "2001:db8:7:7::aa", 3, 3).at(-1)).toMatchObject({ action: "ban", scope: "address" });
    expect(detector.observe(failure("2001:db8:7:7::5"), 0).action).toBe("allowed");
    // the same rotation elsewhere is banned
    expect(rotate(detector, "2001:db8:a:a::1", 40, 2).some((d) => d.action === "ban" && d.scope === "prefix")).toBe(
      true,
    );
  });

  it("link-local peers are counted per address and zone, never per /64 (every device on the link shares fe80::/64)", () => {
    const detector = new Detector(settings({ maxPrefixRetry: 4 }));
    const decisions = [];
    for (let i = 0; i < 20; i++) decisions.push(detector.observe(failure(`fe80::${i + 1}%eth0`), i));
    expect(decisions.every((d) => d.action === "count")).toBe(true);
    detector.observe(failure("fe80::1%wlan0"), 30);
    // fe80::1%eth0 has one failure, fe80::1%wlan0 one of its own: another host on another link
    expect(detector.observe(failure("fe80::1%eth0"), 31)).toMatchObject({ action: "count", failures: 2 });
    expect(detector.observe(failure("fe80::1%eth0"), 32)).toMatchObject({ action: "ban", address: "fe80::1%eth0" });
  });

  it("this machine's own IPv6 networks come from its interfaces (global and unique-local, at least the /64)", () => {
    const entry = (address: string, cidr: string, family: "IPv4" | "IPv6" = "IPv6") => ({
      address,
      cidr,
      family,
      netmask: "",
      mac: "00:00:00:00:00:00",
      internal: false,
      ...(family === "IPv6" ? { scopeid: 0 } : {}),
    });
    const own = ownIpv6Networks({
      eth0: [
        entry("192.168.1.5", "192.168.1.5/24", "IPv4"),
        entry("2001:db8:1:2::5", "2001:db8:1:2::5/64"),
        entry("fe80::5", "fe80::5/64"),
      ],
      wlan0: [entry("fd00:aa:bb:cc::9", "fd00:aa:bb:cc::9/56"), entry("2001:db8:9:9::1", "2001:db8:9:9::1/128")],
      lo: [entry("::1", "::1/128")],
    } as unknown as ReturnType<typeof import("node:os").networkInterfaces>);
    expect(own.networks.map((n) => n.label)).toEqual([
      "this machine's network 2001:db8:1:2::/64 (eth0)",
      "this machine's network fd00:aa:bb::/56 (wlan0)",
      "this machine's network 2001:db8:9:9::/64 (wlan0)",
    ]);
  });

  it("maxPrefixRetry 0 turns prefix bans off", () => {
    const detector = new Detector(settings({ maxPrefixRetry: 0 }));
    expect(rotate(detector, "2001:db8:b:b::1", 40, 2).some((d) => d.action === "ban")).toBe(false);
  });
});
