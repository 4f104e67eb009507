// Two network namespaces joined by a link with added delay: bench/delay-link.py holds every frame between two
// TAP devices (this kernel has no tc netem). Used by the scan benchmark and by the scanner's link test; only
// the namespaces made here carry traffic, and `remove()` deletes them.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import path from "node:path";

export interface DelayedLink {
  scannerNs: string;
  targetNs: string;
  scannerAddress: string;
  targetAddress: string;
  /** Starts a process that prints "ready" (a listener) and keeps it until `remove()`. */
  startReady(args: string[]): Promise<ChildProcess>;
  remove(): void;
}

function ip(args: string[]): void {
  execFileSync("ip", args, { stdio: "pipe" });
}

/** Starts a process that prints "ready"; resolves when it has. */
export function startReady(args: string[], options: { stdinOpen?: boolean } = {}): Promise<ChildProcess> {
  const child = spawn(args[0] ?? "", args.slice(1), { stdio: [options.stdinOpen ? "pipe" : "ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready: ${args.join(" ")}`)), 20_000);
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${args.join(" ")}`));
    });
  });
}

/**
 * `name`: a short tag unique to the caller (namespace and device names derive from it, with the pid);
 * `subnet`: the first three octets of a /24 used inside the pair only (the scanner .1, the target .2).
 */
export async function openDelayedLink(name: string, delayMs: number, subnet: string): Promise<DelayedLink> {
  const tag = `${name}${process.pid % 10000}`;
  const [scannerNs, targetNs] = [`${tag}-a`, `${tag}-b`];
  const [tapA, tapB] = [`${tag}a`, `${tag}b`];
  const [scannerAddress, targetAddress] = [`${subnet}.1`, `${subnet}.2`];
  const children: ChildProcess[] = [];
  const remove = () => {
    for (const child of children) child.kill("SIGKILL");
    for (const ns of [scannerNs, targetNs]) {
      try {
        ip(["netns", "delete", ns]);
      } catch {
        // not made, or already gone
      }
    }
  };
  try {
    ip(["netns", "add", scannerNs]);
    ip(["netns", "add", targetNs]);
    const forwarder = path.join(import.meta.dirname, "delay-link.py");
    children.push(await startReady(["python3", forwarder, tapA, tapB, String(delayMs)], { stdinOpen: true }));
    for (const [ns, tap, address] of [
      [scannerNs, tapA, scannerAddress],
      [targetNs, tapB, targetAddress],
    ] as const) {
      ip(["link", "set", tap, "netns", ns]);
      ip(["-n", ns, "link", "set", "lo", "up"]);
      ip(["-n", ns, "link", "set", tap, "txqueuelen", "10000"]);
      ip(["-n", ns, "addr", "add", `${address}/24`, "dev", tap]);
      ip(["-n", ns, "link", "set", tap, "up"]);
    }
  } catch (error) {
    remove();
    throw error;
  }
  return {
    scannerNs,
    targetNs,
    scannerAddress,
    targetAddress,
    startReady: async (args) => {
      const child = await startReady(args);
      children.push(child);
      return child;
    },
    remove,
  };
}
