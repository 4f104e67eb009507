import { statSync } from "node:fs";
import path from "node:path";
import type { ConfigFacts } from "../../model/config-facts.js";
import type { SourceError } from "../../model/errors.js";
import { get, type YMap } from "../../model/yaml-node.js";
import { readCompanionConfigs } from "./companions.js";
import { readAddonOptions, readHaVersion, readHttpStorage, readIpBans } from "./extras.js";
import { readGit } from "./git.js";
import { takeInventory } from "./inventory.js";
import { ConfigLoader } from "./loader.js";

export interface LoadedConfig {
  facts: ConfigFacts;
  errors: SourceError[];
}

/**
 * Reads a Home Assistant configuration directory into facts: the resolved configuration, secrets, `http`
 * settings of both eras, bans, add-on options, an inventory of every file, and git status. Never throws for
 * a problem in the directory's content; only a missing directory is an error the caller must handle.
 */
export async function loadConfig(root: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  const absolute = path.resolve(root);
  const stat = statSync(absolute, { throwIfNoEntry: false });
  if (stat === undefined || !stat.isDirectory()) {
    throw new Error(`configuration directory not found: ${root}`);
  }
  const inventory = await takeInventory(absolute);
  const errors: SourceError[] = [...inventory.errors];
  const loader = new ConfigLoader(absolute, env, inventory.texts);
  const has = (file: string) => inventory.files.some((f) => f.path === file && f.type === "file");

  let configuration: YMap | undefined;
  if (has("configuration.yaml")) {
    const root = loader.loadFile("configuration.yaml");
    if (root?.kind === "map") configuration = root;
    else if (root !== undefined)
      loader.errors.push({ source: "config", file: "configuration.yaml", message: "top level is not a mapping" });
  } else {
    errors.push({ source: "config", file: "configuration.yaml", message: "no configuration.yaml in this directory" });
  }

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
