import { defineCheck } from "../../model/check.js";
import { advisoriesAffecting } from "../advisories.js";
import { hostPort, openPorts } from "./open-ports.js";

export const haVulnerableVersion = defineCheck({
  id: "network/ha-vulnerable-version",
  title: "Home Assistant version has published security advisories",
  severity: "high",
  area: "network",
  checklist: "updates",
  needs: ["network", "advisories"],
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
      // the same parser and ranges as the configuration audit's version/known-advisories
      const matched = advisoriesAffecting(version, facts.advisories);
      const worst = matched[0];
      if (worst === undefined) return [];
      const list = matched.map(
        ({ record, fixedIn }) =>
          `${[record.id, ...record.aliases].join("/")}${fixedIn ? ` (fixed in ${fixedIn})` : ""}: ${record.summary}`,
      );
      return [
        {
          severity: worst.severity,
          message: `Home Assistant ${version} at ${hostPort(open)} is affected by ${matched.length} published advisor${matched.length === 1 ? "y" : "ies"}:\n- ${list.join("\n- ")}`,
          location: open.location,
          evidence: `WebSocket auth_required: ha_version ${version}`,
        },
      ];
    });
  },
});
