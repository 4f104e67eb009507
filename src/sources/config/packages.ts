import type { SourceError } from "../../model/errors.js";
import { get, getEntry, type SourcePos, type YEntry, type YMap, type YNode, type YSeq } from "../../model/yaml-node.js";

/**
 * `homeassistant: packages:` merged into the top level the way Home Assistant does before any integration is
 * set up, so an `http:` block in a package is judged with the rest of `http:`.
 *
 * Sources (home-assistant/core):
 * - homeassistant/config.py `load_yaml_config_file` (a top-level key without a value becomes `{}`),
 *   `merge_packages_config` and `_recursive_merge` (the 2024–2025 code that imports its schemas from
 *   core_config.py);
 * - homeassistant/core_config.py@c29ffdeedd872fc0463a1ef2f03aec71db50bfce `_PACKAGES_CONFIG_SCHEMA`
 *   (`{str: dict | list}`), `_PACKAGE_DEFINITION_SCHEMA` (`{str: dict | list | None}`), and
 *   `async_process_ha_core_config` (a package's `homeassistant:` gives only `customize*`).
 *
 * Rules kept here: a package is skipped whole when its name is not a slug or one of its blocks is not a
 * mapping, a list or empty; `homeassistant:` in a package is not merged; a block merges as a list or as a
 * mapping (below); inside a mapping, nested mappings merge key by key, lists are concatenated (empty items
 * dropped), and a value the main configuration already sets stops that block's merge with an error — the
 * main value stays.
 *
 * Whether an integration merges as a list Home Assistant learns from its code (`PLATFORM_SCHEMA`, a config
 * platform's `PACKAGE_MERGE_HINT`, the shape of `CONFIG_SCHEMA`). Without that code, the domains below are
 * taken from it, and any other block merges as a list when either side is a list or the package's block names
 * a `platform:` (only entity platforms take one).
 */
const LIST_DOMAINS = new Set([
  // PACKAGE_MERGE_HINT = "list" (automation/config.py, template/config.py)
  "automation",
  "template",
  // CONFIG_SCHEMA `{DOMAIN: vol.All(cv.ensure_list, cv.remove_falsy, [CONFIG_SCHEMA_BASE])}` (mqtt/__init__.py)
  "mqtt",
  // PLATFORM_SCHEMA: the entity platforms people most often put in packages
  "sensor",
  "binary_sensor",
  "switch",
  "light",
  "cover",
  "climate",
  "fan",
  "lock",
  "media_player",
  "notify",
  "device_tracker",
  "camera",
  "alarm_control_panel",
  "weather",
  "tts",
]);
/** Blocks merged as mappings whatever their shape: `http` and the others whose settings hassguard judges. */
const MAPPING_DOMAINS = new Set(["http", "recorder", "influxdb", "logger", "frontend", "script"]);

/** `cv.slug`: what `slugify` leaves unchanged. */
const SLUG = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;

export interface MergedPackages {
  /** The top level as integrations receive it; undefined without a configuration. */
  merged?: YMap;
  errors: SourceError[];
}

export function mergePackages(configuration: YMap | undefined): MergedPackages {
  const errors: SourceError[] = [];
  if (configuration === undefined) return { errors };
  const top = new MapBuilder(configuration.pos);
  for (const entry of configuration.entries) top.set(entry, valueOrEmptyMap(entry.value));
  const packagesEntry = getEntry(get(configuration, "homeassistant"), "packages");
  const packages = packagesEntry?.value;
  if (packages === undefined || isEmpty(packages)) return { merged: top.build(), errors };
  const error = (pos: SourcePos, message: string) =>
    errors.push({ source: "config", file: pos.file, line: pos.line, message });
  if (packages.kind !== "map" || packages.entries.some((p) => p.value.kind === "scalar")) {
    // _PACKAGES_CONFIG_SCHEMA fails: "Invalid package configuration", and no package is merged
    error(packages.pos, "`packages:` must map each package name to a mapping; Home Assistant merges no package");
    return { merged: top.build(), errors };
  }
  for (const pkg of packages.entries) {
    const definition = pkg.value;
    const bad =
      definition.kind === "map"
        ? definition.entries.find((e) => e.value.kind === "scalar" && e.value.value !== null)
        : undefined;
    const why = !SLUG.test(pkg.key)
      ? "its name is not a slug (lower-case letters, digits and single underscores)"
      : definition.kind !== "map"
        ? "it is not a mapping"
        : bad !== undefined
          ? `\`${bad.key}\` is neither a mapping nor a list`
          : undefined;
    if (why !== undefined || definition.kind !== "map") {
      error(pkg.keyPos, `package ${pkg.key} is not loaded by Home Assistant: ${why}`);
      continue;
    }
    for (const block of definition.entries) mergeBlock(top, pkg.key, block, error);
  }
  return { merged: top.build(), errors };
}

