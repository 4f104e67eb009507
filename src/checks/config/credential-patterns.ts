import { maskSecret, maskUrlCredentials } from "../../model/mask.js";
import type { Severity } from "../../model/severity.js";

/**
 * What counts as a credential, shared by the inline-credential check (Home Assistant YAML) and the
 * credential-in-file check (every other file). Key names follow what Home Assistant integrations, ESPHome,
 * Docker Compose and `.env` files use; value shapes are the ones gitleaks-style scanners look for (JWTs,
 * PEM private keys, `scheme://user:pass@host`). Nothing here returns a secret unmasked.
 */
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
  | "URL with password";

/** `MYSQL_ROOT_PASSWORD`, `apiKey`, `client-secret` → `mysql_root_password`, `api_key`, `client_secret`. */
export function normalizeKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

const KEY_KINDS: [RegExp, CredentialKind][] = [
  [/(^|_)(password|passwd|passphrase|pwd)$/, "password"],
  [/(^|_)token$/, "token"],
  [/(^|_)(api_?key|apikey|access_key|secret_key|app_key|auth_key|subscription_key)$/, "api key"],
  [/(^|_)secret$/, "client secret"],
  [/^webhook_id$/, "webhook id"],
  [/^credential$/, "TURN credential"],
  [/(^|_)(encryption_key|private_key|psk)$/, "encryption key"],
  [/^authorization$/, "Authorization header"],
];

const keyKindCache = new Map<string, CredentialKind | undefined>();

/** The kind of credential a key holds, judged by its name alone (memoised: keys repeat a lot). */
export function credentialKeyKind(key: string): CredentialKind | undefined {
  if (keyKindCache.has(key)) return keyKindCache.get(key);
  const kind = keyKindOf(normalizeKey(key));
  if (keyKindCache.size < 10_000) keyKindCache.set(key, kind);
  return kind;
}

function keyKindOf(normalized: string): CredentialKind | undefined {
  // `password_file`, `token_path`, `secret_key_file`: they name where a secret is, not the secret
  if (/(^|_)(file|path|dir|url|type|length|hashed|expiration|expiry|id_file)$/.test(normalized)) return undefined;
  // `require_password`, `show_token`: switches about a credential, not the credential
  if (/^(require|use|enable|enabled|show|hide|allow|disable|has|is|min|max)_/.test(normalized)) return undefined;
  for (const [pattern, kind] of KEY_KINDS) if (pattern.test(normalized)) return kind;
  return undefined;
}

/**
 * Values that are not a credential even under a credential key: empty, references to a secret kept
 * elsewhere (`!secret`, `${VAR}`, `$VAR`, `process.env.X`), templates, obvious placeholders, file paths.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim().replace(/^["'`]|["'`]$/g, "");
  if (v === "" || v === "~" || v === "null" || v === "None") return true;
  if (/^!(secret|env_var|input)\b/.test(v)) return true;
  if (/^\$\{[^}]*\}$|^\$[A-Za-z_][A-Za-z0-9_]*$|^%\([^)]*\)s$|^%[A-Za-z_]+%$/.test(v)) return true;
  // templates and interpolation (`{{ states(...) }}`, `Bearer ${TOKEN}`): the secret is elsewhere
  if (v.includes("{{") || v.includes("{%") || /\$\{[^}]+\}/.test(v)) return true;
  if (/^(process\.env|os\.environ|env\.|getenv)/i.test(v)) return true;
  if (/^<[^>]*>$|^\*+$|^x+$|^\.\.\.$|^(redacted|your[_-].*|example|placeholder)$/i.test(v)) return true;
  if (/^(\/|\.\/|~\/)[\w./-]*$/.test(v)) return true; // a file path
  return false;
}

export interface ValueMatch {
  kind: CredentialKind;
  /** Offset in the value or text where the match starts. */
  index: number;
  /** Masked: safe to print. */
  evidence: string;
  severity: Severity;
  /** Extra words for the message (e.g. "Home Assistant long-lived token, expires 2033"). */
  detail?: string;
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
/** How far around a `://` a URL's scheme and authority are looked for. */
const MAX_SCHEME = 32;
const MAX_URL = 1024;

/** Credentials recognisable by their shape anywhere in a text or value: JWTs, private keys, URL passwords. */
export function findCredentialShapes(text: string): ValueMatch[] {
  const matches: ValueMatch[] = [];
  // cheap tests first: almost no value contains any of these
  if (text.includes("eyJ")) {
    for (const run of text.matchAll(TOKEN_RUN)) {
      const jwt = JWT_AT_START.exec(run[0])?.[0];
      if (jwt === undefined) continue;
      const detail = describeJwt(jwt);
      matches.push({
        kind: "access token (JWT)",
        index: run.index,
        evidence: `JWT ${maskSecret(jwt)}`,
        // a Home Assistant token is admin access to the home until it expires (long-lived ones: 10 years)
        severity: detail === undefined ? "high" : "critical",
        ...(detail === undefined ? {} : { detail }),
      });
    }
  }
  if (text.includes("-----BEGIN")) {
    for (const m of text.matchAll(PEM_PRIVATE_KEY)) {
      matches.push({
        kind: "private key",
        index: m.index,
        evidence: `-----BEGIN ${m[1]}----- (key body not shown)`,
        severity: "high",
      });
    }
  }
  if (text.includes("@")) matches.push(...urlPasswords(text));
  return matches;
}

