import type { ConfigFacts } from "../../model/config-facts.js";
import type { FileLocation } from "../../model/finding.js";
import { lineColumnOf } from "./where.js";

export const CONFIG_ENTRIES_FILE = ".storage/core.config_entries";

/** One integration set up in the UI, as `.storage/core.config_entries` keeps it. */
export interface UiConfigEntry {
  domain: string;
  title: string;
  data: Record<string, unknown>;
  /** What the integration's options flow saved (`options`); empty when none. */
  options: Record<string, unknown>;
}

const memo = new WeakMap<ConfigFacts, UiConfigEntry[]>();

/**
 * The integrations configured in the UI (`{"data": {"entries": [{"domain", "title", "data", "options", ...}]}}`).
 * The storage reader owns this file; the config checks only need the connection settings and secrets of the
 * entries, so they read them here (parsed once per audit). Unreadable content gives no entries.
 */
export function uiConfigEntries(config: ConfigFacts): UiConfigEntry[] {
  let entries = memo.get(config);
  if (entries === undefined) {
    entries = parseEntries(config.texts.get(CONFIG_ENTRIES_FILE));
    memo.set(config, entries);
  }
  return entries;
}

function parseEntries(text: string | undefined): UiConfigEntry[] {
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const entries = (parsed as { data?: { entries?: unknown } } | null)?.data?.entries;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry: unknown) => {
    if (typeof entry !== "object" || entry === null) return [];
    const { domain, title, data, options } = entry as {
      domain?: unknown;
      title?: unknown;
      data?: unknown;
      options?: unknown;
    };
    if (typeof domain !== "string" || typeof data !== "object" || data === null) return [];
    return [
      {
        domain,
        title: typeof title === "string" ? title : domain,
        data: data as Record<string, unknown>,
        options: typeof options === "object" && options !== null ? (options as Record<string, unknown>) : {},
      },
    ];
  });
}

/** Where `"key": value` is written in the file (the first occurrence with that value), for a finding. */
export function locateInEntries(config: ConfigFacts, key: string, value: unknown): FileLocation {
  return locateInJson(config, CONFIG_ENTRIES_FILE, key, value);
}

/** Where `"key": value` is written in a JSON file of the folder (the first occurrence with that value). */
export function locateInJson(config: ConfigFacts, file: string, key: string, value: unknown, from = 0): FileLocation {
  const text = config.texts.get(file) ?? "";
  const needle = `"${key}"`;
  const rendered = JSON.stringify(value);
  for (let i = text.indexOf(needle, from); i >= 0; i = text.indexOf(needle, i + needle.length)) {
    const after = text.slice(i + needle.length, i + needle.length + rendered.length + 8).replace(/^\s*:\s*/, "");
    if (after.startsWith(rendered)) return { file, ...lineColumnOf(text, i) };
  }
  return { file };
}
