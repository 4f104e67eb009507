/**
 * Text that came from outside (a peer's banner or header, a log line, a configuration or `.storage` file, a
 * file name) is data: shown, never obeyed. A terminal obeys escape sequences (`\x1b[2J` clears the screen and
 * can paint a fake "Score 100/100"), a right-to-left override reorders the rest of the line, zero-width and
 * other invisible characters hide text or make two names look the same. This module is the one place that
 * makes such text safe to show: text and Markdown reports print escapes instead of the characters; JSON and
 * SARIF keep the exact value but spell these characters as `\u` escapes.
 */

/**
 * Control characters (C0, DEL, C1 — including the 8-bit CSI, U+009B), format characters (bidi embeddings,
 * overrides and isolates, LRM/RLM/ALM, zero-width space/joiners, word joiner, BOM, soft hyphen, interlinear
 * annotations, tag characters), the line and paragraph separators, and lone surrogates.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const UNSAFE_EXCEPT_NEWLINE = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function visibleEscape(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, "0")}`;
  return `\\u{${code.toString(16)}}`;
}

/**
 * The text with every control, bidi, invisible and separator character replaced by a visible escape
 * (`\x1b`, `\u202e`, `\u{e0041}`). Newlines stay only with `keepNewlines` (a finding's message may be several
 * lines; reporters indent each, so a line from outside cannot pass for one of the report's own).
 */
export function escapeUntrusted(text: string, options: { keepNewlines?: boolean } = {}): string {
  return text.replace(options.keepNewlines ? UNSAFE_EXCEPT_NEWLINE : UNSAFE, visibleEscape);
}

/** True when the text holds nothing `escapeUntrusted` would change. */
export function isDisplaySafe(text: string, options: { keepNewlines?: boolean } = {}): boolean {
  return escapeUntrusted(text, options) === text;
}

/** Keys whose values may hold several lines (a finding's message, an error's message). */
const MULTILINE_KEYS = new Set(["message"]);

/**
 * A copy of a report-like value (objects, arrays, strings) with every string made safe to show. Text and
 * Markdown reporters render from this copy, so no field (title, message, evidence, location, a suppression's
 * reason, a port's product) can reach the screen raw, whichever field a later change adds.
 */
export function escapeAllStrings<T>(value: T, key = ""): T {
  if (typeof value === "string") return escapeUntrusted(value, { keepNewlines: MULTILINE_KEYS.has(key) }) as T;
  if (Array.isArray(value)) return value.map((item) => escapeAllStrings(item, key)) as T;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const copy: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) copy[name] = escapeAllStrings(item, name);
    return copy as T;
  }
  return value;
}

/** JSON text `\u`-escaped from the first UTF-16 unit to the last: one unit for a BMP character, two for others. */
function jsonEscape(char: string): string {
  let out = "";
  for (let i = 0; i < char.length; i++) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return out;
}

/**
 * JSON text (from `JSON.stringify`) with the characters it leaves raw (DEL, C1 controls, bidi and invisible
 * format characters, U+2028/U+2029) written as `\u` escapes. The parsed value is exactly the same; only
 * `cat report.json` or a log viewer can no longer be steered by it. Outside strings JSON holds only ASCII
 * punctuation and whitespace (the newlines of pretty-printing stay); inside them `JSON.stringify` has already
 * escaped every newline, and a `\u` escape means the same character.
 */
export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE_EXCEPT_NEWLINE, jsonEscape);
}
