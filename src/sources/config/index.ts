import { lstatSync, statSync } from "node:fs";
import path from "node:path";
import type { ConfigFacts } from "../../model/config-facts.js";
import type { SourceError } from "../../model/errors.js";
import { get, type YMap } from "../../model/yaml-node.js";
import { readCompanionConfigs } from "./companions.js";
import { readAddonOptions, readHaVersion, readHttpStorage, readIpBans } from "./extras.js";
import { readGit } from "./git.js";
import { takeInventory } from "./inventory.js";
import { ConfigLoader } from "./loader.js";
import { mergePackages } from "./packages.js";

export interface LoadedConfig {
  facts: ConfigFacts;
  errors: SourceError[];
}

/** The names only a Home Assistant configuration directory holds: one of them must be there. */
const HOME_ASSISTANT_MARKERS = ["configuration.yaml", ".storage", ".HA_VERSION"];

/** The directory given is not a Home Assistant configuration directory: a mistake in how hassguard was called. */
export class NotAConfigDirectoryError extends Error {
  override name = "NotAConfigDirectoryError";
}

/**
 * Reads a Home Assistant configuration directory into facts: the resolved configuration, secrets, `http`
 * settings of both eras, bans, add-on options, an inventory of every file, and git status. Never throws for
 * a problem in the directory's content. Throws NotAConfigDirectoryError for a directory that is missing or
 * holds none of configuration.yaml, .storage and .HA_VERSION (checked before anything is walked). When
 * configuration.yaml is missing or cannot be read whole, the errors include one with `fatal` set.
 */
export async function loadConfig(root: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  const absolute = path.resolve(root);
  const stat = statSync(absolute, { throwIfNoEntry: false });
  if (stat === undefined || !stat.isDirectory()) {
    throw new NotAConfigDirectoryError(`configuration directory not found: ${root}`);
  }
  if (!HOME_ASSISTANT_MARKERS.some((name) => lstatSync(path.join(absolute, name), { throwIfNoEntry: false }))) {
    throw new NotAConfigDirectoryError(
      `${root} is not a Home Assistant configuration directory (no configuration.yaml, .storage or .HA_VERSION)`,
    );
  }
  const inventory = await takeInventory(absolute);
  const errors: SourceError[] = [...inventory.errors];
  const loader = new ConfigLoader(absolute, env, inventory.texts);
  const has = (file: string) => inventory.files.some((f) => f.path === file && f.type === "file");

  // any entry of that name: a folder or a pipe there gets its own error from the loader
  const mainExists = inventory.files.some((f) => f.path === "configuration.yaml");
  const { configuration, fatal } = readMainConfiguration(loader, mainExists);
  if (fatal !== undefined) errors.push(fatal);
  const { merged, errors: packageErrors } = mergePackages(configuration);
  errors.push(...packageErrors);

  // every secrets.yaml in the tree, also those no !secret reached, so unused secrets are still seen
  for (const file of inventory.files) {
    if (file.type === "file" && path.posix.basename(file.path) === "secrets.yaml") {
      const dir = path.posix.dirname(file.path);
      loader.secrets.folder(dir === "." ? "" : dir);
    }
  }

  const ipBans = readIpBans(loader, has("ip_bans.yaml"));
  const httpStorage = readHttpStorage(inventory.texts, errors);
  const haVersion = readHaVersion(inventory.texts);
  const addonOptions = readAddonOptions(inventory.texts, errors);
  const companions = readCompanionConfigs(inventory.texts, errors);
  const git = readGit(
    absolute,
    inventory.files.filter((f) => f.type === "file").map((f) => f.path),
    errors,
  );

  errors.push(...unique(loader.errors, (e) => `${e.file}:${e.line}:${e.message}`));
  const facts: ConfigFacts = {
    root: absolute,
    ...(configuration === undefined ? {} : { configuration }),
    ...(merged === undefined ? {} : { merged }),
    packages: packagesOf(configuration),
    secrets: loader.secrets.allDefinitions(),
    // a file included twice (a folder include and a direct one) yields the same reference twice
    secretReferences: unique(loader.secretReferences, (r) => `${r.pos.file}:${r.pos.line}:${r.pos.column}:${r.name}`),
    loadedFiles: [...loader.loadedFiles].sort(),
    ...(httpStorage === undefined ? {} : { httpStorage }),
    ...(haVersion === undefined ? {} : { haVersion }),
    ipBans,
    addonOptions,
    companions,
    files: inventory.files,
    texts: inventory.texts,
    binaryStrings: inventory.binaryStrings,
    ...(git === undefined ? {} : { git }),
  };
  return { facts, errors };
}

/**
 * configuration.yaml, and the error that makes the audit incomplete when it is missing, unreadable, not a
 * mapping, or only partly read (a budget cut it short): without it the YAML settings were never seen.
 */
function readMainConfiguration(loader: ConfigLoader, exists: boolean): { configuration?: YMap; fatal?: SourceError } {
  const file = "configuration.yaml";
  const fatal = (why: string): SourceError => ({
    source: "config",
    file,
    message: `the main configuration could not be read: ${why}. What it sets was not audited`,
    fatal: true,
  });
  if (!exists) return { fatal: fatal("no configuration.yaml in this directory") };
  const before = loader.errors.length;
  const root = loader.loadFile(file);
  const reason = loader.errors.slice(before).find((e) => e.file === file)?.message;
  if (root === undefined) return { fatal: fatal(reason ?? "not loaded") };
  if (root.kind !== "map") {
    return { fatal: fatal("its top level is not a mapping, which Home Assistant refuses too") };
  }
  const cutShort = loader.partlyReadFiles.get(file);
  if (cutShort !== undefined) return { configuration: root, fatal: fatal(`only partly read, ${cutShort}`) };
  return { configuration: root };
}

/** `homeassistant: packages:`, each package name with the configuration it adds. */
function packagesOf(configuration: YMap | undefined): ConfigFacts["packages"] {
  const packages = get(get(configuration, "homeassistant"), "packages");
  if (packages?.kind !== "map") return [];
  return packages.entries.flatMap((entry) =>
    entry.value.kind === "map" ? [{ name: entry.key, config: entry.value }] : [],
  );
}

function unique<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
