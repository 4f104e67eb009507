import { normalizeAddress } from "./address.js";
import type { FailureKind, LogEvent } from "./events.js";

/**
 * Parser for Home Assistant's log lines (`homeassistant/components/http/ban.py`, `security_filter.py`,
 * `forwarded.py`; formats in shared/ha-facts.md §2). Line layout (bootstrap.py):
 *   `%(asctime)s.%(msecs)03d %(levelname)s (%(threadName)s) [%(name)s] %(message)s`
 * optionally behind a syslog/journal prefix (`Nov 23 17:18:40 host hass[812]: `), with ANSI colours (the
 * Supervisor's stream) and sometimes without the time (journal output carries its own).
 *
 * Failed-login messages across releases:
 *   ≤2020  `Login attempt or request with invalid authentication from 203.0.113.5`
 *   2020–  `… from host.example (203.0.113.5)` optionally followed by ` (user agent)`
 *   2021+  `… from host.example (203.0.113.5). Requested URL: '/auth/login_flow/…'. (user agent)`
 * The address is read only from the fixed part right after "from": the parenthesised address when there is one
 * (the host before it comes from a PTR record, which the attacker controls), else the single token that makes up
 * the whole rest of the line. Nothing after it — URL or user agent — can change which address is blamed.
 */

/** Lines longer than this are cut before parsing: the fixed part is at the start; the rest is display only. */
export const MAX_LINE_LENGTH = 16_384;
/** URL and user agent are kept at most this long (they end up in notifications). */
const MAX_FIELD_LENGTH = 512;

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
// optional syslog-style prefix ending in `ident[pid]: ` (journalctl short output, rsyslog files)
const SYSLOG_PREFIX = /^(?:\S+ +\d+ \d\d:\d\d:\d\d \S+ |\d{4}-\d\d-\d\dT\S+ \S+ )?[\w.@-]+\[\d+\]: /;
const HA_LINE =
  /^(?:(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)(?:[.,](\d{1,6}))? )?(DEBUG|INFO|WARNING|ERROR|CRITICAL) \([^()]*\) \[(homeassistant\.components\.http\.(?:ban|security_filter|forwarded))\] /;
const STARTS_WITH_DATE = /^\d{4}-\d\d-\d\d /;

const FAILURE_PREFIX = "Login attempt or request with invalid authentication from ";
const BANNED_PREFIX = "Banned IP ";
const BANNED_SUFFIX = " for too many login attempts";
const SUCCESS_PREFIX = "Login success, reset failed login attempts counter from ";
const FILTER_PREFIXES = [
  "Filtered a potential harmful request to: ",
  "Filtered a request with a potential harmful query string: ",
  "Filtered a request with unsafe byte query string: ",
];
const UNTRUSTED_PROXY_PREFIX = "Received X-Forwarded-For header from an untrusted proxy ";
const PROXY_NOT_SET_UP =
  /^A request from a reverse proxy was received from (\S+), but your HTTP integration is not set-up/;
// host (PTR name or the address itself), then the address in parentheses; a link-local address carries its
// zone (`fe80::1%eth0`, see address.ts), which normalizeAddress checks
const HOST_AND_ADDRESS = /^(\S{1,255}) \(([0-9A-Fa-f:.]{2,45}(?:%[^\s()]{1,16})?)\)/;

/** Makes attacker-supplied text safe to show: no control characters, bounded length. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\x00-\x1f\x7f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
const CONTROLS = /[\x00-\x1f\x7f]/g;

export function sanitizeField(text: string): string {
  const clean = CONTROL.test(text) ? text.replace(CONTROLS, "?") : text;
  return clean.length > MAX_FIELD_LENGTH ? `${clean.slice(0, MAX_FIELD_LENGTH)}…` : clean;
}

const PERCENT_ESCAPE = /%([0-9A-Fa-f]{2})/g;

/**
 * The path aiohttp routes on, from the URL Home Assistant logs. Home Assistant logs `request.rel_url`, which
 * aiohttp builds with `encoded=True` (aiohttp/http_parser.py: `URL.build(path=…, encoded=True)`), so the text
 * is what the client sent, escapes and all; the router matches `rel_url.path_safe` (aiohttp
 * web_urldispatcher.py since 3.10.6, aio-libs/aiohttp#9267; before, the raw path, where an escaped URL found
 * no route and so logged no failure), which decodes every escape except `%2F` and `%25` (yarl/_quoters.py:
 * `PATH_SAFE_UNQUOTER = _Unquoter(ignore="/%", unsafe="+")`). So `/auth/login%5Fflow/x` reaches the login
 * flow, `/auth%2Flogin_flow/x` does not. Only ASCII escapes are decoded here: the routes
 * the kind depends on are ASCII, and a multi-byte escape can never spell one.
 */
export function routedPath(url: string): string {
  const query = url.indexOf("?");
  const path = query < 0 ? url : url.slice(0, query);
  if (!path.includes("%")) return path;
  return path.replace(PERCENT_ESCAPE, (sequence, hex: string) => {
    const code = Number.parseInt(hex, 16);
    return code < 0x80 && code !== 0x2f && code !== 0x25 ? String.fromCharCode(code) : sequence;
  });
}

