import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
 * Starts a real daemon in the foreground and waits (bounded) until it accepts TCP connections on
 * `port`. Its output is kept so a failing start explains itself.
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
  // Own process group: smbd signals its whole group when it stops, which would stop the test runner too.
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const keep = (chunk: Buffer): void => {
    if (output.length < 64_000) output += chunk.toString();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const pid = child.pid;
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal); // the group we created for this daemon, and only it
    } catch {
      // already gone
    }
  };
  const stop = async (): Promise<void> => {
    if (exited) {
      signalGroup("SIGKILL"); // helpers the daemon left in its group
      return;
    }
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    signalGroup("SIGTERM");
    const timer = setTimeout(() => signalGroup("SIGKILL"), 3000);
    await gone;
    clearTimeout(timer);
    signalGroup("SIGKILL");
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${command} exited at start:\n${output}`);
    const ready = options.readyWhen ? await options.readyWhen(output) : await canConnect(host, port);
    if (ready) return { process: child, output: () => output, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${command} did not listen on ${host}:${port} in time:\n${output}`);
}
