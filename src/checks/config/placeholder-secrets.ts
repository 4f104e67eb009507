import path from "node:path";
import type { ConfigFacts } from "../../model/config-facts.js";
import { isPlaceholder } from "./placeholder-values.js";
import { isZigbee2mqttSecretsFile } from "./secrets-git-tracked.js";

/**
 * A secrets file whose every value is a placeholder (`"<your MQTT password>"`, empty) holds nothing to
 * protect yet: the template many shared configurations commit on purpose. Checks about who can read a
 * secrets file report it as information only. Any other file (keys, `.env`, `.storage`) never qualifies.
 */
export function holdsOnlyPlaceholders(config: ConfigFacts, file: string): boolean {
  if (isZigbee2mqttSecretsFile(file)) return flatValuesArePlaceholders(config.texts.get(file));
  if (path.posix.basename(file) !== "secrets.yaml") return false;
  const definitions = config.secrets.filter((s) => s.pos.file === file);
  // unread or unparsable: we cannot vouch for it
  if (definitions.length === 0 && !config.texts.has(file)) return false;
  // a coordinate or number left at 0 is a placeholder too (`home_latitude: 0.0`)
  return definitions.every(
    (s) => s.value === null || s.value === 0 || (typeof s.value === "string" && isPlaceholder(s.value)),
  );
}

/** zigbee2mqtt's `secret.yaml` is flat `name: value` lines; anything else (a block, a list) is not vouched for. */
function flatValuesArePlaceholders(text: string | undefined): boolean {
  if (text === undefined) return false;
  return text.split(/\r?\n/).every((line) => {
    if (/^\s*(#.*)?$/.test(line)) return true;
    const value = /^[\w.-]+:\s*(.*?)\s*$/.exec(line)?.[1];
    return value !== undefined && isPlaceholder(value);
  });
}
