import type { ConfigFacts } from "../../model/config-facts.js";
import { type EffectiveHttp, effectiveHttp } from "../../model/config-query.js";
import type { FileLocation } from "../../model/finding.js";
import {
  asList,
  get,
  getEntry,
  isScalar,
  type SourcePos,
  scalarString,
  type YMap,
  type YNode,
  type YScalar,
} from "../../model/yaml-node.js";
import { at, lineColumnOf } from "./where.js";

/**
 * The `http:` settings Home Assistant runs with (YAML before the 2026 migration, `.storage/http` after it:
 * model/config-query.ts decides), plus where to point a finding about a setting that is missing.
 */
export interface HttpView extends EffectiveHttp {
  /** Where the settings in force are written: the `http:` block, the stable/pending object, or the file. */
  where: FileLocation;
  /** Words for messages: "configuration.yaml `http:`", ".storage/http (pending)". */
  label: string;
}

export function httpView(config: ConfigFacts): HttpView {
  const effective = effectiveHttp(config);
  const yamlEntry = getEntry(config.merged, "http");
  if (effective.source === "yaml") {
    return {
      ...effective,
      where: yamlEntry ? at(yamlEntry.keyPos) : { file: "configuration.yaml" },
      label: "the YAML `http:` block",
    };
  }
  if (effective.source === "storage-pending" || effective.source === "storage-stable") {
    const which = effective.source === "storage-pending" ? "pending" : "stable";
    return {
      ...effective,
      where: effective.settings ? at(effective.settings.pos) : { file: config.httpStorage?.file ?? ".storage/http" },
      label: `${config.httpStorage?.file ?? ".storage/http"} (${which} settings)`,
    };
  }
  const where: FileLocation = yamlEntry
    ? at(yamlEntry.keyPos)
    : config.httpStorage
      ? { file: config.httpStorage.file }
      : { file: "configuration.yaml" };
  if (effective.source === "unread") return { ...effective, where, label: "configuration.yaml (not read)" };
  return { ...effective, where, label: "Home Assistant's defaults" };
}

/** A scalar setting, or undefined when it is not set. */
export function scalarSetting(settings: YMap | undefined, key: string): YScalar | undefined {
  const node = get(settings, key);
  return isScalar(node) && node.value !== null ? node : undefined;
}

/** A list setting (a lone scalar counts as a list of one, as `ensure_list` does), its string items. */
export function listSetting(settings: YMap | undefined, key: string): { text: string; node: YScalar }[] {
  return asList(get(settings, key)).flatMap((item) => {
    const text = scalarString(item);
    return text === undefined || !isScalar(item) ? [] : [{ text, node: item }];
  });
}

/** Whether a YAML boolean-ish value is true (`true`, `yes`, `on`, as Home Assistant's `cv.boolean`). */
export function isTrue(node: YNode | undefined): boolean {
  if (!isScalar(node)) return false;
  if (typeof node.value === "boolean") return node.value;
  return typeof node.value === "string" && ["true", "yes", "on", "enable", "1"].includes(node.value.toLowerCase());
}
export function isFalse(node: YNode | undefined): boolean {
  if (!isScalar(node)) return false;
  if (typeof node.value === "boolean") return !node.value;
  if (typeof node.value === "number") return node.value === 0;
  return typeof node.value === "string" && ["false", "no", "off", "disable", "0"].includes(node.value.toLowerCase());
}

export interface ConfiguredUrl {
  key: string;
  url: URL;
  pos: SourcePos;
  /** Where the URL is set: the YAML `homeassistant:`/`http:` block, or the UI (`.storage/core.config`). */
  source: "yaml" | "ui";
}

const CORE_CONFIG_FILE = ".storage/core.config";

/**
 * The URLs Home Assistant advertises for itself: `external_url`/`internal_url` from YAML `homeassistant:`,
 * or from the UI settings in `.storage/core.config` when YAML does not set them (YAML core settings win,
 * core_config.py), and the deprecated `http: base_url` (still read: it says how the owner reaches the home).
 */
export function advertisedUrls(config: ConfigFacts, http: HttpView): ConfiguredUrl[] {
  const result: ConfiguredUrl[] = [];
  const core = get(config.merged, "homeassistant");
  const push = (key: string, text: string, pos: SourcePos, source: ConfiguredUrl["source"]) => {
    const url = parseUrl(text.includes("://") ? text : `http://${text}`);
    if (url !== undefined) result.push({ key, url, pos, source });
  };
  for (const key of ["external_url", "internal_url"]) {
    const node = get(core, key);
    const text = scalarString(node);
    if (text !== undefined && isScalar(node)) push(key, text, node.pos, "yaml");
    else for (const ui of uiUrl(config, key)) push(key, ui.text, ui.pos, "ui");
  }
  const base = get(http.settings, "base_url");
  const baseText = scalarString(base);
  if (baseText !== undefined && isScalar(base)) push("base_url", baseText, base.pos, "yaml");
  return result;
}

/** `"external_url": "..."` in `.storage/core.config`, with its line and column (no JSON positions needed). */
function uiUrl(config: ConfigFacts, key: string): { text: string; pos: SourcePos }[] {
  const text = config.texts.get(CORE_CONFIG_FILE);
  if (text === undefined) return [];
  const match = new RegExp(`"${key}"\\s*:\\s*"((?:[^"\\\\]|\\\\.){1,2048})"`).exec(text);
  if (match?.[1] === undefined) return [];
  const { line, column } = lineColumnOf(text, match.index);
  return [{ text: match[1], pos: { file: CORE_CONFIG_FILE, line, column } }];
}

export function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
