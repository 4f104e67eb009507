import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NetNamespace } from "./helpers/netns.js";

const OPEN = [1, 22, 1883, 8123, 22222, 40000, 65535];
const DROPPED = 4444; // nftables drops the SYN: no answer
const REJECTED = 4445; // nftables answers with ICMP admin-prohibited
const PORTS = `1-3000,${DROPPED},${REJECTED},8123,22222,40000,65535`;
const SCANNED = 3000 + 6;

/**
 * The connect paths of tcp-connect.ts (Node's tcp_wrap binding, reusing refused sockets; and net.Socket, the
 * fallback) must tell the same open/closed/filtered states, over IPv4 and IPv6, inside a namespace this test
 * owns.
 */
describe("connect scan through each connector", () => {
  let ns: NetNamespace;
  const run = (address: string, connector: string, window: string) =>
    JSON.parse(
      ns.exec(ns.nodeArgs("test/network/helpers/connect-scan-run.ts", [address, PORTS, connector, window])),
    ) as { connector: string; open: number[]; filtered: number[]; closed: number; skipped: number };

  beforeAll(async () => {
    ns = new NetNamespace(`hg-conn-${process.pid}`);
    ns.dropAndReject(DROPPED, REJECTED);
    await ns.start(ns.nodeArgs("test/network/helpers/listeners.ts", [OPEN.join(",")]));
  });
  afterAll(() => ns?.remove());

  const expected = { open: OPEN, filtered: [DROPPED, REJECTED], closed: SCANNED - OPEN.length - 2, skipped: 0 };

  it.each(["127.0.0.1", "::1"])("tcp_wrap, adaptive window, %s", (address) => {
    expect(run(address, "tcp_wrap", "auto")).toEqual({ connector: "tcp_wrap", ...expected });
  });

  it("tcp_wrap with one connect in flight: every attempt after a refusal or an ICMP error reuses its socket", () => {
    expect(run("127.0.0.1", "tcp_wrap", "1")).toEqual({ connector: "tcp_wrap", ...expected });
    expect(run("::1", "tcp_wrap", "1")).toEqual({ connector: "tcp_wrap", ...expected });
  });

  it("net.Socket, the fallback, finds the same", () => {
    expect(run("127.0.0.1", "net.Socket", "auto")).toEqual({ connector: "net.Socket", ...expected });
  });
});
