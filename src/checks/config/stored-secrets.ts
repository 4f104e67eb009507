import path from "node:path";
import type { ConfigFacts } from "../../model/config-facts.js";
import type { FileLocation } from "../../model/finding.js";
import type { Severity } from "../../model/severity.js";
import { CONFIG_ENTRIES_FILE, locateInJson, uiConfigEntries } from "./config-entries.js";
import { type CredentialKind, findCredentialShapes, judgeAssignment, type KeyContext } from "./credential-patterns.js";
import { gitState } from "./git-exposure.js";
import { looksLive, sharingSign } from "./installation.js";

/*
 * The secrets Home Assistant and its integrations keep in `.storage` and `.cloud`: the passwords and tokens of
 * every integration set up in the UI (`core.config_entries`), pairing keys, account sessions, OAuth client
 * secrets, the stores of custom integrations. A live installation holds them by design; they matter where the
 * files travel (a git repository, a folder prepared for sharing) or where other accounts can read them.
 * Values never leave this module: only key paths, kinds and where they are.
 */

/** One secret found in a store: which key holds it (a dotted path), what kind, and where. */
export interface StoredSecret {
  key: string;
  kind: CredentialKind;
}

export interface EntrySecrets {
  domain: string;
  title: string;
  secrets: StoredSecret[];
  location: FileLocation;
}

export interface StoreSecrets {
  file: string;
  /** What the file is, in words for a report. */
  what: string;
  secrets: StoredSecret[];
  location: FileLocation;
}

/** Bounds for one JSON document: stores of custom integrations can be large and deep. */
const MAX_DEPTH = 16;
const MAX_NODES = 200_000;

/**
 * The secrets in each entry's `data` and `options` of `.storage/core.config_entries`, judged with the entry's
 * domain (so a Xiaomi gateway's `key` or a SimpliSafe `code` counts). Entries without a secret are left out.
 */
export function configEntrySecrets(config: ConfigFacts): EntrySecrets[] {
  let result = entryMemo.get(config);
  if (result === undefined) {
    result = uiConfigEntries(config).flatMap((entry) => {
      const found = [
        ...secretsIn(entry.data, { domain: entry.domain }),
        ...secretsIn(entry.options, { domain: entry.domain }).map((s) => ({ ...s, key: `options.${s.key}` })),
      ];
      const first = found[0];
      if (first === undefined) return [];
      const location = locateInJson(config, CONFIG_ENTRIES_FILE, first.leaf, first.value);
      return [
        { domain: entry.domain, title: entry.title, secrets: found.map(({ key, kind }) => ({ key, kind })), location },
      ];
    });
    entryMemo.set(config, result);
  }
  return result;
}

const entryMemo = new WeakMap<ConfigFacts, EntrySecrets[]>();

/** Stores judged by other checks (auth: storage/private-file-modes, secrets/storage-in-git; config entries above). */
const JUDGED_ELSEWHERE = /^\.storage\/(auth|auth_provider\..*|auth_module\..*|core\.config_entries)$/;
/**
 * Home Assistant's state cache: camera entities keep an `access_token` attribute that rotates every few minutes,
 * and entity pictures carry the same token. Short-lived by design: not worth a finding.
 */
const SHORT_LIVED = /^\.storage\/core\.restore_state$/;