function mergeBlock(
  top: MapBuilder,
  packageName: string,
  block: YEntry,
  error: (pos: SourcePos, message: string) => void,
): void {
  const domain = block.key.split(" ")[0] ?? block.key;
  if (block.key === "homeassistant") {
    const ignored = block.value.kind === "map" ? block.value.entries.filter((e) => !e.key.startsWith("customize")) : [];
    for (const entry of ignored) {
      error(
        entry.keyPos,
        `homeassistant: ${entry.key} in package ${packageName} is ignored (a package gives only customize)`,
      );
    }
    return;
  }
  const existing = top.get(block.key);
  if (mergesAsList(domain, existing, block.value)) {
    top.set(block, ListBuilder.of(existing, block.value).append(block.value));
    return;
  }
  if (block.value.kind === "seq") {
    error(block.keyPos, `package ${packageName}: ${block.key} cannot be merged, expected a mapping`);
    return;
  }
  const target = MapBuilder.of(existing, block.value.pos);
  if (target === undefined) {
    error(
      block.keyPos,
      `package ${packageName}: ${block.key} cannot be merged, the main configuration's is not a mapping`,
    );
    return;
  }
  top.set(block, target);
  const duplicate = mergeInto(target, block.value);
  if (duplicate !== undefined) {
    error(
      duplicate.keyPos,
      `package ${packageName}: ${block.key} sets ${duplicate.key} again; Home Assistant keeps the main configuration's value and merges nothing after it`,
    );
  }
}

/** `_recursive_merge`: returns the entry that stopped the merge, if one did. */
function mergeInto(target: MapBuilder, source: YNode): YEntry | undefined {
  if (source.kind !== "map") return undefined;
  let duplicate: YEntry | undefined;
  for (const entry of source.entries) {
    const value = entry.value;
    const existing = target.get(entry.key);
    if (value.kind === "map") {
      if (value.entries.length === 0) continue;
      const inner = MapBuilder.of(existing, value.pos);
      if (inner === undefined) return entry; // not a mapping there: Home Assistant fails on it too
      target.set(entry, inner);
      duplicate = mergeInto(inner, value);
    } else if (value.kind === "seq") {
      target.set(entry, ListBuilder.of(existing, value).append(value));
    } else {
      if (existing !== undefined && !isNull(existing)) return entry;
      target.set(entry, value);
    }
  }
  return duplicate;
}

function mergesAsList(domain: string, main: Built | undefined, pkg: YNode): boolean {
  if (LIST_DOMAINS.has(domain)) return true;
  if (MAPPING_DOMAINS.has(domain)) return false;
  if (pkg.kind === "seq" || (main !== undefined && kindOf(main) === "seq")) return true;
  return pkg.kind === "map" && get(pkg, "platform") !== undefined;
}

/** Python's falsiness for what YAML can hold: None, "", 0, False, {} and []. */
function isEmpty(node: YNode): boolean {
  if (node.kind === "map") return node.entries.length === 0;
  if (node.kind === "seq") return node.items.length === 0;
  return node.value === null || node.value === "" || node.value === 0 || node.value === false;
}

/** A top-level value that is empty becomes `{}` (`conf_dict[key] = value or {}`). */
function valueOrEmptyMap(node: YNode): YNode {
  return isEmpty(node) ? { kind: "map", entries: [], pos: node.pos } : node;
}

/**
 * Merged values are built apart from the loaded tree (whose nodes aliases share, so it is never changed), each
 * mapping or list copied once however many packages add to it: merging stays linear.
 */
type Built = YNode | MapBuilder | ListBuilder;

function kindOf(value: Built): YNode["kind"] {
  return value instanceof MapBuilder ? "map" : value instanceof ListBuilder ? "seq" : value.kind;
}

function isNull(value: Built): boolean {
  return (
    !(value instanceof MapBuilder || value instanceof ListBuilder) && value.kind === "scalar" && value.value === null
  );
}

function build(value: Built): YNode {
  return value instanceof MapBuilder || value instanceof ListBuilder ? value.build() : value;
}

/** Entries by key in insertion order; a key set again keeps its first position. */
class MapBuilder {
  private readonly entries = new Map<string, { keyPos: SourcePos; value: Built }>();

  constructor(private readonly pos: SourcePos) {}

  /** A builder for what is there (a copy of a loaded mapping), a new one for nothing, undefined for a non-mapping. */
  static of(existing: Built | undefined, pos: SourcePos): MapBuilder | undefined {
    if (existing instanceof MapBuilder) return existing;
    if (existing === undefined || isNull(existing)) return new MapBuilder(pos);
    if (existing instanceof ListBuilder || existing.kind !== "map") return undefined;
    const copy = new MapBuilder(existing.pos);
    for (const entry of existing.entries) copy.set(entry, entry.value);
    return copy;
  }

  get(key: string): Built | undefined {
    return this.entries.get(key)?.value;
  }

  set(entry: YEntry, value: Built): void {
    const first = this.entries.get(entry.key);
    this.entries.set(entry.key, { keyPos: first?.keyPos ?? entry.keyPos, value });
  }

  build(): YMap {
    const entries: YEntry[] = [];
    for (const [key, { keyPos, value }] of this.entries) entries.push({ key, keyPos, value: build(value) });
    return { kind: "map", entries, pos: this.pos };
  }
}

/** `cv.remove_falsy(cv.ensure_list(a) + cv.ensure_list(b))`, each item keeping its own position. */
class ListBuilder {
  private readonly items: YNode[] = [];

  private constructor(private readonly pos: SourcePos) {}

  static of(existing: Built | undefined, fallback: YNode): ListBuilder {
    if (existing instanceof ListBuilder) return existing;
    const list = new ListBuilder(
      existing === undefined || existing instanceof MapBuilder ? fallback.pos : existing.pos,
    );
    if (existing instanceof MapBuilder) list.push(existing.build());
    else if (existing !== undefined) list.append(existing);
    return list;
  }

  append(node: YNode): this {
    if (node.kind === "seq") for (const item of node.items) this.push(item);
    else this.push(node);
    return this;
  }

  private push(item: YNode): void {
    if (!isEmpty(item)) this.items.push(item);
  }

  build(): YSeq {
    return { kind: "seq", items: this.items, pos: this.pos };
  }
}
