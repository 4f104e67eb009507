import path from "node:path";
import type { AddonOptions, HttpStorage, IpBanEntry } from "../../model/config-facts.js";
import type { SourceError } from "../../model/errors.js";
import { get, type YMap, type YNode } from "../../model/yaml-node.js";
import type { ConfigLoader } from "./loader.js";
import { convertYaml } from "./yaml-convert.js";

/**
 * `.storage/http`: version 2 holds `{stable, pending, yaml_migration_done}` (HA 2026, http/config.py);
 * version 1 is the older snapshot of the working YAML settings. JSON is parsed as YAML so every value keeps
 * its line and column.
 */
export function readHttpStorage(texts: Map<string, string>, errors: SourceError[]): HttpStorage | undefined {
  for (const file of [".storage/http", ".storage/http.config"]) {
    const text = texts.get(file);
    if (text === undefined) continue;
    const envelope = parseJsonWithPositions(text, file, errors);
    if (envelope === undefined) continue;
    const version = numberAt(envelope, "version");
    const data = get(envelope, "data");
    if (data?.kind !== "map") {
      errors.push({ source: "storage", file, message: "no `data` object; file ignored" });
      continue;
    }
    if (version === 2 || get(data, "stable") !== undefined) {
      const stable = get(data, "stable");
      const pending = get(data, "pending");
      const migrated = get(data, "yaml_migration_done");
      return {
        file,
        version: version ?? 2,
        ...(stable?.kind === "map" ? { stable } : {}),
        ...(pending?.kind === "map" ? { pending } : {}),
        yamlMigrationDone: migrated?.kind === "scalar" && migrated.value === true,
      };
    }
    if (version !== 1) {
      errors.push({ source: "storage", file, message: `unknown version ${String(version)}; read as version 1` });
    }
    return { file, version: version ?? 1, stable: data, yamlMigrationDone: false };
  }
  return undefined;
}

export function parseJsonWithPositions(text: string, file: string, errors: SourceError[]): YMap | undefined {
  const converted = convertYaml(text, file, (_tag, _arg, pos) => ({
    kind: "scalar",
    value: null,
    pos,
    origin: { kind: "inline" },
  }));
  if (converted.fatal || converted.root?.kind !== "map") {
    const why = converted.problems[0]?.message ?? "not a JSON object";
    errors.push({ source: "storage", file, message: `unreadable: ${why}` });
    return undefined;
  }
  return converted.root;
}

function numberAt(map: YMap, key: string): number | undefined {
  const node = get(map, key);
  return node?.kind === "scalar" && typeof node.value === "number" ? node.value : undefined;
}

/** `.HA_VERSION`: one line, the version that last ran. */
export function readHaVersion(texts: Map<string, string>): { version: string; file: string } | undefined {
  const text = texts.get(".HA_VERSION");
  const version = text?.trim().split(/\s+/)[0];
  return version ? { version, file: ".HA_VERSION" } : undefined;
}

/** `ip_bans.yaml`: `ADDRESS: {banned_at: ISO}` entries (http/ban.py). */
export function readIpBans(loader: ConfigLoader, exists: boolean): IpBanEntry[] {
  if (!exists) return [];
  const root = loader.loadFile("ip_bans.yaml");
  if (root?.kind !== "map") return [];
  return root.entries.map((entry) => {
    const bannedAt = get(entry.value, "banned_at");
    const at = bannedAt?.kind === "scalar" && bannedAt.value !== null ? String(bannedAt.value) : undefined;
    return { address: entry.key, ...(at === undefined ? {} : { bannedAt: at }), pos: entry.keyPos };
  });
}

/**
 * Add-on options found in the directory: `options.json` files (what the Supervisor keeps in each add-on's
 * `/data`, often copied along in backups or `addon_configs/<slug>/`). The add-on is the parent folder's name.
 */
export function readAddonOptions(texts: Map<string, string>, errors: SourceError[]): AddonOptions[] {
  const result: AddonOptions[] = [];
  for (const [file, text] of texts) {
    if (path.posix.basename(file) !== "options.json") continue;
    const options = parseJsonWithPositions(text, file, errors);
    if (options === undefined) continue;
    const addon = path.posix.basename(path.posix.dirname(file)) || "(root)";
    result.push({ addon, file, options: options as YNode });
  }
  return result;
}
