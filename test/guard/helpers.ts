/** Shared test helpers for the guard tests. */

export const failLine = (
  address: string,
  url = "/auth/login_flow/abc",
  agent = "python-requests/2.31",
  time = "2026-11-23 17:30:00.000",
) =>
  `${time} WARNING (MainThread) [homeassistant.components.http.ban] Login attempt or request with invalid authentication from ${address} (${address}). Requested URL: '${url}'. (${agent})`;

/**
 * A bound is only a safety net here, never the point: on a busy CI machine an event the test waits for may take
 * many seconds, and waiting longer costs nothing when it comes. So every wait is given at least this long.
 */
const MIN_WAIT_MS = 60_000;

/** Waits until `condition` holds, polling; fails after `timeoutMs` (at least MIN_WAIT_MS; never hangs). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what = "condition",
): Promise<void> {
  const bound = Math.max(timeoutMs, MIN_WAIT_MS);
  const deadline = Date.now() + bound;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out after ${bound} ms waiting for ${what}`);
}

/** A `hassguard guard` process started from the sources, and what it printed on stderr so far. */
export interface GuardProcess {
  child: import("node:child_process").ChildProcess;
  stderr: () => string;
  /** Resolves with the exit code (null after a signal). */
  exited: Promise<number | null>;
}

const repositoryRoot = new URL("../../", import.meta.url).pathname;

/** Starts `hassguard guard ARGS…`; with `untilWatching`, resolves once it says it is watching. */
export async function startGuardProcess(args: string[], untilWatching = true): Promise<GuardProcess> {
  const { spawn } = await import("node:child_process");
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "guard", ...args], {
    cwd: repositoryRoot,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let ended = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      ended = true;
      resolve(code);
    }),
  );
  if (untilWatching) {
    await waitFor(() => ended || stderr.includes("watching"), 20_000, "the guard to start");
    if (!stderr.includes("watching")) throw new Error(`the guard did not start: ${stderr}`);
  }
  return { child, stderr: () => stderr, exited };
}
