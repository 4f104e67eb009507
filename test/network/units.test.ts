import { describe, expect, it } from "vitest";
import { advisoriesAffecting } from "../../src/checks/advisories.js";
import { authTrustedNetworksOffered } from "../../src/checks/network/auth-trusted-networks-offered.js";
import { httpNoFrameOptions } from "../../src/checks/network/http-no-frame-options.js";
import { tlsCertExpired } from "../../src/checks/network/tls-cert-expired.js";
import type { AdvisoryIndex } from "../../src/model/advisory-facts.js";
import type { Facts } from "../../src/model/facts.js";
import type { PortReport } from "../../src/model/network-facts.js";
import { readAdvisories } from "../../src/sources/advisories.js";
import { PLAIN_HTTP_FIRST_PORTS } from "../../src/sources/network/dispatch.js";
import { parsePortList, selectPorts, TOP_PORTS } from "../../src/sources/network/ports.js";
import { RttEstimator } from "../../src/sources/network/rtt.js";
import { WindowController } from "../../src/sources/network/window.js";

const NOW = new Date("2026-11-23T12:00:00Z");
const ADVISORIES = (await readAdvisories()).facts as AdvisoryIndex;
function factsWith(port: Partial<PortReport>): Facts {
  return {
    network: { hosts: [{ address: "192.0.2.10", ports: [{ port: 8123, protocol: "tcp", state: "open", ...port }] }] },
    missing: {},
    errors: [],
    now: NOW,
  };
}
const ha = (homeAssistant: object, headers: object = { xFrameOptions: "SAMEORIGIN" }) => ({
  http: {
    tls: false,
    status: 200,
    serverVersions: [],
    securityHeaders: headers,
    homeAssistant: { evidence: ["x"], ...homeAssistant },
  },
});

describe("port selection", () => {
  it("parses lists and ranges and refuses anything else with a clear message", () => {
    expect(parsePortList("22,8123,8000-8002,22")).toEqual([22, 8123, 8000, 8001, 8002]);
    expect(() => parsePortList("0")).toThrow(/invalid port or range "0"/);
    expect(() => parsePortList("80-70")).toThrow(/80-70/);
    expect(() => parsePortList("http")).toThrow(/http/);
    expect(() => parsePortList("65536")).toThrow(/65536/);
  });
  it("scans every port once, Home Assistant's first", () => {
    const all = selectPorts("all");
    expect(all).toHaveLength(65535);
    expect(new Set(all).size).toBe(65535);
    expect(all.slice(0, 3)).toEqual([22, 8123, 22222]);
    expect(selectPorts("top")).toEqual([...TOP_PORTS]);
  });
});

describe("requests that are not what the server speaks", () => {
  it("asks Home Assistant's port in plain HTTP first, so aiohttp never gets a TLS ClientHello", () => {
    expect(PLAIN_HTTP_FIRST_PORTS).toContain(8123);
    for (const tlsPort of [443, 8443, 8883, 8884]) expect(PLAIN_HTTP_FIRST_PORTS).not.toContain(tlsPort);
  });
});

describe("advisories", () => {
  it("matches a version inside an affected core range and not outside", () => {
    const idsFor = (version: string) => advisoriesAffecting(version, ADVISORIES).map((a) => a.record.id);
    const ids = idsFor("2023.3.1");
    expect(ids).toEqual(expect.arrayContaining(["GHSA-2j8f-h4mr-qr25", "GHSA-jvxq-x42r-f7mv", "CVE-2026-64825"]));
    expect(idsFor("2023.9.0")).not.toContain("GHSA-jvxq-x42r-f7mv");
    // add-on / app advisories and ranges without an upper bound are never matched
    expect(idsFor("2023.3.1")).not.toContain("GHSA-vv4j-m4vr-f3g6");
    expect(idsFor("2023.12.1")).not.toContain("GHSA-jqpc-rc7g-vf83");
  });
  it("matches nothing for a version it cannot read", () => {
    expect(advisoriesAffecting("dev", ADVISORIES)).toEqual([]);
    expect(advisoriesAffecting("0.66.0", ADVISORIES).length).toBeGreaterThan(0);
  });
});

