/** Exit codes: 0 nothing at or above the threshold, 1 findings at or above it, 2 usage or tool error. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

/** A mistake in how hassguard was called: one line on stderr, exit 2, no stack. */
export class UsageError extends Error {
  override name = "UsageError";
}
