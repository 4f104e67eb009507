import { createHash } from "node:crypto";
import { maskSecret, maskUrlCredentials } from "../../model/mask.js";
import type { Severity } from "../../model/severity.js";
import { isPlaceholderUserinfo, looksRealPassword } from "./placeholder-values.js";

export type CredentialKind =
  | "password"
  | "token"
  | "api key"
  | "client secret"
  | "webhook id"
  | "TURN credential"
  | "encryption key"
  | "Authorization header"
  | "access token (JWT)"
  | "private key"
  | "URL with password"
  | "PIN code"
  | "integration secret";

export interface ValueMatch {
  kind: CredentialKind;
  /** Offset in the value or text where the match starts. */
  index: number;
  /** Masked: safe to print. */
  evidence: string;
  severity: Severity;
  /** Extra words for the message (e.g. "Home Assistant long-lived token, expires 2033"). */
  detail?: string;
  /**
   * A one-way digest of the secret value, so the same value can be recognised in two files (an example file's
   * value that is also a real credential elsewhere) without the value itself travelling anywhere.
   */
  fingerprint: string;
}

/** sha-256 of the value, shortened: equal values give equal fingerprints; nothing can be read back from it. */
export function fingerprintOf(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 24);
}

export interface ShapeOptions {
  /**
   * Third-party code (HACS cards, custom integrations, bundles): only what cannot be code counts — a Home
   * Assistant token whose payload decodes, a private key with a body, a URL with a password that looks chosen.
   */
  vendored?: boolean;
}

/*
 * The shape searches below are written to take linear time on any input: texts come from an untrusted folder
 * (up to megabytes on one line in minified JavaScript), so no pattern may backtrack over a long run.
 */
/** Candidate tokens: runs of base64url characters and dots long enough to be a JWT. */
const TOKEN_RUN = /[A-Za-z0-9_.-]{40,}/g;
/** Anchored at a token's start: one attempt per token. */
const JWT_AT_START = /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}/;
const PEM_PRIVATE_KEY = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY)-----/g;
/** The smallest real key body (an EC P-256 key) is about 160 base64 characters; stubs have none or a few. */
const MIN_PEM_BODY = 100;
/** How far after a BEGIN line its body is looked for. */
const PEM_WINDOW = 8192;
/** How far around a `://` a URL's scheme and authority are looked for. */
const MAX_SCHEME = 32;
const MAX_URL = 1024;

/** Credentials recognisable by their shape anywhere in a text or value: JWTs, private keys, URL passwords. */
export function findCredentialShapes(text: string, options: ShapeOptions = {}): ValueMatch[] {
  const matches: ValueMatch[] = [];
  // cheap tests first: almost no value contains any of these
  if (text.includes("eyJ")) {
    for (const run of text.matchAll(TOKEN_RUN)) {
      const jwt = JWT_AT_START.exec(run[0])?.[0];
      if (jwt === undefined) continue;
      const detail = describeJwt(jwt);
      if (options.vendored && detail === undefined) continue;
      matches.push({
        kind: "access token (JWT)",
        index: run.index,
        evidence: `JWT ${maskSecret(jwt)}`,
        // a Home Assistant token is admin access to the home until it expires (long-lived ones: 10 years)
        severity: detail === undefined ? "high" : "critical",
        ...(detail === undefined ? {} : { detail }),
        fingerprint: fingerprintOf(jwt),
      });
    }
  }
  if (text.includes("-----BEGIN")) {
    for (const m of text.matchAll(PEM_PRIVATE_KEY)) {
      const body = pemBody(text, m.index + m[0].length);
      if (body === undefined) continue; // `-----BEGIN PRIVATE KEY-----\n...\n-----END`: a stub in docs and tests
      matches.push({
        kind: "private key",
        index: m.index,
        evidence: `-----BEGIN ${m[1]}----- (key body not shown)`,
        severity: "high",
        fingerprint: fingerprintOf(body),
      });
    }
  }
  if (text.includes("@")) matches.push(...urlPasswords(text, options));
  return matches;
}

/**
 * The base64 body of a PEM block (also written in a JSON or code string with `\n` escapes), or undefined when
 * it is too short to be a key or is an ellipsis or a run of one character.
 */
