import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import path from "node:path";

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "../../..");

/** A network namespace this test owns: only its own loopback, so a full-range scan touches nothing else. */
export class NetNamespace {
  private readonly children = new Set<ChildProcess>();

  constructor(readonly name: string) {
    execFileSync("ip", ["netns", "add", name], { stdio: "pipe" });
    this.exec(["ip", "link", "set", "lo", "up"]);
  }

  /** A firewall inside the namespace that drops one port (filtered) and rejects another with ICMP. */
  dropAndReject(dropped: number, rejected: number): void {
    this.exec(
      ["nft", "-f", "-"],
      `table inet hgtest {
        chain input {
          type filter hook input priority 0;
          tcp dport ${dropped} drop
          tcp dport ${rejected} reject with icmpx type admin-prohibited
        }
      }`,
    );
  }

  exec(command: string[], input?: string): string {
    return execFileSync("ip", ["netns", "exec", this.name, ...command], {
      stdio: ["pipe", "pipe", "pipe"],
      encoding: "utf8",
      timeout: 120_000,
      ...(input === undefined ? {} : { input }),
    });
  }

  /** Starts a long-running process inside; resolves once it prints `ready`. */
  async start(command: string[], timeoutMs = 20_000): Promise<ChildProcess> {
    const child = spawn("ip", ["netns", "exec", this.name, ...command], { stdio: ["ignore", "pipe", "pipe"] });
    this.children.add(child);
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ready in time: ${command.join(" ")} ${stderr}`)), timeoutMs);
      child.stdout?.on("data", (d: Buffer) => {
        if (d.toString().includes("ready")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}: ${command.join(" ")} ${stderr}`));
      });
    });
    return child;
  }

  /** Runs node with tsx inside the namespace (the scanner, a listener script). */
  nodeArgs(script: string, args: string[]): string[] {
    return [process.execPath, "--import", "tsx", path.join(PROJECT_ROOT, script), ...args];
  }

  remove(): void {
    for (const child of this.children) child.kill("SIGKILL");
    try {
      execFileSync("ip", ["netns", "delete", this.name], { stdio: "pipe" });
    } catch {
      // already gone
    }
  }
}
