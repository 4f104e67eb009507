import type { CredentialKind } from "./credential-shapes.js";
import { INTEGRATION_SECRET_DATA } from "./integration-secrets.generated.js";
import { normalizeKey } from "./key-names.js";

/*
 * Keys that are secrets by an integration's own schema even when their names say little (`key`, `code`,
 * `credentials`), from data/integration-secrets.json: each integration's diagnostics.py in Home Assistant's
 * source lists the keys it redacts (its TO_REDACT sets), plus a few config schemas read directly. data/README.md
 * says where each entry comes from and how to extend the list.
 */

/** Where a key is judged: the integration it configures, and whether an alarm panel or a lock takes it. */
export interface KeyContext {
  /** The integration domain (`esphome`, `xiaomi_aqara`), when known. */
  domain?: string;
  /** Under `alarm_control_panel:`/`lock:`, or in a call to one of their actions: `code` and `pin` are PINs there. */
  alarmOrLock?: boolean;
}

export interface IntegrationSecretData {
  readonly global: { readonly keys: Readonly<Record<string, CredentialKind>> };
  readonly notCredentials: { readonly keys: readonly string[] };
  readonly contextual: { readonly keys: readonly string[]; readonly domains: readonly string[] };
  readonly domains: Readonly<Record<string, { readonly redacted: readonly string[] }>>;
  readonly schemas: Readonly<Record<string, { readonly keys: readonly string[] }>>;
}

interface Index {
  global: Map<string, CredentialKind>;
  byDomain: Map<string, Set<string>>;
  contextualKeys: Set<string>;
  contextualDomains: Set<string>;
  /** Every key some list names: where a key is not among them, its context need not be worked out. */
  anyList: Set<string>;
}

let cached: Index | undefined;

/** The shipped list (compiled in from the JSON: checks read no file), indexed by normalised key name, once. */
function index(): Index {
  if (cached === undefined) cached = indexData(INTEGRATION_SECRET_DATA);
  return cached;
}

export function indexData(data: IntegrationSecretData): Index {
  const notCredentials = new Set(data.notCredentials.keys.map(normalizeKey));
  const byDomain = new Map<string, Set<string>>();
  const add = (domain: string, keys: readonly string[]) => {
    const set = byDomain.get(domain) ?? new Set<string>();
    for (const key of keys.map(normalizeKey)) if (!notCredentials.has(key)) set.add(key);
    byDomain.set(domain, set);
  };
  for (const [domain, entry] of Object.entries(data.domains)) add(domain, entry.redacted);
  for (const [domain, entry] of Object.entries(data.schemas)) add(domain, entry.keys);
  const global = new Map(Object.entries(data.global.keys).map(([key, kind]) => [normalizeKey(key), kind]));
  const contextualKeys = new Set(data.contextual.keys.map(normalizeKey));
  const anyList = new Set([...global.keys(), ...contextualKeys, ...[...byDomain.values()].flatMap((set) => [...set])]);
  return { global, byDomain, contextualKeys, contextualDomains: new Set(data.contextual.domains), anyList };
}

/**
 * The kind of credential a key holds by the list: a name that is a secret anywhere (`network_key`), a key the
 * integration's own diagnostics redact (`key` of xiaomi_aqara, `credentials` of apple_tv), or `code`/`pin` where an
 * alarm panel or a lock takes them. Undefined for anything else.
 */
export function integrationKeyKind(key: string, context: KeyContext = {}): CredentialKind | undefined {
  const normalized = normalizedKey(key);
  const data = index();
  if (!data.anyList.has(normalized)) return undefined;
  const global = data.global.get(normalized);
  if (global !== undefined) return global;
  const domain = context.domain;
  const contextual = context.alarmOrLock === true || (domain !== undefined && data.contextualDomains.has(domain));
  if (contextual && data.contextualKeys.has(normalized)) return "PIN code";
  if (domain !== undefined && data.byDomain.get(domain)?.has(normalized)) return kindOfName(normalized);
  return undefined;
}

/** Whether any list names the key: only then does its domain or alarm context matter. */
export function mayBeIntegrationKey(key: string): boolean {
  return index().anyList.has(normalizedKey(key));
}

const normalizedCache = new Map<string, string>();

/** normalizeKey, memoised: stores and configurations repeat the same few thousand keys many times. */
function normalizedKey(key: string): string {
  let normalized = normalizedCache.get(key);
  if (normalized === undefined) {
    normalized = normalizeKey(key);
    if (normalizedCache.size < 20_000) normalizedCache.set(key, normalized);
  }
  return normalized;
}

/** Whether the domain's own list names this key (the message then says so). */
export function isDomainSecret(key: string, domain: string | undefined): boolean {
  return domain !== undefined && (index().byDomain.get(domain)?.has(normalizedKey(key)) ?? false);
}

function kindOfName(normalized: string): CredentialKind {
  if (/pass(word|wd|phrase)?/.test(normalized)) return "password";
  if (/token|session/.test(normalized)) return "token";
  if (/secret/.test(normalized)) return "client secret";
  if (/(^|_)(code|pin|pins|usercode)$/.test(normalized)) return "PIN code";
  if (/(^|_)(key|keys|psk|ltsk|local_key)$|key$/.test(normalized)) return "encryption key";
  return "integration secret";
}
