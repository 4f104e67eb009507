import path from "node:path";
import type { CompanionConfig } from "../../model/config-facts.js";
import type { SourceError } from "../../model/errors.js";
import { convertYaml } from "./yaml-convert.js";

/**
 * Settings files of the software that runs beside Home Assistant and keeps its files in the configuration folder:
 * zigbee2mqtt (`zigbee2mqtt/configuration.yaml`, the add-on's data path) and AppDaemon (`appdaemon.yaml`).
 * Read with positions like Home Assistant's YAML; a `!secret NAME` tag (AppDaemon) becomes a reference, not a value.
 */
export function readCompanionConfigs(texts: Map<string, string>, errors: SourceError[]): CompanionConfig[] {
  const result: CompanionConfig[] = [];
  for (const [file, text] of texts) {
    const software = softwareOf(file);
    if (software === undefined) continue;
    const converted = convertYaml(text, file, (tag, argument, pos) => ({
      kind: "scalar",
      value: null,
      pos,
      origin: tag === "!secret" ? { kind: "secret", name: argument } : { kind: "inline" },
    }));
    if (converted.fatal || converted.root?.kind !== "map") {
      const why = converted.problems[0]?.message ?? "not a mapping";
      errors.push({ source: "config", file, message: `${software} settings unreadable: ${why}` });
      continue;
    }
    result.push({ software, file, root: converted.root });
  }
  return result;
}

function softwareOf(file: string): CompanionConfig["software"] | undefined {
  const base = path.posix.basename(file);
  const folders = path.posix.dirname(file).split("/");
  if (base === "configuration.yaml" && folders.some((f) => /zigbee2mqtt/i.test(f))) return "zigbee2mqtt";
  if (base === "appdaemon.yaml") return "appdaemon";
  return undefined;
}
