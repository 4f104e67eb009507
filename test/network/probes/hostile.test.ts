import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeMqtt } from "../../../src/sources/network/probes/mqtt.js";
import { probeSmb } from "../../../src/sources/network/probes/smb.js";
import { probeSsh } from "../../../src/sources/network/probes/ssh.js";
import { type HostileBehaviour, startHostileServer } from "./helpers/hostile.js";
import { startHostileProtocolPeer } from "./helpers/hostile-protocols.js";

const opts = { timeoutMs: 800, maxBytes: 64 * 1024 };
/**
 * Generous slack over the probe's own budget: this proves "gives up instead of hanging" (a peer that never
 * speaks or drips forever would keep a probe without bounds until the test's own timeout), not "is fast",
 * and a loaded machine may delay the probe's timer by seconds.
 */
const BOUND_MS = opts.timeoutMs + 15_000;

const probes = {
  ssh: (port: number) => probeSsh("127.0.0.1", port, opts),
  mqtt: (port: number) => probeMqtt("127.0.0.1", port, opts),
  "mqtt over websockets": (port: number) => probeMqtt("127.0.0.1", port, { ...opts, transport: "ws" }),
  smb: (port: number) => probeSmb("127.0.0.1", port, opts),
};
const behaviours: HostileBehaviour[] = ["silent", "garbage", "drip", "flood", "reset"];

describe("protocol probes against hostile peers", () => {
  const servers = new Map<HostileBehaviour, { port: number; close: () => Promise<void> }>();
  beforeAll(async () => {
    for (const behaviour of behaviours) servers.set(behaviour, await startHostileServer(behaviour));
  });
  afterAll(async () => {
    await Promise.all([...servers.values()].map((s) => s.close()));
  });

  for (const [name, probe] of Object.entries(probes)) {
    for (const behaviour of behaviours) {
      it(`${name} gives up on a peer that is ${behaviour}, within its bounds`, async () => {
        const server = servers.get(behaviour);
        if (!server) throw new Error("hostile server missing");
        const started = Date.now();
        const result = await probe(server.port);
        expect(result).toBeUndefined();
        expect(Date.now() - started).toBeLessThan(BOUND_MS);
      });
    }
  }
});

describe("protocol probes against peers that start right and then turn hostile", () => {
  async function timed<T>(run: () => Promise<T>): Promise<{ result: T; elapsed: number }> {
    const started = Date.now();
    const result = await run();
    return { result, elapsed: Date.now() - started };
  }

  it("ssh drops a KEXINIT packet that announces 2 GiB", async () => {
    const peer = await startHostileProtocolPeer("ssh-huge-packet");
    const { result, elapsed } = await timed(() => probeSsh("127.0.0.1", peer.port, opts));
    await peer.close();
    expect(result).toBeUndefined();
    expect(elapsed).toBeLessThan(BOUND_MS);
  });

  it("mqtt keeps what it saw from a broker that floods it, and stops at the byte cap", async () => {
    const peer = await startHostileProtocolPeer("mqtt-publish-flood");
    // time is no way out here (a minute to answer and to listen): only the byte cap can end the probe, and
    // `truncated` says it did, however slowly a busy machine delivers the flood
    const patient = { ...opts, timeoutMs: 60_000, listenMs: 60_000, anonymous: true };
    const result = await probeMqtt("127.0.0.1", peer.port, patient);
    await peer.close();
    expect(result?.anonymousAccepted).toBe(true);
    expect(result?.truncated).toBe(true);
    expect(result?.topicCount).toBeGreaterThan(10);
    expect(result?.topicCount).toBeLessThan(opts.maxBytes / 1000);
  });

  it("mqtt refuses a packet that announces 256 MiB", async () => {
    const peer = await startHostileProtocolPeer("mqtt-huge-length");
    const { result, elapsed } = await timed(() => probeMqtt("127.0.0.1", peer.port, opts));
    await peer.close();
    expect(result).toBeUndefined();
    expect(elapsed).toBeLessThan(BOUND_MS);
  });

  it("smb refuses a 16 MiB frame and a truncated SMB2 answer", async () => {
    for (const kind of ["smb-huge-frame", "smb-truncated"] as const) {
      const peer = await startHostileProtocolPeer(kind);
      const { result, elapsed } = await timed(() => probeSmb("127.0.0.1", peer.port, opts));
      await peer.close();
      expect(result).toBeUndefined();
      expect(elapsed).toBeLessThan(BOUND_MS);
    }
  });
});
