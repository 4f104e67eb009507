import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NetNamespace, PROJECT_ROOT } from "./helpers/netns.js";

const OPEN = [1, 22, 1883, 8123, 22222, 40000, 65535];
const DROPPED = 4444; // nftables drops the SYN: no answer
const REJECTED = 4445; // nftables answers with ICMP admin-prohibited
const PORTS = `1-3000,${DROPPED},${REJECTED},8123,22222,40000,65535`;
const SCANNED = 3000 + 6;

/**
 * The connect paths of tcp-connect.ts (Node's tcp_wrap binding, and net.Socket, the fallback) must tell the
 * same open/closed/filtered states, over IPv4 and IPv6, inside a namespace this test owns.
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

  it("tcp_wrap with one connect in flight, through refusals and ICMP errors one after another", () => {
    expect(run("127.0.0.1", "tcp_wrap", "1")).toEqual({ connector: "tcp_wrap", ...expected });
    expect(run("::1", "tcp_wrap", "1")).toEqual({ connector: "tcp_wrap", ...expected });
  });

  it("net.Socket, the fallback, finds the same", () => {
    expect(run("127.0.0.1", "net.Socket", "auto")).toEqual({ connector: "net.Socket", ...expected });
  });

  /** The scan helper run with extra node flags and environment; its stdout parsed and its stderr kept. */
  const runWith = (nodeFlags: string[], env: Record<string, string> = {}) => {
    const script = path.join(PROJECT_ROOT, "test/network/helpers/connect-scan-run.ts");
    const command = [process.execPath, "--import", "tsx", ...nodeFlags, script, "127.0.0.1", PORTS];
    const result = spawnSync("ip", ["netns", "exec", ns.name, ...command], {
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, ...env },
    });
    if (result.status !== 0) throw new Error(`scan failed: ${result.stderr}`);
    return { scan: JSON.parse(result.stdout) as unknown, stderr: result.stderr };
  };

  it("leaves the binding alone under --pending-deprecation: no DEP0111 warning, net.Socket finds the same", () => {
    const { scan, stderr } = runWith(["--pending-deprecation"]);
    expect(scan).toEqual({ connector: "net.Socket", ...expected });
    expect(stderr).not.toMatch(/DEP0111|process\.binding/);
  });

  it.each(["missing", "shifted"])("falls back to net.Socket when the binding is %s, and finds the same", (odd) => {
    const preload = path.join(PROJECT_ROOT, "test/network/helpers/odd-tcp-wrap.ts");
    const { scan } = runWith(["--import", preload], { ODD_TCP_WRAP: odd });
    expect(scan).toEqual({ connector: "net.Socket", ...expected });
  });
});
