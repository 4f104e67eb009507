import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

export const portsHomeAssistantReachable = defineCheck({
  id: "ports/home-assistant-reachable",
  title: "Home Assistant answers on this port",
  severity: "info",
  area: "network",
  checklist: "ports",
  formerIds: ["network/ha-reachable"],
  needs: ["network"],
  description:
    "Where Home Assistant was found and how hassguard recognised it (empty `Server` header with its security " +
    "headers, `/api/` answering 401, `/manifest.json`, the WebSocket's `auth_required` frame). Make sure every " +
    "address and port listed here is one you meant to expose.",
  remediation:
    "If this port should not be reachable from where you scanned, bind Home Assistant to the LAN (`http: " +
    "server_host`) or close the port forward, and reach it remotely through Nabu Casa or a VPN.",
  sources: ["shared/ha-facts.md §2-3 (response marks of the http integration)"],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const ha = open.port.http?.homeAssistant;
      if (ha === undefined) return [];
      return [
        {
          message: `Home Assistant${ha.version ? ` ${ha.version}` : ""} answers at ${open.port.http?.tls ? "https" : "http"}://${hostPort(open)}/.`,
          location: open.location,
          evidence: ha.evidence.join("; "),
        },
      ];
    });
  },
});
