import type { SourcePos, YMap, YNode } from "./yaml-node.js";

/** One file or folder found in the configuration directory. */
export interface ConfigFileInfo {
  /** Relative to the configuration directory, `/`-separated. */
  path: string;
  type: "file" | "directory" | "symlink" | "other";
  size: number;
  /** Permission bits (`mode & 0o777`). */
  mode: number;
  /**
   * What the inventory made of it: text content is in `ConfigFacts.texts`, printable strings of binary files in
   * `binaryStrings`; "media" (images, sounds, video, fonts, PDF: they cannot hold a configuration secret) and
   * "archive" (listed, not searched: see `archive`) are recognised by their first bytes, not by their names.
   */
  content: "text" | "binary" | "too-large" | "unread" | "media" | "archive";
  /** What the first bytes say the file is (magic numbers); set for every regular file that could be opened. */
  contentType?: ContentType;
  /** Binary files searched only in part (a recorder database of gigabytes): how many leading bytes were. */
  searchedBytes?: number;
  /** Archives: the names inside, from a bounded read of the zip central directory or the tar headers. */
  archive?: ArchiveListing;
}

/** Kinds of file content told apart by magic numbers (see sources/config/content-type.ts). */
export type ContentType =
  | "text"
  | "image"
  | "audio"
  | "video"
  | "font"
  | "pdf"
  | "gzip"
  | "zip"
  | "tar"
  | "7z"
  | "rar"
  | "xz"
  | "bzip2"
  | "zstd"
  | "sqlite"
  | "executable"
  | "binary";

/** What an archive holds, as far as a bounded look could tell. */
export interface ArchiveListing {
  format: "zip" | "tar" | "tar.gz" | "gzip" | "unsupported";
  /** Entry names as stored (at most the inventory's entry limit). */
  entries: string[];
  /** True when every entry was listed; false when a limit, damage or an unsupported format stopped the look. */
  complete: boolean;
  /** Why the listing is incomplete, in words for a report. */
  problem?: string;
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

/** The settings of software that runs beside Home Assistant from the same folder (sources/config/companions.ts). */
export interface CompanionConfig {
  software: "zigbee2mqtt" | "appdaemon";
  file: string;
  root: YMap;
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
  /** zigbee2mqtt and AppDaemon settings found in the folder. */
  companions: CompanionConfig[];
  /** Every file under the directory (bounded), symlinks not followed. */
  files: ConfigFileInfo[];
  /** Text of the files whose `content` is "text", by config-relative path. */
  texts: Map<string, string>;
  /** Printable strings (16+ characters) of binary files such as databases, by config-relative path. */
  binaryStrings: Map<string, string>;
  git?: GitFacts;
}
