import { describeKind } from "./ban-view.js";

/**
 * The text of a ban notice, escaped for the channel it goes to. The URL, user agent and reverse-DNS name come
 * from the attacker, so in every channel they are data, never instructions:
 * - `markdown`: a persistent notification, which Home Assistant renders as Markdown: markup is escaped;
 * - `plain`: a notify service (a phone push, an e-mail, a TTS): plain text, where a Markdown backslash would
 *   show as a backslash; nothing is escaped but control, bidi and zero-width characters are shown as `<U+…>`
 *   (a right-to-left override must not reorder the line, a newline must not forge one);
 * - a webhook gets JSON: the raw fields (JSON escapes them) plus the plain text.
 */

export type NoticeFormat = "markdown" | "plain";

export interface BanNotice {
  address: string;
  host: string | null;
  kind: string;
  url: string | null;
  userAgent: string | null;
  failures: number;
  until: string;
  /** Bans held back by the rate limit since the last notice. */
  suppressed: number;
}

/** Longest attacker-supplied field shown (in characters, after neutralising). */
const MAX_FIELD = 300;

// C0 and C1 controls, DEL; bidi marks, embeddings, overrides and isolates; zero-width characters and the BOM;
// the Unicode line and paragraph separators
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/gu;

/** Shows every control, bidi and zero-width character as `<U+XXXX>`, and bounds the length. */
function neutralize(text: string): string {
  const visible = text.replace(
    INVISIBLE,
    (c) => `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}>`,
  );
  const points = [...visible];
  return points.length > MAX_FIELD ? `${points.slice(0, MAX_FIELD).join("")}…` : visible;
}

/**
 * Markdown and HTML have no power in the text: shown as typed, never interpreted. `:` and `.` are escaped
 * too, so an address in a user agent (`https://…`, `www.…`) is not turned into a link (GFM autolinks).
 */
function escapeMarkdown(text: string): string {
  return neutralize(text).replace(/[\\`*_{}[\]()<>#+!|~&":.]/g, (c) => `\\${c}`);
}

export function noticeText(notice: BanNotice, format: NoticeFormat): { title: string; message: string } {
  const shown = format === "markdown" ? escapeMarkdown : neutralize;
  const kind = describeKind(notice.kind === "token" ? "token" : notice.kind === "manual" ? "manual" : "password");
  const lines = [
    notice.kind === "manual"
      ? `Banned ${notice.address} until ${notice.until} (${kind}).`
      : `Banned ${notice.address} until ${notice.until} after ${notice.failures} failed logins (${kind}).`,
  ];
  if (notice.host && notice.host !== notice.address) lines.push(`Reverse DNS: ${shown(notice.host)}`);
  if (notice.url) lines.push(`URL: ${shown(notice.url)}`);
  if (notice.userAgent) lines.push(`User agent: ${shown(notice.userAgent)}`);
  if (notice.suppressed > 0) lines.push(`(${notice.suppressed} more bans were not notified: rate limit)`);
  return { title: "hassguard: address banned", message: lines.join("\n") };
}

/** The guard's own alert (store damaged or emptied), for the channel: paths in it are shown as typed. */
export function alertText(title: string, message: string, format: NoticeFormat): { title: string; message: string } {
  const shown = format === "markdown" ? escapeMarkdown : neutralize;
  return { title: `hassguard: ${neutralize(title)}`, message: shown(message) };
}
