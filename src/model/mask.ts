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

/**
 * `user:pass@host` in a URL → `user:***@host`; other parts stay readable. The password ends at the LAST `@`
 * before the query: people type `p@ss` or `pa/ss` unencoded, and the first `@` or `/` would leak the rest.
 * When in doubt it masks too much (`host:8123/a@b` → `host:***@b`), never too little.
 */
export function maskUrlCredentials(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0];
  if (scheme === undefined) return url;
  const rest = url.slice(scheme.length);
  const end = rest.search(/[?#\s]/);
  const head = end < 0 ? rest : rest.slice(0, end);
  const at = head.lastIndexOf("@");
  const colon = head.indexOf(":");
  if (at < 0 || colon < 0 || colon > at) return url;
  return `${scheme}${head.slice(0, colon)}:***@${rest.slice(at + 1)}`;
}

/** `key: value` evidence with the value masked. */
export function maskedAssignment(key: string, value: unknown): string {
  return `${key}: ${maskSecret(value)}`;
}

/** Secret values shorter than this are not searched for in other text: they would match ordinary words. */
export const MIN_MASKED_IN_TEXT = 6;

/**
 * A function that masks every occurrence of the given secret values in a text (a path, a message): a token
 * used as a folder name (`www/<token>/`) or a password in a file name must not be printed whole either.
 * Longer values first, so a secret that contains another is masked whole.
 */
export function secretMasker(values: Iterable<unknown>): (text: string) => string {
  const texts = new Set<string>();
  for (const value of values) {
    const text = value === null || value === undefined ? "" : String(value);
    if (text.length >= MIN_MASKED_IN_TEXT) texts.add(text);
  }
  if (texts.size === 0) return (text) => text;
  const sorted = [...texts].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(sorted.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  return (text) => text.replace(pattern, (found) => maskSecret(found));
}