/**
 * `scheme://user:password@host` around every `://`, read by hand within a bounded window. The password runs
 * to the LAST `@` of the authority, so one typed with a raw `@` or `/` is still recognised and fully masked.
 */
function urlPasswords(text: string): ValueMatch[] {
  const found: ValueMatch[] = [];
  let i = text.indexOf("://");
  while (i >= 0) {
    const judged = urlPasswordAt(text, i);
    if (judged.match !== undefined) found.push(judged.match);
    // a later `://` inside the same authority cannot have an `@` this one did not see: skip past it
    i = text.indexOf("://", Math.max(i + 3, judged.end));
  }
  return found;
}

function urlPasswordAt(text: string, i: number): { match?: ValueMatch; end: number } {
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
  const password = head.slice(colon + 1, at);
  const host = head.slice(at + 1).split("/")[0] ?? "";
  // `host:8123/path@x` is a port and a path, not a password
  if (password === "" || host === "" || /^\d+(\/|$)/.test(password) || head.slice(0, colon).includes("/"))
    return { end };
  if (isPlaceholder(password)) return { end };
  return {
    match: { kind: "URL with password", index: start, evidence: maskUrlCredentials(url), severity: "high" },
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

/** ESPHome's `api: encryption: key:` is 32 random bytes in base64. */
const BASE64_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Judges one `key: value` pair: a credential by key name (unless the value is a placeholder or reference),
 * an ESPHome encryption key by shape, or a credential by value shape. Booleans and numbers other than
 * passwords (a PIN can be numeric) are not credentials.
 */
export function judgeAssignment(key: string, value: string | number | boolean | null): ValueMatch[] {
  if (value === null || typeof value === "boolean") return [];
  const text = String(value);
  const keyKind = credentialKeyKind(key);
  // `CONF_PASSWORD = "password"`: a constant naming the setting, not a secret
  const namesASetting = /^[A-Za-z_]+$/.test(text) && credentialKeyKind(text) !== undefined;
  if (
    keyKind !== undefined &&
    (typeof value === "string" || keyKind === "password") &&
    !isPlaceholder(text) &&
    !namesASetting
  ) {
    if (keyKind === "Authorization header" && !/^(bearer|basic|token)\s+\S{8,}/i.test(text.trim())) return [];
    const shapes = findCredentialShapes(text);
    if (shapes.length > 0) return shapes; // a JWT under `token:` is reported as what it is
    return [
      {
        kind: keyKind,
        index: 0,
        evidence: `${key}: ${maskSecret(text)}`,
        severity: keyKind === "webhook id" ? "medium" : "high",
      },
    ];
  }
  if ((key === "key" || key.toLowerCase() === "key") && BASE64_32_BYTES.test(text.trim())) {
    return [{ kind: "encryption key", index: 0, evidence: `${key}: ${maskSecret(text)}`, severity: "high" }];
  }
  return typeof value === "string" ? findCredentialShapes(text) : [];
}

export interface TextMatch extends ValueMatch {
  line: number;
  column: number;
}

/**
 * `key: value`, `key = value`, `KEY=value` (also `- KEY=value` in Compose and `"key": "value"` in JSON and
 * JavaScript). `=` must not start `==` or `=>` (comparisons and arrow functions are not assignments).
 */
const ASSIGNMENT =
  /(?:^|[\s{,(;])["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*(?::|=(?![=>]))\s*("(?:[^"\\\n]|\\.){0,512}"|'(?:[^'\\\n]|\\.){0,512}'|`[^`\n]{0,512}`|\$\{[^}\n]{0,256}\}|[^\s,;#}'"`]+)/g;

/**
 * Every credential in a text file, line by line, with 1-based line and column. `quotedOnly` is for source
 * code (JavaScript, JSON, HTML), where an unquoted value is a variable name rather than a secret. Comment
 * lines are skipped: they are mostly examples, and scanning them would drown the real findings.
 */
export function scanText(text: string, options: { quotedOnly: boolean }): TextMatch[] {
  const found: TextMatch[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (/^\s*(#|\/\/|;|\*|<!--)/.test(line) && !line.includes("-----BEGIN")) continue;
    const onLine: TextMatch[] = [];
    for (const m of line.matchAll(ASSIGNMENT)) {
      const key = m[1] ?? "";
      const raw = m[2] ?? "";
      const quoted = /^["'`]/.test(raw);
      if (options.quotedOnly && !quoted) continue;
      const value = quoted ? raw.slice(1, -1) : raw;
      const keyColumn = m.index + m[0].indexOf(key);
      for (const match of judgeAssignment(key, value)) {
        onLine.push({ ...match, line: index + 1, column: keyColumn + 1 });
      }
    }
    for (const shape of findCredentialShapes(line)) {
      // already reported through its assignment
      if (onLine.some((m) => m.kind === shape.kind)) continue;
      onLine.push({ ...shape, line: index + 1, column: shape.index + 1 });
    }
    found.push(...onLine);
  }
  return found;
}

/** Extensions of source code whose unquoted right-hand sides are identifiers, not values. */
export function isSourceCode(file: string): boolean {
  return /\.(m?js|cjs|jsx|tsx?|json|html?|vue|py|css)$/i.test(file);
}
