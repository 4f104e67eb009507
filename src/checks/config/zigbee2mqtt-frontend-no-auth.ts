import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { get, isMap, isScalar, scalarString } from "../../model/yaml-node.js";
import { bindsLocally, companionsOf, isSet } from "./companion-settings.js";
import { at } from "./where.js";

/** The port the Home Assistant add-on serves the frontend on, behind ingress (its host port is off by default). */
const ADDON_INGRESS_PORT = 8099;

export const zigbee2mqttFrontendNoAuth = defineCheck({
  id: "zigbee2mqtt/frontend-no-auth",
  title: "zigbee2mqtt frontend without a password",
  severity: "medium",
  area: "config",
  checklist: "remote-access",
  needs: ["config"],
  description:
    "zigbee2mqtt's web frontend controls the whole Zigbee network: it lets devices join, removes and renames them, " +
    "starts firmware updates and changes every setting, and it asks for nothing unless `frontend: auth_token:` is " +
    "set (authentication is off by default, and the frontend binds to every interface on port 8080). Anyone on the " +
    "network can use it. Behind the Home Assistant add-on's ingress (port 8099, not published by default) Home " +
    "Assistant's login protects it: low; bound to this machine only: not reported.",
  remediation:
    "Set `frontend: auth_token: !secret z2m_frontend_token` (a long random value in zigbee2mqtt's own " +
    "`secret.yaml`), or bind it to this machine (`frontend: host: 127.0.0.1`) and reach it through a proxy that " +
    "asks for a login; with the add-on, use the sidebar (ingress) and leave its port unpublished.",
  sources: [
    "Koenkk/zigbee2mqtt lib/util/settings.schema.json (frontend: port 8080, host 0.0.0.0, auth_token: enables authentication, disabled by default)",
    "https://www.zigbee2mqtt.io/guide/configuration/frontend.html",
  ],
  run(facts) {
    const config = facts.config;
    const findings: FindingDraft[] = [];
    for (const companion of companionsOf(config, "zigbee2mqtt")) {
      const frontend = get(companion.root, "frontend");
      if (!frontendEnabled(frontend, companion.root)) continue;
      if (isSet(get(frontend, "auth_token"))) continue;
      const host = scalarString(get(frontend, "host"));
      if (bindsLocally(host)) continue;
      const port = Number(scalarString(get(frontend, "port")) ?? 8080);
      const ingress = port === ADDON_INGRESS_PORT;
      findings.push({
        severity: ingress ? "low" : "medium",
        message: ingress
          ? `The zigbee2mqtt frontend has no auth_token; on port ${port} it is most likely the add-on behind Home Assistant's ingress, which asks for Home Assistant's login — unless its port was published, then anyone on the network controls the Zigbee network.`
          : `The zigbee2mqtt frontend has no auth_token and listens on ${host ?? "every interface"}, port ${port}: anyone on the network can let devices join, remove them and change every setting.`,
        location: frontend === undefined ? { file: companion.file } : at(frontend.pos),
        evidence: `frontend: ${host ?? "0.0.0.0"}:${port}, no auth_token`,
      });
    }
    return findings;
  },
});

/**
 * zigbee2mqtt 1.x enables the frontend with `frontend: true` or any `frontend:` block; 2.x (settings `version: 4`)
 * with `frontend: enabled: true`.
 */
function frontendEnabled(frontend: ReturnType<typeof get>, root: ReturnType<typeof get>): boolean {
  if (frontend === undefined) return false;
  if (isScalar(frontend)) return frontend.value === true;
  if (!isMap(frontend)) return false;
  const enabled = get(frontend, "enabled");
  if (isScalar(enabled)) return enabled.value === true;
  const version = Number(scalarString(get(root, "version")) ?? 0);
  return version < 4;
}