/** What Home Assistant and common libraries keep in some stores (for the message), and the domain to judge by. */
const KNOWN_STORES: { file: RegExp; what: string; domain?: string }[] = [
  {
    file: /^\.storage\/homekit\..+\.state$/,
    what: "the HomeKit bridge's pairing state: its private key lets anyone pose as the bridge to the paired iPhones",
    domain: "homekit",
  },
  {
    file: /^\.cloud\/.+_auth\.json$/,
    what: "the Home Assistant Cloud (Nabu Casa) session: its refresh token signs in to the account",
    domain: "cloud",
  },
  {
    file: /^\.storage\/cloud$/,
    what: "the Home Assistant Cloud preferences (cloudhook URLs, the secure devices PIN)",
    domain: "cloud",
  },
  { file: /^\.cloud\//, what: "Home Assistant Cloud's remote access keys", domain: "cloud" },
  {
    file: /^\.storage\/application_credentials$/,
    what: "the OAuth application credentials (client secrets) entered in the UI",
  },
];

/**
 * The secrets of every other `.storage` and `.cloud` file: secret-named keys (by name and, for known stores, by
 * the integration's list) and credential shapes (tokens, private keys, URLs with passwords) in string values.
 */
export function storeSecrets(config: ConfigFacts): StoreSecrets[] {
  let result = storeMemo.get(config);
  if (result === undefined) {
    result = [];
    for (const [file, text] of config.texts) {
      if (!/^\.(storage|cloud)\//.test(file) || JUDGED_ELSEWHERE.test(file) || SHORT_LIVED.test(file)) continue;
      const parsed = parseJson(text);
      const known = KNOWN_STORES.find((k) => k.file.test(file));
      const context: KeyContext = known?.domain === undefined ? {} : { domain: known.domain };
      // a store that is not JSON (a key file under .cloud): its text is searched for credential shapes
      const found =
        parsed === undefined
          ? findCredentialShapes(text).map((m) => ({ key: "(file)", leaf: "", value: undefined, kind: m.kind }))
          : secretsIn(dataOf(parsed), context);
      const first = found[0];
      if (first === undefined) continue;
      result.push({
        file,
        what: known?.what ?? "a store an integration keeps; custom integrations cache account tokens in theirs",
        secrets: found.map(({ key, kind }) => ({ key, kind })),
        location: first.leaf === "" ? { file } : locateInJson(config, file, first.leaf, first.value),
      });
    }
    storeMemo.set(config, result);
  }
  return result;
}

const storeMemo = new WeakMap<ConfigFacts, StoreSecrets[]>();

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A Store's envelope is `{version, key, data}`: only `data` is the store's content. */
function dataOf(document: unknown): unknown {
  if (typeof document === "object" && document !== null && "data" in document && "key" in document) {
    return (document as { data: unknown }).data;
  }
  return document;
}

interface Found extends StoredSecret {
  /** The innermost key and its value, to find the line. */
  leaf: string;
  value: unknown;
}

/** Walks a JSON value (bounded) and judges every string or number under its nearest key. */
function secretsIn(root: unknown, context: KeyContext): Found[] {
  const found: Found[] = [];
  const keys: string[] = []; // a shared stack: copied only for a secret
  let nodes = 0;
  const walk = (value: unknown, depth: number): void => {
    if (++nodes > MAX_NODES || depth > MAX_DEPTH) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
      return;
    }
    if (typeof value === "object" && value !== null) {
      for (const key in value) {
        keys.push(key);
        walk((value as Record<string, unknown>)[key], depth + 1);
        keys.pop();
      }
      return;
    }
    if (typeof value !== "string" && typeof value !== "number") return;
    const match = judgeAssignment(namingKey(keys), value, context)[0];
    if (match === undefined) return;
    found.push({ key: keys.map(keyLabel).join("."), kind: match.kind, leaf: keys[keys.length - 1] ?? "", value });
  };
  walk(root, 0);
  return found;
}

/** `credentials: {"1": "…"}`: a numeric key is an index, the secret is named by the key above it. */
function namingKey(keys: readonly string[]): string {
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i] as string;
    if (!/^\d+$/.test(key)) return key;
  }
  return "";
}

/**
 * A key as it may be printed: stores key their maps by ids that are secrets themselves (a cloudhook's webhook id,
 * a paired client's id), so anything but a short name is shown as `*`.
 */
function keyLabel(key: string): string {
  const name = /^[A-Za-z_][A-Za-z0-9_-]{0,40}$/.test(key) && (key.match(/\d/g)?.length ?? 0) <= 3;
  return name || /^\d{1,4}$/.test(key) ? key : "*";
}

/** Why a stored secret matters in this folder, and how much; undefined for a live, private installation. */
export interface StoredFileExposure {
  severity: Severity;
  /** A clause for the message: "git tracks the file, so …". */
  why: string;
}

/**
 * How far a file of `.storage`/`.cloud` travels: tracked by git (high: every clone and remote has it), not ignored
 * by git (medium: one `git add .` away), in a folder prepared for sharing without git (medium), or readable by
 * every account of a live installation (low: Home Assistant writes most stores 0644; only other accounts and
 * services of the same machine can use that). A file git ignores in a private folder with tight modes: nothing.
 */
export function storedFileExposure(config: ConfigFacts, file: string): StoredFileExposure | undefined {
  const state = gitState(config, file);
  if (state === "tracked") {
    return {
      severity: "high",
      why: "git tracks the file, so it is in the repository's history and on every clone and remote",
    };
  }
  if (state === "unignored")
    return { severity: "medium", why: "git does not ignore the file, so the next `git add .` commits it" };
  if (state === undefined) {
    const sharing = sharingSign(config);
    if (sharing !== undefined) return { severity: "medium", why: `${sharing}, and the file goes with it` };
  }
  const mode = readableByAll(config, file);
  if (mode !== undefined) {
    return { severity: "low", why: `every account on the machine can read the file (mode ${mode})` };
  }
  return undefined;
}

/**
 * The file's mode when every account can read it and reach it (its folder is searchable by all), on a live
 * installation only: a checkout's modes say nothing about the server's.
 */
function readableByAll(config: ConfigFacts, file: string): string | undefined {
  if (!looksLive(config)) return undefined;
  const info = config.files.find((f) => f.path === file);
  if (info === undefined || (info.mode & 0o004) === 0) return undefined;
  const folder = config.files.find((f) => f.path === path.posix.dirname(file));
  if (folder !== undefined && (folder.mode & 0o001) === 0) return undefined;
  return info.mode.toString(8).padStart(3, "0");
}
