/**
 * What the parser makes of a Home Assistant log line. Every address here is canonical (see address.ts) and was
 * read from the fixed part of the line Home Assistant wrote, never from the URL or user agent an attacker sent.
 */

/**
 * Why a login failed, read from the requested URL (the path aiohttp routes, percent-escapes decoded: see
 * routedPath in parser.ts):
 * - `password`: the login flow (`/auth/login_flow/…`: a wrong password or a wrong MFA code) — an attack signal;
 * - `token`: a stale or invalid token on `/api/…`, the WebSocket or `/auth/token` — usually the owner's own app
 *   or a browser tab that slept through a token expiry;
 * - `unknown`: releases before 2021 did not log the URL, so the kind cannot be told; treated like `password`.
 */
export type FailureKind = "password" | "token" | "unknown";

export interface FailedLogin {
  type: "failure";
  /** Canonical; a link-local address keeps its zone (`fe80::1%eth0`), as Home Assistant logs and counts it. */
  address: string;
  /** Reverse DNS name Home Assistant looked up (attacker-influenced via PTR records: display only). */
  host: string | null;
  url: string | null;
  userAgent: string | null;
  kind: FailureKind;
  /** Time written in the line, if any (Home Assistant writes local time without a zone). */
  time: Date | null;
}

/** Home Assistant's own "Banned IP … for too many login attempts". */
export interface HomeAssistantBan {
  type: "ha-ban";
  address: string;
  time: Date | null;
}

/** "Login success, reset failed login attempts counter from …" (DEBUG). */
export interface LoginSuccess {
  type: "success";
  address: string;
  time: Date | null;
}

/** A `security_filter` line: a scanner's fingerprint. Home Assistant does not log the address here. */
export interface FilteredRequest {
  type: "filtered";
  url: string;
  time: Date | null;
}

/** Home Assistant refused X-Forwarded-For from this peer: a proxy the owner has not set up as trusted. */
export interface UntrustedProxy {
  type: "untrusted-proxy";
  address: string;
  time: Date | null;
}

export type LogEvent = FailedLogin | HomeAssistantBan | LoginSuccess | FilteredRequest | UntrustedProxy;