describe("checks over built facts", () => {
  it("trusted_networks offered to the scanner is a finding, the default provider is not", () => {
    expect(
      authTrustedNetworksOffered.run(factsWith(ha({ authProviders: ["homeassistant", "trusted_networks"] }))),
    ).toHaveLength(1);
    expect(authTrustedNetworksOffered.run(factsWith(ha({ authProviders: ["homeassistant"] })))).toHaveLength(0);
  });
  it("a Home Assistant without X-Frame-Options is a finding, unless CSP frame-ancestors stands in", () => {
    expect(httpNoFrameOptions.run(factsWith(ha({}, {})))).toHaveLength(1);
    expect(httpNoFrameOptions.run(factsWith(ha({})))).toHaveLength(0);
    expect(httpNoFrameOptions.run(factsWith(ha({}, { contentSecurityPolicy: "frame-ancestors 'self'" })))).toHaveLength(
      0,
    );
  });
  it("a certificate close to expiry is low, an expired one high (measured against facts.now)", () => {
    const cert = (validTo: string) => ({
      tlsInfo: {
        negotiated: "TLSv1.3",
        cipher: "x",
        accepted: ["TLSv1.3" as const],
        certificate: {
          subject: "CN=a",
          issuer: "CN=a",
          validFrom: "2026-01-01T00:00:00.000Z",
          validTo,
          selfSigned: true,
          fingerprint256: "x",
        },
      },
    });
    expect(tlsCertExpired.run(factsWith(cert("2026-11-30T00:00:00.000Z")))[0]?.severity).toBe("low");
    expect(tlsCertExpired.run(factsWith(cert("2026-11-01T00:00:00.000Z")))[0]?.severity).toBeUndefined(); // the check's own: high
    expect(tlsCertExpired.run(factsWith(cert("2026-11-01T00:00:00.000Z")))).toHaveLength(1);
    expect(tlsCertExpired.run(factsWith(cert("2027-06-01T00:00:00.000Z")))).toHaveLength(0);
  });
});

describe("scanner timing", () => {
  it("keeps the probe timeout between its floor and ceiling and follows measured round trips", () => {
    const rtt = new RttEstimator(1000, 100, 1250);
    expect(rtt.timeoutMs()).toBe(1000);
    for (let i = 0; i < 20; i++) rtt.sample(1);
    expect(rtt.timeoutMs()).toBe(100);
    for (let i = 0; i < 20; i++) rtt.sample(400);
    expect(rtt.timeoutMs()).toBeGreaterThan(400);
    expect(rtt.timeoutMs()).toBeLessThanOrEqual(1250);
  });
  it("doubles the window while that raises the answer rate, and holds it when it does not", () => {
    // a 20 ms path: answers per interval grow with the window (until the ceiling)
    const path = new WindowController(64, 32, 4096, 0, 50);
    let now = 0;
    for (let step = 0; step < 12; step++) {
      const answers = Math.round((path.window() * 60) / 20);
      for (let i = 1; i <= answers; i++) path.answered(20, now + (60 * i) / answers);
      now += 60;
    }
    expect(path.window()).toBe(4096);
    path.congested();
    expect(path.window()).toBe(2048);
    // loopback: this machine answers 40 per ms whatever the window, so it stays near where it started
    const loop = new WindowController(64, 32, 4096, 0, 50);
    for (let t = 0.025; t <= 1000; t += 0.025) loop.answered(0.05, t);
    expect(loop.window()).toBeLessThanOrEqual(160);
  });
  it("grows the window behind a firewall that drops everything: timeouts are progress too", () => {
    // each attempt ends after a 100 ms timeout, so the window sets how many end per interval
    const dropped = new WindowController(256, 32, 4096, 0, 50);
    let now = 0;
    for (let step = 0; step < 12; step++) {
      const endings = Math.round((dropped.window() * 60) / 100);
      for (let i = 1; i <= endings; i++) dropped.resolved(now + (60 * i) / endings);
      now += 60;
    }
    expect(dropped.window()).toBe(4096);
    expect(dropped.shortestRttMs()).toBeUndefined(); // no answer, no round-trip estimate
  });
});
