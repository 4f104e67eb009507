import path from "node:path";
import type { ConfigFacts } from "../../model/config-facts.js";
import { isPlaceholder } from "./credential-patterns.js";

/**
 * A `secrets.yaml` whose every value is a placeholder (`"<your MQTT password>"`, empty) holds nothing to
 * protect yet: the template many shared configurations commit on purpose. Checks about who can read a
 * secrets file report it as information only. Any other file (keys, `.env`, `.storage`) never qualifies.
 */
export function holdsOnlyPlaceholders(config: ConfigFacts, file: string): boolean {
  if (path.posix.basename(file) !== "secrets.yaml") return false;
  const definitions = config.secrets.filter((s) => s.pos.file === file);
  // unread or unparsable: we cannot vouch for it
  if (definitions.length === 0 && !config.texts.has(file)) return false;
  return definitions.every((s) => s.value === null || (typeof s.value === "string" && isPlaceholder(s.value)));
}
