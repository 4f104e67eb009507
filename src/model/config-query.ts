import type { ConfigFacts } from "./config-facts.js";
import { get, type YMap, type YNode } from "./yaml-node.js";

/** One place an integration is configured: the top level of configuration.yaml or a package. */
export interface IntegrationConfig {
  domain: string;
  /** The key as written (`sensor 2` counts as `sensor`). */
  key: string;
  node: YNode;
}

/**
 * Every block configuring `domain`: top-level keys `domain` and `domain <label>` (Home Assistant accepts both)
 * after the packages are merged in (a package's block is part of the main one, its values keep their place),
 * and each item of one that is a list.
 */
export function integrationConfigs(config: ConfigFacts, domain: string): IntegrationConfig[] {
  // a block merged as a list (`mqtt:` from several packages) holds one configuration per item
  return (config.merged?.entries ?? [])
    .filter((entry) => entry.key === domain || entry.key.startsWith(`${domain} `))
    .flatMap((entry) =>
      (entry.value.kind === "seq" ? entry.value.items : [entry.value]).map((node) => ({
        domain,
        key: entry.key,
        node,
      })),
    );
}

/** Which `http:` settings Home Assistant actually runs with, and where they come from. */
export interface EffectiveHttp {
  /** `unread`: configuration.yaml could not be read, so what it sets is unknown (judge nothing by absence). */
  source: "yaml" | "storage-stable" | "storage-pending" | "defaults" | "unread";
  /** The settings in force (undefined: all defaults). */
  settings?: YMap;
  /** YAML `http:` that Home Assistant ignores because the settings were migrated to `.storage/http`. */
  ignoredYaml?: YMap;
}

/**
 * Before 2026 the YAML `http:` block rules (`.storage/http` v1 is only a snapshot). From 2026 the YAML is
 * imported once into `.storage/http` (v2); afterwards the pending (on trial) or stable settings rule and YAML
 * still present is ignored (core http/config.py, shared ha-facts §0).
 */
export function effectiveHttp(config: ConfigFacts): EffectiveHttp {
  // packages merged: an `http:` block in a package counts (config.py merge_packages_config)
  const yamlNode = get(config.merged, "http");
  const yaml = yamlNode?.kind === "map" ? yamlNode : undefined;
  const storage = config.httpStorage;
  if (storage !== undefined && storage.version >= 2 && storage.yamlMigrationDone) {
    const ignored = yaml === undefined ? {} : { ignoredYaml: yaml };
    if (storage.pending !== undefined) return { source: "storage-pending", settings: storage.pending, ...ignored };
    if (storage.stable !== undefined) return { source: "storage-stable", settings: storage.stable, ...ignored };
    return { source: "defaults", ...ignored };
  }
  if (yaml !== undefined) return { source: "yaml", settings: yaml };
  if (yamlNode !== undefined) return { source: "defaults" }; // `http:` with no settings
  if (config.merged === undefined) return { source: "unread" };
  if (storage !== undefined && storage.version >= 2 && storage.stable !== undefined) {
    return { source: "storage-stable", settings: storage.stable };
  }
  return { source: "defaults" };
}
