import { defineCheck } from "../../model/check.js";
import type { Severity } from "../../model/severity.js";
import { type Advisory, advisoriesFor } from "./advisories.js";
import { hostPort, openPorts } from "./open-ports.js";

/** The advisory's own rating, read from its free-text severity ("critical (GitHub listing)"). */
function severityOf(advisories: Advisory[]): Severity {
  const text = advisories
    .map((a) => a.severity ?? "")
    .join(" ")
    .toLowerCase();
  if (text.includes("critical")) return "critical";
  if (text.includes("high") || /cvss[^0-9]*[7-9]\.\d/.test(text)) return "high";
  return "medium";
}

export const haVulnerableVersion = defineCheck({
  id: "network/ha-vulnerable-version",
  title: "Home Assistant version has published security advisories",
  severity: "high",
  area: "network",
  checklist: "updates",
  needs: ["network"],
  description:
    "Home Assistant tells every visitor its exact version: the first WebSocket message, sent before any login, " +
    'is `{"type":"auth_required","ha_version":...}`. hassguard reads it and compares it with the advisories ' +
    "shipped in data/ha-advisories.json (GitHub security advisories, CVE records, the PyPA advisory database). " +
    "A version inside an advisory's affected range is open to an attack that is published, often with a " +
    "ready-made scanner template. Advisories without a known version range are not matched.",
  remediation:
    "Update Home Assistant (Settings → System → Updates, or pull the newer container image) to a release at or " +
    "above every listed fix, then rescan.",
  sources: [
    "https://github.com/home-assistant/core/blob/dev/homeassistant/components/websocket_api/auth.py (auth_required carries ha_version)",
    "data/ha-advisories.json (each entry names its source)",
    "shared/ha-facts.md §6",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const version = open.port.http?.homeAssistant?.version;
      if (version === undefined) return [];
      const matched = advisoriesFor(version);
      if (matched.length === 0) return [];
      const list = matched.map(
        (a) => `${[a.id, ...a.aliases].join("/")}${a.fixed ? ` (fixed in ${a.fixed})` : ""}: ${a.summary}`,
      );
      return [
        {
          severity: severityOf(matched),
          message: `Home Assistant ${version} at ${hostPort(open)} is affected by ${matched.length} published advisor${matched.length === 1 ? "y" : "ies"}:\n- ${list.join("\n- ")}`,
          location: open.location,
          evidence: `WebSocket auth_required: ha_version ${version}`,
        },
      ];
    });
  },
});
