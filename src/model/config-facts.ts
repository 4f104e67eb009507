import type { SourcePos, YMap, YNode } from "./yaml-node.js";

/** One file or folder found in the configuration directory. */
export interface ConfigFileInfo {
  /** Relative to the configuration directory, `/`-separated. */
  path: string;
  type: "file" | "directory" | "symlink" | "other";
  size: number;
  /** Permission bits (`mode & 0o777`). */
  mode: number;
  /** What the loader made of it: text content is in `ConfigFacts.texts`. */
  content: "text" | "binary" | "too-large" | "unread";
}

/** A secret defined in a `secrets.yaml` (any level of the tree). */
export interface SecretDefinition {
  name: string;
  /** The real value: mask before it goes anywhere. */
  value: string | number | boolean | null;
  pos: SourcePos;
}

/** Where a `!secret NAME` was used and whether Home Assistant would find it. */
export interface SecretReference {
  name: string;
  pos: SourcePos;
  found: boolean;
}

/** `.storage/http` (2026 format: stable and pending) or its older `http.config` form. */
export interface HttpStorage {
  file: string;
  version: number;
  /**
   * Version 2 (2026): the settings in force. Version 1 (before 2026): a snapshot of the YAML settings that
   * last worked, also put here; YAML stays in charge then.
   */
  stable?: YMap;
  /** Version 2: settings on trial, reverted after 5 minutes unless an admin confirms them. */
  pending?: YMap;
  yamlMigrationDone: boolean;
}

export interface GitFacts {
  /** The repository's top level, relative to the config dir ("" when the config dir is the top). */
  topLevel: string;
  /** Config-relative paths git tracks. */
  tracked: string[];
  /** Config-relative paths (of those asked about) that git would ignore. */
  ignored: string[];
}

export interface IpBanEntry {
  address: string;
  bannedAt?: string;
  pos: SourcePos;
}

export interface AddonOptions {
  /** The add-on's slug or folder, e.g. `core_mosquitto`. */
  addon: string;
  file: string;
  options: YNode;
}

export interface ConfigFacts {
  /** Absolute path of the configuration directory. */
  root: string;
  /**
   * `configuration.yaml` as written, every include and tag resolved; packages still sit under
   * `homeassistant: packages:`. Undefined when it could not be read (then an error with `fatal` says why).
   * Walk this to see every value once.
   */
  configuration?: YMap;
  /**
   * The top level as Home Assistant hands it to integrations: `configuration` with the packages merged in the
   * way Home Assistant merges them (sources/config/packages.ts). Values keep the file and line they were
   * written at, in a package file too. Read integration settings (`http:`, `recorder:`, …) here.
   */
  merged?: YMap;
  /** `homeassistant: packages:` entries, each with the config it adds. */
  packages: { name: string; config: YMap }[];
  secrets: SecretDefinition[];
  secretReferences: SecretReference[];
  /** Config-relative paths of every YAML file the configuration loaded (configuration.yaml, includes). */
  loadedFiles: string[];
  httpStorage?: HttpStorage;
  /** `.HA_VERSION` */
  haVersion?: { version: string; file: string };
  ipBans: IpBanEntry[];
  addonOptions: AddonOptions[];
  /** Every file under the directory (bounded), symlinks not followed. */
  files: ConfigFileInfo[];
  /** Text of the files whose `content` is "text", by config-relative path. */
  texts: Map<string, string>;
  /** Printable strings (16+ characters) of binary files such as databases, by config-relative path. */
  binaryStrings: Map<string, string>;
  git?: GitFacts;
}
