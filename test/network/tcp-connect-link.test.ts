import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "./helpers/netns.js";

const OPEN = [1, 22, 1883, 8123, 22222, 40000, 65535];
const SCANS = 3;

/**
 * Across a real link the tcp_wrap connect path once called closed ports open: it reused the socket of a
 * refused connect for the next port, and libuv reported some of those connects established while they were
 * still in SYN_SENT (4 scans of 6 had 30 to 250 such ports over this +1 ms link; loopback never showed it).
 * Two namespaces this test owns, joined by bench/delay-link.py (two TAP devices, every frame held 1 ms);
 * every full-range scan must call open exactly the ports that listen. A port the busy link dropped twice
 * may come out filtered; open it must never be.
 */
describe("the connect scan across a delayed link", () => {
  const tag = `${process.pid % 10000}`;
  const [scanner, target] = [`hgt-sa-${tag}`, `hgt-sb-${tag}`];
  const [tapA, tapB] = [`hgtsa${tag}`, `hgtsb${tag}`];
  const children: ChildProcess[] = [];
  const ip = (args: string[]) => execFileSync("ip", args, { stdio: "pipe" });

  /** Starts a process that prints "ready"; resolves once it has. */
  const startReady = (command: string[]) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(command[0] ?? "", command.slice(1), { stdio: ["pipe", "pipe", "pipe"] });
      children.push(child);
      const timer = setTimeout(() => reject(new Error(`not ready: ${command.join(" ")}`)), 30_000);
      child.stdout?.on("data", (data: Buffer) => {
        if (data.toString().includes("ready")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`exited ${code}: ${command.join(" ")}`));
      });
    });

  beforeAll(async () => {
    ip(["netns", "add", scanner]);
    ip(["netns", "add", target]);
    await startReady(["python3", path.join(PROJECT_ROOT, "bench/delay-link.py"), tapA, tapB, "1"]);
    for (const [ns, tap, address] of [
      [scanner, tapA, "10.233.0.1/24"],
      [target, tapB, "10.233.0.2/24"],
    ] as const) {
      ip(["link", "set", tap, "netns", ns]);
      ip(["-n", ns, "link", "set", "lo", "up"]);
      ip(["-n", ns, "link", "set", tap, "txqueuelen", "10000"]);
      ip(["-n", ns, "addr", "add", address, "dev", tap]);
      ip(["-n", ns, "link", "set", tap, "up"]);
    }
    const listeners = path.join(PROJECT_ROOT, "test/network/helpers/listeners.ts");
    await startReady([
      "ip",
      "netns",
      "exec",
      target,
      process.execPath,
      "--import",
      "tsx",
      listeners,
      OPEN.join(","),
      "10.233.0.2",
    ]);
  }, 90_000);

  afterAll(() => {
    for (const child of children) child.kill("SIGKILL");
    for (const ns of [scanner, target]) {
      try {
        ip(["netns", "delete", ns]);
      } catch {
        // not created
      }
    }
  });

  it(`calls open only the ports that listen, ${SCANS} scans of all 65,535 ports through tcp_wrap`, () => {
    const script = path.join(PROJECT_ROOT, "test/network/helpers/connect-scan-run.ts");
    for (let scan = 0; scan < SCANS; scan++) {
      const result = spawnSync(
        "ip",
        ["netns", "exec", scanner, process.execPath, "--import", "tsx", script, "10.233.0.2", "1-65535", "tcp_wrap"],
        { encoding: "utf8", timeout: 120_000 },
      );
      if (result.status !== 0) throw new Error(`scan failed: ${result.stderr}`);
      const { connector, open } = JSON.parse(result.stdout) as { connector: string; open: number[] };
      expect(connector).toBe("tcp_wrap");
      expect(open, `scan ${scan + 1}`).toEqual(OPEN);
    }
  }, 400_000);
});
