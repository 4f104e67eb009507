import type { ConfigFacts } from "../../model/config-facts.js";
import { asList, getEntry, getPath, isMap, scalarString, type YEntry, type YMap } from "../../model/yaml-node.js";

export interface AuthProvider {
  type: string;
  node: YMap;
  /** The `type:` entry, where findings about the provider point. */
  typeEntry: YEntry;
}

/**
 * `homeassistant: auth_providers:` (absent: only the default `homeassistant` provider). A package's
 * `homeassistant:` gives only customize (core_config.py), so the main one is the only one that counts.
 */
export function authProviders(config: ConfigFacts): AuthProvider[] {
  return asList(getPath(config.merged, "homeassistant", "auth_providers")).flatMap((node) => {
    if (!isMap(node)) return [];
    const typeEntry = getEntry(node, "type");
    const type = scalarString(typeEntry?.value);
    return typeEntry === undefined || type === undefined ? [] : [{ type, node, typeEntry }];
  });
}

/** The `trusted_networks` providers: several checks judge only these. */
export function trustedNetworksProviders(config: ConfigFacts): AuthProvider[] {
  return authProviders(config).filter((provider) => provider.type === "trusted_networks");
}