function pemBody(text: string, from: number): string | undefined {
  const window = text.slice(from, from + PEM_WINDOW);
  const end = window.indexOf("-----END");
  const body = (end < 0 ? window : window.slice(0, end)).replace(/\\[nr]|["'+,\s]/g, "");
  const base64 = /^[A-Za-z0-9+/=]*/.exec(body)?.[0] ?? "";
  if (base64.length < MIN_PEM_BODY || /^(.)\1+=*$/.test(base64)) return undefined;
  return base64;
}

/**
 * `scheme://user:password@host` around every `://`, read by hand within a bounded window. The password runs
 * to the LAST `@` of the authority, so one typed with a raw `@` or `/` is still recognised and fully masked.
 */
function urlPasswords(text: string, options: ShapeOptions): ValueMatch[] {
  const found: ValueMatch[] = [];
  let i = text.indexOf("://");
  while (i >= 0) {
    const judged = urlPasswordAt(text, i, options);
    if (judged.match !== undefined) found.push(judged.match);
    // a later `://` inside the same authority cannot have an `@` this one did not see: skip past it
    i = text.indexOf("://", Math.max(i + 3, judged.end));
  }
  return found;
}

function urlPasswordAt(text: string, i: number, options: ShapeOptions): { match?: ValueMatch; end: number } {
  // most URLs (minified code is full of them) have no userinfo: find the end of this one without allocating, and
  // go on only when an `@` comes before it
  let scan = i + 3;
  let sawAt = false;
  for (const limit = Math.min(text.length, i + 3 + MAX_URL); scan < limit; scan++) {
    const c = text.charCodeAt(scan);
    if (c <= 0x20 || c === 0x22 || c === 0x27 || c === 0x60 || c === 0x3c || c === 0x3e || c === 0x3f || c === 0x23)
      break;
    if (c === 0x40) sawAt = true;
  }
  if (!sawAt) return { end: scan };
  let start = i;
  while (start > 0 && i - start < MAX_SCHEME && /[A-Za-z0-9+.-]/.test(text.charAt(start - 1))) start--;
  while (start < i && !/[A-Za-z]/.test(text.charAt(start))) start++;
  const url = /^[^\s'"`<>]+/.exec(text.slice(start, i + 3 + MAX_URL))?.[0] ?? "";
  const rest = url.slice(i + 3 - start);
  const queryAt = rest.search(/[?#]/);
  const head = queryAt < 0 ? rest : rest.slice(0, queryAt);
  const end = i + 3 + head.length;
  if (start === i) return { end: i + 3 };
  const at = head.lastIndexOf("@");
  const colon = head.indexOf(":");
  if (at < 0 || colon <= 0 || colon > at) return { end };
  const user = head.slice(0, colon);
  const password = head.slice(colon + 1, at);
  const host = head.slice(at + 1).split("/")[0] ?? "";
  // `host:8123/path@x` is a port and a path, not a password
  if (password === "" || host === "" || /^\d+(\/|$)/.test(password) || user.includes("/")) return { end };
  if (isPlaceholderUserinfo(user, password)) return { end };
  if (options.vendored && !looksRealPassword(password)) return { end };
  return {
    match: {
      kind: "URL with password",
      index: start,
      evidence: maskUrlCredentials(url),
      severity: "high",
      fingerprint: fingerprintOf(password),
    },
    end,
  };
}

/**
 * A JWT issued by Home Assistant carries `iss` = the refresh token id (32 hex characters, auth/__init__.py
 * `async_create_access_token`); long-lived ones expire ten years after `iat`. Returns a description, or
 * undefined for JWTs from elsewhere.
 */
export function describeJwt(jwt: string): string | undefined {
  const payloadPart = jwt.split(".")[1];
  if (payloadPart === undefined) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof payload !== "object" || payload === null) return undefined;
  const { iss, iat, exp } = payload as { iss?: unknown; iat?: unknown; exp?: unknown };
  if (typeof iss !== "string" || !/^[0-9a-f]{32}$/.test(iss)) return undefined;
  if (typeof iat === "number" && typeof exp === "number") {
    const years = (exp - iat) / (365 * 24 * 3600);
    const expires = new Date(exp * 1000).toISOString().slice(0, 10);
    return years > 1
      ? `Home Assistant long-lived access token, valid until ${expires}`
      : `Home Assistant access token, valid until ${expires}`;
  }
  return "Home Assistant access token";
}
