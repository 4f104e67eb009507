import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnService } from "../../../helpers/service-process.js";

/** A port that was free on 127.0.0.1 a moment ago (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `hassguard-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once("connect", () => done(true));
    sock.once("error", () => done(false));
  });
}

/**
 * Kills processes whose command line mentions `marker` (a temp path only our test uses): daemons such as
 * samba-dcerpcd start their own session, so they escape the process group we made. By pid, never by name.
 */
export function killProcessesMentioning(marker: string): void {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (!cmdline.includes(marker)) continue;
    try {
      process.kill(Number(entry), "SIGKILL");
    } catch {
      // exited meanwhile
    }
  }
}

export interface Daemon {
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts a real daemon in the foreground, in a session of its own (see spawnService), and waits (bounded,
 * generously: a loaded machine starts daemons slowly) until it accepts TCP connections on `port`. Its output
 * is kept so a failing start explains itself.
 */
export async function startDaemon(
  command: string,
  args: string[],
  host: string,
  port: number,
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    readyTimeoutMs?: number;
    /** Readiness other than "accepts TCP on host:port", for daemons in a namespace we cannot reach from here. */
    readyWhen?: (output: string) => boolean | Promise<boolean>;
  } = {},
): Promise<Daemon> {
  const service = spawnService(command, args, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  const daemon = { process: service.child, output: service.output, stop: () => service.stop({ graceMs: 3000 }) };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 45_000);
  while (Date.now() < deadline) {
    if (service.exited()) throw new Error(`${command} exited at start:\n${service.output()}`);
    const ready = options.readyWhen ? await options.readyWhen(service.output()) : await canConnect(host, port);
    if (ready) return daemon;
    await new Promise((r) => setTimeout(r, 100));
  }
  await daemon.stop();
  throw new Error(`${command} did not listen on ${host}:${port} in time:\n${service.output()}`);
}
