import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checksOf } from "../../src/checks/index.js";
import { runChecks } from "../../src/model/engine.js";
import type { Facts } from "../../src/model/facts.js";
import type { NetworkFacts } from "../../src/model/network-facts.js";
import { scanNetwork } from "../../src/sources/network/index.js";
import { expiredSelfSigned, selfSigned } from "./helpers/certs.js";
import { type StandIn, startHaStandIn } from "./helpers/ha-standin.js";
import { type Nginx, startNginx } from "./helpers/nginx.js";

/** nginx (Debian's, OpenSSL 3) serving TLS with certificates this test makes; one site proxies Home Assistant. */
describe("TLS and HTTPS probes against nginx", () => {
  let dir: string;
  let nginx: Nginx;
  let ha: StandIn;
  let facts: NetworkFacts;
  let errors: string[];
  const port = (name: string) => nginx.ports[name] ?? 0;
  const report = (name: string) => facts.hosts[0]?.ports.find((p) => p.port === port(name));
  const findings = () => {
    const all: Facts = {
      network: facts,
      missing: {},
      errors: [],
      now: new Date(),
    };
    return runChecks(checksOf("network"), all).findings;
  };
  const idsAt = (name: string) =>
    findings()
      .filter((f) => f.location && "port" in f.location && f.location.port === port(name))
      .map((f) => f.id);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "hassguard-nginx-"));
    ha = await startHaStandIn("onboarded");
    const local = selfSigned(dir, "local", "localhost", { san: "DNS:localhost,IP:127.0.0.1" });
    nginx = await startNginx(dir, [
      { name: "ha-proxy", cert: local, proxyTo: ha.port },
      { name: "hsts", cert: local, extraHeaders: ['Strict-Transport-Security "max-age=31536000"'] },
      { name: "expired", cert: expiredSelfSigned(dir, "expired", "localhost") },
      { name: "wrong-host", cert: selfSigned(dir, "wrong", "wrong.example") },
      {
        name: "legacy",
        cert: selfSigned(dir, "legacy", "legacy", { bits: 1024, digest: "sha1", san: "DNS:localhost" }),
        protocols: "TLSv1 TLSv1.1 TLSv1.2",
      },
    ]);
    // scanned by name, as a user would: the name is what the certificates are checked against
    // a generous probe bound: every site here answers at once, so it is never waited out, and a busy machine
    // may take seconds for a TLS handshake
    const result = await scanNetwork(["localhost"], { ports: Object.values(nginx.ports), probeTimeoutMs: 30_000 });
    facts = result.facts;
    errors = result.errors.map((e) => e.message);
  });
  afterAll(async () => {
    await nginx?.stop();
    await ha?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("scans the name at its IPv4 address and sees every site open over TLS", () => {
    expect(facts.hosts[0]?.address).toBe("127.0.0.1");
    expect(facts.hosts[0]?.hostname).toBe("localhost");
    for (const name of Object.keys(nginx.ports)) {
      expect(report(name)?.state, name).toBe("open");
      expect(report(name)?.tls, name).toBe(true);
    }
    expect(errors).toEqual([]);
  });

  it("recognises Home Assistant behind the TLS proxy, and the proxy's missing HSTS", () => {
    const proxied = report("ha-proxy");
    expect(proxied?.service).toBe("home-assistant");
    expect(proxied?.http?.homeAssistant?.version).toBe("2023.11.3");
    expect(proxied?.http?.tls).toBe(true);
    expect(idsAt("ha-proxy")).toContain("http/no-hsts");
    expect(idsAt("ha-proxy")).not.toContain("http/plain-http");
    expect(idsAt("hsts")).not.toContain("http/no-hsts");
  });

  it("reports modern-only TLS as such and flags nothing about protocol, key or signature there", () => {
    expect(report("hsts")?.tlsInfo?.accepted).toEqual(["TLSv1.2", "TLSv1.3"]);
    expect(report("hsts")?.tlsInfo?.certificate?.signatureAlgorithm).toBe("sha256WithRSAEncryption");
    expect(report("hsts")?.tlsInfo?.certificate?.keyBits).toBe(2048);
    const ids = idsAt("hsts");
    for (const id of [
      "tls/old-protocol",
      "tls/weak-key",
      "tls/weak-signature",
      "tls/cert-expired",
      "tls/name-mismatch",
    ]) {
      expect(ids).not.toContain(id);
    }
    expect(ids).toContain("tls/self-signed");
  });

  it("finds the expired certificate", () => {
    expect(report("expired")?.tlsInfo?.certificate?.validTo).toBe("2020-02-01T00:00:00.000Z");
    expect(idsAt("expired")).toContain("tls/cert-expired");
    expect(findings().find((f) => f.id === "tls/cert-expired")?.severity).toBe("high");
  });

  it("finds the certificate made for another name", () => {
    expect(report("wrong-host")?.tlsInfo?.certificate?.nameMatches).toBe(false);
    expect(idsAt("wrong-host")).toContain("tls/name-mismatch");
    expect(idsAt("expired")).not.toContain("tls/name-mismatch");
  });

  it("finds TLS 1.0/1.1, the 1024-bit key and the SHA-1 signature of the legacy site", () => {
    const legacy = report("legacy")?.tlsInfo;
    expect(legacy?.accepted).toEqual(["TLSv1", "TLSv1.1", "TLSv1.2"]);
    expect(legacy?.certificate?.keyBits).toBe(1024);
    expect(legacy?.certificate?.signatureAlgorithm).toBe("sha1WithRSAEncryption");
    const ids = idsAt("legacy");
    expect(ids).toEqual(expect.arrayContaining(["tls/old-protocol", "tls/weak-key", "tls/weak-signature"]));
  });
});