/** Kind of failure from the requested URL (see FailureKind), judged on the path aiohttp routes. */
export function classifyUrl(url: string | null): FailureKind {
  if (url === null) return "unknown";
  // the login flow answers wrong passwords and wrong MFA codes (`invalid_auth`, `invalid_code`) at
  // /auth/login_flow/{flow_id} (auth/login_flow.py)
  const path = routedPath(url);
  if (path === "/auth/login_flow" || path.startsWith("/auth/login_flow/")) return "password";
  return "token";
}

// consecutive lines mostly share their second: remember the last one's local-time conversion
let cachedSecondKey = "";
let cachedSecondMs = 0;

function lineTime(match: RegExpExecArray): Date | null {
  const key = match[1];
  if (key === undefined) return null;
  const fraction = Number((match[2] ?? "0").padEnd(3, "0").slice(0, 3));
  if (key !== cachedSecondKey) {
    // Home Assistant writes local time without a zone: "YYYY-MM-DD HH:MM:SS"
    const part = (from: number, to: number) => Number(key.slice(from, to));
    const second = new Date(
      part(0, 4),
      part(5, 7) - 1,
      part(8, 10),
      part(11, 13),
      part(14, 16),
      part(17, 19),
    ).getTime();
    if (Number.isNaN(second)) return null;
    cachedSecondKey = key;
    cachedSecondMs = second;
  }
  return new Date(cachedSecondMs + fraction);
}

function parseFailure(rest: string, time: Date | null): LogEvent | null {
  const withHost = HOST_AND_ADDRESS.exec(rest);
  if (withHost) {
    const address = normalizeAddress(withHost[2] ?? "");
    if (!address) return null;
    const after = rest.slice(withHost[0].length);
    let url: string | null = null;
    let userAgent: string | null = null;
    const URL_MARK = ". Requested URL: '";
    if (after.startsWith(URL_MARK)) {
      const tail = after.slice(URL_MARK.length);
      const end = tail.indexOf("'. (");
      if (end >= 0) {
        url = tail.slice(0, end);
        userAgent = tail.slice(end + 4).replace(/\)$/, "");
      } else {
        url = tail.replace(/'\.?$/, "");
      }
    } else if (after.startsWith(" (")) {
      userAgent = after.slice(2).replace(/\)$/, "");
    }
    return {
      type: "failure",
      address,
      host: sanitizeField(withHost[1] ?? ""),
      url: url === null ? null : sanitizeField(url),
      userAgent: userAgent === null ? null : sanitizeField(userAgent),
      kind: classifyUrl(url),
      time,
    };
  }
  // the oldest format: the address and nothing else
  const address = /^\S+$/.test(rest) ? normalizeAddress(rest) : null;
  if (!address) return null;
  return { type: "failure", address, host: null, url: null, userAgent: null, kind: "unknown", time };
}

/** Parses one line; null when it is not a line the guard cares about (or is malformed/hostile). */
export function parseLine(raw: string): LogEvent | null {
  // cheap rejection first: almost every line of a real log is something else
  if (!raw.includes("homeassistant.components.http.")) return null;
  let line = raw.length > MAX_LINE_LENGTH ? raw.slice(0, MAX_LINE_LENGTH) : raw;
  if (line.includes("\x1b")) line = line.replace(ANSI, "");
  line = line.replace(/\r$/, "");
  // a journal/syslog prefix comes before Home Assistant's own date, never with it at the start
  if (!STARTS_WITH_DATE.test(line)) {
    const prefix = SYSLOG_PREFIX.exec(line);
    if (prefix) line = line.slice(prefix[0].length);
  }
  const match = HA_LINE.exec(line);
  if (!match) return null;
  const logger = match[4];
  const message = line.slice(match[0].length);
  const time = lineTime(match);

  if (logger === "homeassistant.components.http.ban") {
    if (message.startsWith(FAILURE_PREFIX)) return parseFailure(message.slice(FAILURE_PREFIX.length), time);
    if (message.startsWith(BANNED_PREFIX) && message.endsWith(BANNED_SUFFIX)) {
      const address = normalizeAddress(message.slice(BANNED_PREFIX.length, -BANNED_SUFFIX.length));
      return address ? { type: "ha-ban", address, time } : null;
    }
    if (message.startsWith(SUCCESS_PREFIX)) {
      const address = normalizeAddress(message.slice(SUCCESS_PREFIX.length));
      return address ? { type: "success", address, time } : null;
    }
    return null;
  }
  if (logger === "homeassistant.components.http.security_filter") {
    for (const filterPrefix of FILTER_PREFIXES) {
      if (message.startsWith(filterPrefix)) {
        return { type: "filtered", url: sanitizeField(message.slice(filterPrefix.length)), time };
      }
    }
    return null;
  }
  // forwarded: the peer that sent X-Forwarded-For without being trusted
  if (message.startsWith(UNTRUSTED_PROXY_PREFIX)) {
    const address = normalizeAddress(message.slice(UNTRUSTED_PROXY_PREFIX.length));
    return address ? { type: "untrusted-proxy", address, time } : null;
  }
  const notSetUp = PROXY_NOT_SET_UP.exec(message);
  if (notSetUp) {
    const address = normalizeAddress(notSetUp[1] ?? "");
    return address ? { type: "untrusted-proxy", address, time } : null;
  }
  return null;
}
