import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import { NetNamespace, PROJECT_ROOT } from "./helpers/netns.js";

/** Low, high, the very first and last ports, and the Home Assistant ones. */
const OPEN = [1, 22, 1883, 8123, 22222, 40000, 65535];
const DROPPED = 4444; // an nftables rule drops SYNs: no answer at all
const REJECTED = 4445; // an nftables rule answers with ICMP admin-prohibited

/** The real CLI, scanning all 65,535 ports inside a namespace this test creates (nothing else is touched). */
describe("full-range scan inside a network namespace", () => {
  let ns: NetNamespace;
  const scan = (host: string, extra: string[] = []) => {
    const result = spawnSync(
      "ip",
      [
        "netns",
        "exec",
        ns.name,
        ...ns.nodeArgs("src/cli/main.ts", ["scan", host, "--ports", "all", "--format", "json", ...extra]),
      ],
      { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1" } },
    );
    return { status: result.status, stderr: result.stderr, report: JSON.parse(result.stdout) as Report };
  };

  beforeAll(async () => {
    ns = new NetNamespace(`hg-scan-${process.pid}`);
    ns.dropAndReject(DROPPED, REJECTED);
    await ns.start(ns.nodeArgs("test/network/helpers/listeners.ts", [[...OPEN, DROPPED, REJECTED].join(",")]));
  });
  afterAll(() => ns?.remove());

  it("finds exactly the open ports over IPv4, tells closed from filtered, and exits by --fail-on", () => {
    const { status, report, stderr } = scan("127.0.0.1");
    expect(stderr).toBe(""); // not a TTY: no progress output
    expect(status).toBe(0); // silent listeners give no high finding
    const host = report.network?.hosts[0];
    expect(host?.address).toBe("127.0.0.1");
    expect(host?.ports.filter((p) => p.state === "open").map((p) => p.port)).toEqual(OPEN);
    // a full-range scan lists open ports and counts the rest
    expect(host?.summary).toMatchObject({
      scanned: 65535,
      open: OPEN.length,
      filtered: 2,
      closed: 65535 - OPEN.length - 2,
      skipped: 0,
    });
    expect(report.errors).toEqual([]);
  });

  it("scans IPv6 the same way", () => {
    const { report } = scan("::1");
    const host = report.network?.hosts[0];
    expect(host?.address).toBe("::1");
    expect(host?.ports.filter((p) => p.state === "open").map((p) => p.port)).toEqual(OPEN);
    expect(host?.summary?.filtered).toBe(2);
  });

  it("stops at the time budget and says which part was not scanned", () => {
    const { report } = scan("127.0.0.1", ["--budget", "0.2"]);
    const summary = report.network?.hosts[0]?.summary;
    expect(summary?.skipped).toBeGreaterThan(0);
    expect((summary?.scanned ?? 0) + (summary?.skipped ?? 0)).toBe(65535);
    expect(report.errors.map((e) => e.message).join("\n")).toMatch(
      /time budget .* ran out; \d+ ports were not scanned/,
    );
  });
});
