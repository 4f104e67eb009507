import { execFile, spawnSync } from "node:child_process";
import path from "node:path";

export const PROJECT_ROOT = path.resolve(import.meta.dirname, "../..");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** The real CLI (TypeScript source through tsx), as a user would run it; the bound only catches a hang. */
function cliInvocation(args: string[], options: CliOptions) {
  return {
    file: process.execPath,
    args: ["--import", "tsx", path.join(PROJECT_ROOT, "src/cli/main.ts"), ...args],
    options: {
      cwd: options.cwd ?? PROJECT_ROOT,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      encoding: "utf8" as const,
      timeout: 120_000,
    },
  };
}

/** Runs the CLI and waits for it. */
export function runCli(args: string[], options: CliOptions & { input?: string } = {}): CliResult {
  const cli = cliInvocation(args, options);
  const result = spawnSync(cli.file, cli.args, { ...cli.options, input: options.input });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like runCli, without blocking the test's event loop: several runs can go at once. */
export function runCliAsync(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const cli = cliInvocation(args, options);
  return new Promise((resolve, reject) => {
    execFile(cli.file, cli.args, cli.options, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== "number") return reject(error);
      resolve({ status: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}
