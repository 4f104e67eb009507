import { execFile, spawnSync } from "node:child_process";
import path from "node:path";

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (TypeScript source through tsx) as a user would, with a time bound. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): CliResult {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(PROJECT_ROOT, "src/cli/main.ts"), ...args], {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    input: options.input,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like runCli, without blocking the test's event loop: several runs can go at once. */
export function runCliAsync(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(PROJECT_ROOT, "src/cli/main.ts"), ...args],
      {
        cwd: options.cwd ?? PROJECT_ROOT,
        env: { ...process.env, NO_COLOR: "1", ...options.env },
        encoding: "utf8",
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") return reject(error);
        resolve({ status: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}
