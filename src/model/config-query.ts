import type { ConfigFacts } from "./config-facts.js";
import { get, type YMap, type YNode } from "./yaml-node.js";

/** One place an integration is configured: the top level of configuration.yaml or a package. */
export interface IntegrationConfig {
  domain: string;
  /** The key as written (`sensor 2` counts as `sensor`). */
  key: string;
  node: YNode;
  packageName?: string;
}

/**
 * Every block configuring `domain`: top-level keys `domain` and `domain <label>` (Home Assistant accepts both)
 * in configuration.yaml and in each package.
 */
export function integrationConfigs(config: ConfigFacts, domain: string): IntegrationConfig[] {
  const result: IntegrationConfig[] = [];
  const collect = (map: YMap | undefined, packageName?: string) => {
    for (const entry of map?.entries ?? []) {
      if (entry.key === domain || entry.key.startsWith(`${domain} `)) {
        result.push({
          domain,
          key: entry.key,
          node: entry.value,
          ...(packageName === undefined ? {} : { packageName }),
        });
      }
    }
  };
  collect(config.configuration);
  for (const pkg of config.packages) collect(pkg.config, pkg.name);
  return result;
}

/** Which `http:` settings Home Assistant actually runs with, and where they come from. */
export interface EffectiveHttp {
  source: "yaml" | "storage-stable" | "storage-pending" | "defaults";
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
  const yamlNode = get(config.configuration, "http");
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
  if (storage !== undefined && storage.version >= 2 && storage.stable !== undefined) {
    return { source: "storage-stable", settings: storage.stable };
  }
  return { source: "defaults" };
}
