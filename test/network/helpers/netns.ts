import { execFileSync } from "node:child_process";
import path from "node:path";
import { type ServiceProcess, spawnService } from "../../helpers/service-process.js";

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "../../..");

/** A network namespace this test owns: only its own loopback, so a full-range scan touches nothing else. */
export class NetNamespace {
  private readonly services = new Set<ServiceProcess>();

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

  /**
   * Starts a long-running process inside, in a session of its own (see spawnService); resolves once it
   * prints `ready` (generous bound: a loaded machine starts Node slowly).
   */
  async start(command: string[], timeoutMs = 45_000): Promise<ServiceProcess> {
    const service = spawnService("ip", ["netns", "exec", this.name, ...command]);
    this.services.add(service);
    const child = service.child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not ready in time: ${command.join(" ")} ${service.output()}`)),
        timeoutMs,
      );
      child.stdout?.on("data", (d: Buffer) => {
        if (d.toString().includes("ready")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}: ${command.join(" ")} ${service.output()}`));
      });
    });
    return service;
  }

  /** Runs node with tsx inside the namespace (the scanner, a listener script). */
  nodeArgs(script: string, args: string[]): string[] {
    return [process.execPath, "--import", "tsx", path.join(PROJECT_ROOT, script), ...args];
  }

  async remove(): Promise<void> {
    await Promise.all([...this.services].map((service) => service.stop({ signal: "SIGKILL" })));
    try {
      execFileSync("ip", ["netns", "delete", this.name], { stdio: "pipe" });
    } catch {
      // already gone
    }
  }
}
