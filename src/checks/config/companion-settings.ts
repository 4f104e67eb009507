import type { CompanionConfig, ConfigFacts } from "../../model/config-facts.js";
import { isScalar, type YNode } from "../../model/yaml-node.js";
import { judgeFile } from "./file-judgement.js";
import { isLoopback } from "./ip-ranges.js";

/** The live settings files of one companion (examples and disabled copies are not what runs). */
export function companionsOf(config: ConfigFacts, software: CompanionConfig["software"]): CompanionConfig[] {
  return config.companions.filter((c) => {
    if (c.software !== software) return false;
    const role = judgeFile(config, c.file).role;
    return role !== "example" && role !== "not-loaded";
  });
}

/** Whether a bind address or URL host reaches only this machine (loopback, `localhost`, a Unix socket path). */
export function bindsLocally(host: string | undefined): boolean {
  if (host === undefined) return false;
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare.startsWith("/") || isLoopback(bare);
}

/** A value that is set: a `!secret` reference counts, an empty or null value does not. */
export function isSet(node: YNode | undefined): boolean {
  if (node === undefined) return false;
  if (!isScalar(node)) return true;
  return node.origin.kind !== "inline" || (node.value !== null && String(node.value).trim() !== "");
}
