import { maskSecret } from "../../model/mask.js";
import { findCommandLineCredentials, mayHoldCommandCredential } from "./command-line-credentials.js";
import {
  type CredentialKind,
  findCredentialShapes,
  fingerprintOf,
  type ShapeOptions,
  type ValueMatch,
} from "./credential-shapes.js";
import { integrationKeyKind, isDomainSecret, type KeyContext } from "./integration-secrets.js";
import { normalizeKey } from "./key-names.js";
import { isPlaceholder, isTextEditingCommand } from "./placeholder-values.js";

export type { CredentialKind, ValueMatch } from "./credential-shapes.js";
export { describeJwt, findCredentialShapes } from "./credential-shapes.js";
export type { KeyContext } from "./integration-secrets.js";
export { normalizeKey } from "./key-names.js";
export { isPlaceholder } from "./placeholder-values.js";

/*
 * What counts as a credential, shared by the inline-credential check (Home Assistant YAML) and the
 * credential-in-file check (every other file). Key names follow what Home Assistant integrations, ESPHome,
 * Docker Compose and `.env` files use; value shapes are the ones gitleaks-style scanners look for (JWTs,
 * PEM private keys, `scheme://user:pass@host`: credential-shapes.ts). Nothing here returns a secret unmasked.
 */

const KEY_KINDS: [RegExp, CredentialKind][] = [
  [/(^|_)(password|passwd|passphrase|pwd)$/, "password"],
  [/(^|_)token$/, "token"],
  [/(^|_)(api_?key|apikey|access_key|secret_key|app_key|auth_key|subscription_key)$/, "api key"],
  [/(^|_)secret$/, "client secret"],
  [/^webhook_id$/, "webhook id"],
  [/^credential$/, "TURN credential"],
  [/(^|_)(encryption_key|private_key|psk)$/, "encryption key"],
  [/^authorization$/, "Authorization header"],
  // PINs and alarm codes by a name no other setting uses (`code_format`, `country_code` are not among them); a
  // bare `code` or `pin` is one only where an alarm panel or a lock takes it (integration-secrets.ts)
  [
    /^(pin_?code|pin_number|passcode|alarm_code|master_code|security_code|access_code|disarm_code|arm_code|keypad_code|door_code|lock_code|unlock_code)$/,
    "PIN code",
  ],
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

/** ESPHome's `api: encryption: key:` is 32 random bytes in base64. */
const BASE64_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Judges one `key: value` pair: a credential by key name (unless the value is a placeholder or reference) or
 * by the integration's own list of secrets (`context`: data/integration-secrets.json), an ESPHome encryption key
 * by shape, or a credential by value shape. Booleans and numbers other than passwords and PINs are not credentials.
 */
export function judgeAssignment(
  key: string,
  value: string | number | boolean | null,
  context: KeyContext = {},
): ValueMatch[] {
  if (value === null || typeof value === "boolean") return [];
  const text = String(value);
  const byName = credentialKeyKind(key);
  const keyKind = byName ?? integrationKeyKind(key, context);
  // `CONF_PASSWORD = "password"`: a constant naming the setting, not a secret
  const namesASetting = /^[A-Za-z_]+$/.test(text) && credentialKeyKind(text) !== undefined;
  if (
    keyKind !== undefined &&
    (typeof value === "string" || keyKind === "password" || keyKind === "PIN code") &&
    !isPlaceholder(text) &&
    !namesASetting
  ) {
    // a bare `code`/`pin` of an alarm panel is a short run of digits; anything else there is not a PIN
    if (keyKind === "PIN code" && /^(code|pin)$/i.test(key) && !/^(?=.*\d)[0-9A-Za-z*#]{3,16}$/.test(text)) return [];
    if (keyKind === "Authorization header" && !/^(bearer|basic|token)\s+\S{8,}/i.test(text.trim())) return [];
    const shapes = findCredentialShapes(text);
    if (shapes.length > 0) return shapes; // a JWT under `token:` is reported as what it is
    const detail = byName === undefined ? integrationDetail(key, keyKind, context) : undefined;
    return [
      {
        kind: keyKind,
        index: 0,
        evidence: `${key}: ${maskSecret(text)}`,
        severity: keyKind === "webhook id" ? "medium" : "high",
        ...(detail === undefined ? {} : { detail }),
        fingerprint: fingerprintOf(text),
      },
    ];
  }
  if ((key === "key" || key.toLowerCase() === "key") && BASE64_32_BYTES.test(text.trim())) {
    return [
      {
        kind: "encryption key",
        index: 0,
        evidence: `${key}: ${maskSecret(text)}`,
        severity: "high",
        fingerprint: fingerprintOf(text.trim()),
      },
    ];
  }
  return typeof value === "string" ? findCredentialShapes(text) : [];
}

/** Why a plainly named key was taken for a secret, for the message. */
function integrationDetail(key: string, kind: CredentialKind, context: KeyContext): string | undefined {
  if (isDomainSecret(key, context.domain)) {
    return `a secret by the ${context.domain} integration's own schema: Home Assistant redacts \`${key}\` from its diagnostics`;
  }
  if (kind === "PIN code" && /^(code|pin)$/i.test(key)) return "the code of an alarm panel or lock";
  return undefined;
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

const COMMENT_LINE = /^\s*(#|\/\/|;|\*|<!--)/;

export interface ScanOptions extends ShapeOptions {
  /** Source code (JavaScript, JSON, HTML): an unquoted right-hand side is a variable name, not a secret. */
  quotedOnly: boolean;
}

/**
 * Every credential in a text file with 1-based line and column: `key: value` assignments line by line, and
 * the shapes of credentials (a JWT, a PEM private key with its body on the following lines, a URL password)
 * over the whole text. Comment lines are skipped, except for a private key: comments are mostly examples, and
 * scanning them would drown the real findings. So are sed and perl lines of scripts, whose substitutions
 * are patterns. With `vendored` only shapes are searched (third-party code, see credential-shapes.ts).
 */
export function scanText(text: string, options: ScanOptions): TextMatch[] {
  const lines = text.split(/\r?\n/);
  const skipped = lines.map((line) => COMMENT_LINE.test(line) || isTextEditingCommand(line));
  const byLine = new Map<number, TextMatch[]>();
  const add = (match: TextMatch) => {
    const list = byLine.get(match.line);
    if (list === undefined) byLine.set(match.line, [match]);
    else list.push(match);
  };
  if (!options.vendored) {
    for (const [index, line] of lines.entries()) {
      if (skipped[index]) continue;
      for (const m of line.matchAll(ASSIGNMENT)) {
        const key = m[1] ?? "";
        const raw = m[2] ?? "";
        const quoted = /^["'`]/.test(raw);
        if (options.quotedOnly && !quoted) continue;
        const value = quoted ? raw.slice(1, -1) : raw;
        const keyColumn = m.index + m[0].indexOf(key);
        for (const match of judgeAssignment(key, value)) add({ ...match, line: index + 1, column: keyColumn + 1 });
      }
      // `curl -u user:pass`, `mysqldump -p…` in scripts and service files (not in source code: its strings are
      // arguments of calls judged by their names)
      if (options.quotedOnly || !mayHoldCommandCredential(line)) continue;
      for (const match of findCommandLineCredentials(line)) {
        if (byLine.get(index + 1)?.some((m) => m.fingerprint === match.fingerprint)) continue;
        add({ ...match, line: index + 1, column: match.index + 1 });
      }
    }
  }
  const locate = lineLocator(text);
  for (const shape of findCredentialShapes(text, options)) {
    const { line, column } = locate(shape.index);
    if (skipped[line - 1] && shape.kind !== "private key") continue;
    // already reported through its assignment
    if (byLine.get(line)?.some((m) => m.kind === shape.kind)) continue;
    add({ ...shape, line, column });
  }
  return [...byLine.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, matches]) => matches);
}

/** Offset → 1-based line and column, by binary search over the line starts (texts can be megabytes). */
function lineLocator(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (starts[low] as number) + 1 };
  };
}

/** Extensions of source code whose unquoted right-hand sides are identifiers, not values. */
export function isSourceCode(file: string): boolean {
  return /\.(m?js|cjs|jsx|tsx?|json|html?|vue|py|css)$/i.test(file);
}
