import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NetworkFacts } from "../../src/model/network-facts.js";
import { scanNetwork } from "../../src/sources/network/index.js";
import { type HostilePeer, type Misbehaviour, startHostilePeer } from "./helpers/hostile-peers.js";

const KINDS: Misbehaviour[] = ["silent", "drip", "megabyte-banner", "garbage-tls", "reset", "endless-http"];
const PROBE_TIMEOUT_MS = 800;

/** A scan of ports whose peers misbehave must finish, within its bounds, and report each port. */
describe("scanner and probe dispatcher against hostile peers", () => {
  const peers = new Map<Misbehaviour, HostilePeer>();
  let facts: NetworkFacts;
  let elapsedMs: number;
  let heapGrowth: number;

  beforeAll(async () => {
    for (const kind of KINDS) peers.set(kind, await startHostilePeer(kind));
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    const result = await scanNetwork(["127.0.0.1"], {
      ports: [...peers.values()].map((p) => p.port),
      probeTimeoutMs: PROBE_TIMEOUT_MS,
      probeMaxBytes: 64 * 1024,
    });
    elapsedMs = Date.now() - started;
    heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    facts = result.facts;
  });
  afterAll(async () => {
    await Promise.all([...peers.values()].map((p) => p.close()));
  });

  const portOf = (kind: Misbehaviour) => facts.hosts[0]?.ports.find((p) => p.port === peers.get(kind)?.port);

  it("finishes within the probes' bounds (each port: at most six probe timeouts)", () => {
    // a bound, not a speed measurement: ports are probed in parallel, each within 6 × the probe timeout; the
    // slack is generous for a busy machine, yet a probe that waited on a dripping or endless peer without a
    // bound would never finish at all
    expect(elapsedMs).toBeLessThan(6 * PROBE_TIMEOUT_MS + 20_000);
  });

  it("reports every hostile port as open", () => {
    for (const kind of KINDS) expect(portOf(kind)?.state, kind).toBe("open");
  });

  it("keeps only a short printable line of a megabyte banner", () => {
    const banner = portOf("megabyte-banner")?.banner ?? "";
    expect(banner.length).toBeGreaterThan(0);
    expect(banner.length).toBeLessThanOrEqual(121);
    expect(banner).toMatch(/^A+…$/);
    expect(heapGrowth).toBeLessThan(64 * 1024 * 1024);
  });

  it("takes a drip for a short banner or for silence, and moves on", () => {
    // the first byte comes after a second, later than the banner wait: either way no protocol is claimed
    expect(portOf("drip")?.banner ?? "").toMatch(/^x{0,3}$/);
    expect(portOf("drip")?.http).toBeUndefined();
  });

  it("recognises none of the hostile peers as a protocol it is not", () => {
    for (const kind of ["silent", "garbage-tls", "reset"] as const) {
      const port = portOf(kind);
      expect(port?.tlsInfo, kind).toBeUndefined();
      expect(port?.http, kind).toBeUndefined();
      expect(port?.ssh, kind).toBeUndefined();
      expect(port?.mqtt, kind).toBeUndefined();
      expect(port?.smb, kind).toBeUndefined();
    }
  });

  it("does not take an endless header stream for an HTTP answer", () => {
    expect(portOf("endless-http")?.http).toBeUndefined();
  });
});
