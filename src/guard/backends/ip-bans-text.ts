import { isMap, isScalar, parseDocument } from "yaml";
import { normalizeAddress } from "../address.js";

/**
 * The text of Home Assistant's `ip_bans.yaml` (pure functions; the file I/O is in ip-bans-file.ts).
 *
 * Home Assistant 2023.11 (`homeassistant/components/http/ban.py`, `async_load_ip_bans_config` and
 * `update_ip_bans_config`) reads it with `load_yaml_config_file` as a mapping of address →
 * `{banned_at: datetime | None}` and appends each new ban as `"\n" + yaml.dump({ip: {banned_at: iso}})`; it
 * never rewrites it (the recording in shared/fixtures/ha/2023.11.3/failed-logins/ip_bans.yaml shows one append).
 */

export type IpBanEntries = Map<string, string | null>;

/** Home Assistant writes `datetime.isoformat()` of an aware UTC time: microseconds and +00:00. */
export function haTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
}

function yamlKey(address: string): string {
  // an IPv6 key could read as YAML 1.1 sexagesimal or a mapping: quote it
  return address.includes(":") ? `'${address}'` : address;
}

/** Renders entries the way Home Assistant's appends look. */
export function renderIpBans(entries: IpBanEntries): string {
  let out = "";
  for (const [address, bannedAt] of entries) {
    out +=
      bannedAt === null
        ? `\n${yamlKey(address)}:\n  banned_at: null\n`
        : `\n${yamlKey(address)}:\n  banned_at: '${bannedAt}'\n`;
  }
  return out;
}

function documentOf(text: string) {
  // PyYAML, which Home Assistant uses, accepts a key twice (the last wins): so must we
  const doc = parseDocument(text, { uniqueKeys: false });
  if (doc.errors.length > 0) throw new Error(`not valid YAML: ${doc.errors[0]?.message ?? "parse error"}`);
  return doc;
}

/** Parses the file; an entry without a usable time is kept with `null` (Home Assistant allows that). */
export function parseIpBans(text: string): IpBanEntries {
  const data: unknown = documentOf(text).toJS();
  const entries: IpBanEntries = new Map();
  if (data === null || typeof data !== "object" || Array.isArray(data)) return entries;
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const bannedAt = (value as { banned_at?: unknown } | null)?.banned_at;
    entries.set(normalizeAddress(key) ?? key, typeof bannedAt === "string" ? bannedAt : null);
  }
  return entries;
}

interface Removal {
  text: string;
  /** The entries taken out (address → banned_at). */
  removed: IpBanEntries;
  /** False when the entries could not be cut out of the text and the rest was rendered anew. */
  byteExact: boolean;
}

/**
 * Takes the addresses' entries out of the file's text, every other byte (comments, the order, Home
 * Assistant's own quoting) kept as it was. An entry is cut from the start of its key's line to the end of
 * its value's line, with the blank line Home Assistant put before it. The result is parsed again and must
 * hold exactly the other entries; when it does not (a flow mapping, keys not at the line start), the
 * remaining entries are rendered in Home Assistant's format instead.
 */
export function removeIpBans(text: string, addresses: ReadonlySet<string>): Removal {
  const before = parseIpBans(text);
  const removed: IpBanEntries = new Map();
  for (const [address, bannedAt] of before) if (addresses.has(address)) removed.set(address, bannedAt);
  if (removed.size === 0) return { text, removed, byteExact: true };
  const expected = new Map([...before].filter(([address]) => !addresses.has(address)));
  const cut = cutEntries(text, addresses);
  if (cut !== null && sameEntries(parseIpBans(cut), expected)) return { text: cut, removed, byteExact: true };
  return { text: renderIpBans(expected), removed, byteExact: false };
}

function cutEntries(text: string, addresses: ReadonlySet<string>): string | null {
  const contents = documentOf(text).contents;
  if (!isMap(contents) || contents.flow) return null;
  const spans: [number, number][] = [];
  for (const pair of contents.items) {
    if (!isScalar(pair.key) || !pair.key.range) return null;
    const address = normalizeAddress(String(pair.key.value)) ?? String(pair.key.value);
    if (!addresses.has(address)) continue;
    let start = pair.key.range[0];
    while (start > 0 && text[start - 1] !== "\n") {
      if (text[start - 1] !== " ") return null; // not a block key at the line start
      start--;
    }
    const end = lastContentLineEnd(text, start, Math.max(pair.key.range[1], valueRangeEnd(pair.value)));
    // the "\n" Home Assistant writes before each entry: an empty line just above the key
    if (start > 0 && (start === 1 || text[start - 2] === "\n")) start--;
    spans.push([start, end]);
  }
  let out = "";
  let at = 0;
  for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
    if (start < at) return null;
    out += text.slice(at, start);
    at = end;
  }
  return out + text.slice(at);
}

/**
 * Where the entry's last line ends: the last line before `limit` with more than blanks or a comment (a
 * value's range runs on over the comments and blank lines after it, which belong to what follows).
 */
function lastContentLineEnd(text: string, from: number, limit: number): number {
  let end = from;
  for (let lineStart = from; lineStart < limit; ) {
    const newline = text.indexOf("\n", lineStart);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    const line = text.slice(lineStart, lineEnd).trim();
    if (line !== "" && !line.startsWith("#")) end = lineEnd;
    lineStart = lineEnd;
  }
  return end;
}

function valueRangeEnd(value: unknown): number {
  const range = (value as { range?: [number, number, number] } | null)?.range;
  return range ? range[1] : 0;
}

function sameEntries(a: IpBanEntries, b: IpBanEntries): boolean {
  if (a.size !== b.size) return false;
  for (const [address, bannedAt] of a) if (!b.has(address) || b.get(address) !== bannedAt) return false;
  return true;
}
