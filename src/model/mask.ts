/**
 * Masking: the one way a secret-like value may appear in output. Shows at most a short prefix, only when
 * the value is long enough that the prefix gives nothing useful away, and never the length.
 */
export function maskSecret(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  if (text.length === 0) return "(empty)";
  if (text.length < 12) return "***";
  return `${text.slice(0, 2)}***`;
}

/** `user:pass@host` in a URL → `user:***@host`; other parts stay readable. */
export function maskUrlCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]*):([^@/\s]*)@/i, (_m, scheme: string, user: string) => `${scheme}${user}:***@`);
}

/** `key: value` evidence with the value masked. */
export function maskedAssignment(key: string, value: unknown): string {
  return `${key}: ${maskSecret(value)}`;
}
