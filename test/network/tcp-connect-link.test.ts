import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DelayedLink, openDelayedLink } from "../../bench/delayed-link.js";
import { PROJECT_ROOT } from "./helpers/netns.js";

const OPEN = [1, 22, 1883, 8123, 22222, 40000, 65535];
const SCANS = 3;

/**
 * Across a real link the tcp_wrap connect path once called closed ports open: it reused the socket of a
 * refused connect for the next port, and libuv reported some of those connects established while they were
 * still in SYN_SENT (4 scans of 6 had 30 to 250 such ports over this +1 ms link; loopback never showed it).
 * Two namespaces this test owns, joined by bench/delayed-link.ts (two TAP devices, every frame held 1 ms);
 * every full-range scan must call open exactly the ports that listen. A port the busy link dropped twice
 * may come out filtered; open it must never be.
 */
describe("the connect scan across a delayed link", () => {
  let link: DelayedLink | undefined;

  beforeAll(async () => {
    link = await openDelayedLink("hgtl", 1, "10.233.0");
    const listeners = path.join(PROJECT_ROOT, "test/network/helpers/listeners.ts");
    const inTarget = ["ip", "netns", "exec", link.targetNs, process.execPath, "--import", "tsx"];
    await link.startReady([...inTarget, listeners, OPEN.join(","), link.targetAddress]);
  }, 90_000);

  afterAll(() => link?.remove());

  it(`calls open only the ports that listen, ${SCANS} scans of all 65,535 ports through tcp_wrap`, () => {
    const script = path.join(PROJECT_ROOT, "test/network/helpers/connect-scan-run.ts");
    const { scannerNs, targetAddress } = link as DelayedLink;
    for (let scan = 0; scan < SCANS; scan++) {
      const result = spawnSync(
        "ip",
        ["netns", "exec", scannerNs, process.execPath, "--import", "tsx", script, targetAddress, "1-65535", "tcp_wrap"],
        { encoding: "utf8", timeout: 120_000 },
      );
      if (result.status !== 0) throw new Error(`scan failed: ${result.stderr}`);
      const { connector, open } = JSON.parse(result.stdout) as { connector: string; open: number[] };
      expect(connector).toBe("tcp_wrap");
      expect(open, `scan ${scan + 1}`).toEqual(OPEN);
    }
  }, 400_000);
});
