import { escapeUntrusted } from "../report/untrusted-text.js";

/** Exit codes: 0 nothing at or above the threshold, 1 findings at or above it, 2 usage or tool error. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** A mistake in how hassguard was called: one line on stderr, exit 2, no stack. */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * The one line a usage error prints: what is wrong, and where the help is. The message may quote what was
 * typed (or a file's content), so it is shown escaped.
 */
export function usageLine(message: string, commandPath: string): string {
  return `hassguard: ${escapeUntrusted(message.trim().replace(/\s*\n\s*/g, " "))} (see '${commandPath} --help')\n`;
}
