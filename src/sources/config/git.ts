import { execFileSync } from "node:child_process";
import path from "node:path";
import type { GitFacts } from "../../model/config-facts.js";
import type { SourceError } from "../../model/errors.js";

const GIT_TIMEOUT_MS = 10_000;
const MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * When the configuration directory is (inside) a git repository: which files git tracks and which of the
 * given candidates it ignores. Without git, or outside a repository, undefined.
 */
export function readGit(root: string, candidates: string[], errors: SourceError[]): GitFacts | undefined {
  let topLevel: string;
  try {
    topLevel = run(root, ["rev-parse", "--show-toplevel"]).trim();
  } catch {
    return undefined; // not a repository, or git missing: nothing to check
  }
  try {
    const tracked = run(root, ["ls-files", "-z", "--cached", "--", "."])
      .split("\0")
      .filter((p) => p !== "");
    const ignored =
      candidates.length === 0
        ? []
        : run(root, ["check-ignore", "--no-index", "-z", "--stdin"], candidates.join("\0"), [0, 1])
            .split("\0")
            .filter((p) => p !== "");
    const relTop = path.relative(root, topLevel).split(path.sep).join("/");
    return { topLevel: relTop, tracked, ignored };
  } catch (error) {
    errors.push({
      source: "config",
      message: `git could not be read: ${error instanceof Error ? error.message : String(error)}`,
    });
    return undefined;
  }
}

function run(cwd: string, args: string[], input?: string, okCodes: number[] = [0]): string {
  try {
    return execFileSync("git", ["-c", "core.quotepath=off", ...args], {
      cwd,
      input,
      encoding: "utf8",
      timeout: GIT_TIMEOUT_MS,
      maxBuffer: MAX_OUTPUT,
      stdio: ["pipe", "pipe", "ignore"],
    });
  } catch (error) {
    // `git check-ignore` exits 1 when nothing is ignored: that is an answer, not a failure
    const status = (error as { status?: number }).status;
    if (status !== undefined && okCodes.includes(status)) return (error as { stdout?: string }).stdout ?? "";
    throw error;
  }
}
