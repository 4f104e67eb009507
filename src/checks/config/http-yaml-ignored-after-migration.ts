import { defineCheck } from "../../model/check.js";
import { count } from "../../model/words.js";
import { getEntry } from "../../model/yaml-node.js";
import { httpView } from "./http-settings.js";
import { at } from "./where.js";

export const httpYamlIgnoredAfterMigration = defineCheck({
  id: "http/yaml-ignored-after-migration",
  title: "`http:` YAML ignored since the settings moved to .storage/http",
  severity: "low",
  area: "config",
  checklist: "reverse-proxy",
  needs: ["config"],
  description:
    "Since the 2026 releases Home Assistant imports the YAML `http:` block once into `.storage/http` and from " +
    "then on ignores it (repair issue `yaml_still_present_after_migration`). The YAML still looks authoritative: " +
    "an owner who tightens `login_attempts_threshold` or `trusted_proxies` there changes nothing, and believes " +
    "protections are on that are not. hassguard judges the `http` settings from `.storage/http`.",
  remediation:
    "Remove the `http:` block from the YAML configuration and change HTTP settings in Settings → System → Network " +
    "(they are kept in `.storage/http`).",
  sources: ["homeassistant/components/http/config.py@374f8c6c0ea4fb449c8fdc9ba96f4ad5c33ec565 (yaml_migration_done)"],
  run(facts) {
    const config = facts.config;
    const http = httpView(config);
    if (http.ignoredYaml === undefined) return [];
    const entry = getEntry(config.merged, "http");
    return [
      {
        message: `The YAML \`http:\` block is ignored: the settings were migrated to ${config.httpStorage?.file ?? ".storage/http"}, which Home Assistant uses instead (${http.label}).`,
        location: entry === undefined ? at(http.ignoredYaml.pos) : at(entry.keyPos),
        evidence: `http: (${count(http.ignoredYaml.entries.length, "setting")}, ignored)`,
      },
    ];
  },
});
