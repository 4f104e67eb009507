import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { get, isScalar, isSeq } from "../../model/yaml-node.js";
import { companionsOf } from "./companion-settings.js";
import { gitState } from "./git-exposure.js";
import { at } from "./where.js";

/** The key zigbee2mqtt used by default before 1.33.0, printed in countless guides and forum posts. */
const WELL_KNOWN_KEY = [1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13];

export const zigbee2mqttNetworkKeyInline = defineCheck({
  id: "zigbee2mqtt/network-key-inline",
  title: "zigbee2mqtt network key written inline",
  severity: "medium",
  area: "config",
  checklist: "secrets",
  needs: ["config"],
  description:
    "`advanced: network_key:` is the 128-bit key that encrypts all Zigbee traffic of the home. Written inline in " +
    "zigbee2mqtt's `configuration.yaml`, it travels with every copy of the folder: with it, anyone within radio " +
    "range can read every sensor and command, and inject commands (open a lock, turn off an alarm siren). The key " +
    "zigbee2mqtt used by default before 1.33.0 (`[1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 13]`) is known " +
    "to everyone: high. A key tracked by git is high too.",
  remediation:
    "Move the key to zigbee2mqtt's `secret.yaml` (`network_key: '!secret network_key'`) and keep that file out of " +
    "git and shares. For the well-known default key, or a key that was shared, set `network_key: GENERATE` and " +
    "re-pair every device (the key cannot change without it).",
  sources: [
    "https://www.zigbee2mqtt.io/advanced/zigbee/03_secure_network.html (default key before 1.33.0; GENERATE; changing needs re-pairing)",
    "https://www.zigbee2mqtt.io/guide/configuration/ (`!secret` references to secret.yaml)",
  ],
  run(facts) {
    const config = facts.config;
    const findings: FindingDraft[] = [];
    for (const companion of companionsOf(config, "zigbee2mqtt")) {
      const key = get(get(companion.root, "advanced"), "network_key");
      const bytes = keyBytes(key);
      if (key === undefined || bytes === undefined) continue;
      const wellKnown = bytes.length === WELL_KNOWN_KEY.length && bytes.every((b, i) => b === WELL_KNOWN_KEY[i]);
      const tracked = gitState(config, companion.file) === "tracked";
      findings.push({
        severity: wellKnown || tracked ? "high" : "medium",
        message: wellKnown
          ? "zigbee2mqtt uses the well-known default network key: anyone in radio range can read and forge the home's Zigbee traffic, with or without this file."
          : `The zigbee2mqtt network key is written inline in ${companion.file}${tracked ? ", which git tracks" : ""}: whoever gets the file can read and forge the home's Zigbee traffic.`,
        location: at(key.pos),
        evidence: wellKnown ? "network_key: the pre-1.33 default" : "network_key: 16 bytes (not shown)",
      });
    }
    return findings;
  },
});

/** The key as bytes: a list of 16 numbers, or a hex string; undefined for GENERATE, a `!secret` or nothing. */
function keyBytes(node: ReturnType<typeof get>): number[] | undefined {
  if (isSeq(node)) {
    const bytes = node.items.map((item) =>
      isScalar(item) && typeof item.value === "number" ? item.value : Number.NaN,
    );
    return bytes.length >= 16 && bytes.every((b) => Number.isInteger(b)) ? bytes : undefined;
  }
  if (isScalar(node) && typeof node.value === "string" && node.origin.kind === "inline") {
    const hex = node.value.replace(/0x|[\s,:]/gi, "");
    if (/^[0-9a-f]{32}$/i.test(hex)) return hex.match(/../g)?.map((pair) => Number.parseInt(pair, 16));
  }
  return undefined;
}
