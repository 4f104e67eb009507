import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * Every service a test starts (sshd, smbd, Mosquitto, nginx, a listener in a namespace) runs in a session
 * and process group of its own (`detached: true` is setsid(2)). Some daemons signal their whole process group
 * when they stop — Samba's samba-dcerpcd does — and in the test runner's group that signal took down the test
 * worker that had started them. In their own group they can only hit themselves; stopping signals that group,
 * so helpers a daemon forked (and left in it) go too.
 */
export interface ServiceProcess {
  child: ChildProcess;
  /** What the service wrote on stdout and stderr (the first 64 KB), so a failing start explains itself. */
  output: () => string;
  /** True once the service's own process has exited. */
  exited: () => boolean;
  /** Signals the service's process group: `signal` first, SIGKILL after `graceMs`, and once more at the end. */
  stop: (options?: { signal?: NodeJS.Signals; graceMs?: number }) => Promise<void>;
}

export function spawnService(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: "ignore" | "pipe" } = {},
): ServiceProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: [options.stdin ?? "ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const keep = (chunk: Buffer): void => {
    if (output.length < 64_000) output += chunk.toString();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let hasExited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      hasExited = true;
      resolve();
    });
    // a command that could not be started at all emits "error" and no "exit"
    child.once("error", () => {
      hasExited = true;
      resolve();
    });
  });
  const signalGroup = (signal: NodeJS.Signals): void => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal); // the group this service leads, and only it
    } catch {
      // already gone
    }
  };
  return {
    child,
    output: () => output,
    exited: () => hasExited,
    stop: async ({ signal = "SIGTERM", graceMs = 5000 } = {}) => {
      if (!hasExited) {
        signalGroup(signal);
        const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
        await exit;
        clearTimeout(timer);
      }
      signalGroup("SIGKILL"); // helpers the service left in its group
    },
  };
}

/** A process's group and session ids and state, from /proc/PID/stat (after the parenthesised command name). */
export function processIds(pid: number): { state: string; group: number; session: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined; // gone
  }
  const [state = "", , group = "0", session = "0"] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state, group: Number(group), session: Number(session) };
}
