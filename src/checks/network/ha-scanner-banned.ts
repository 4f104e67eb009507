import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

export const haScannerBanned = defineCheck({
  id: "network/ha-scanner-banned",
  title: "Home Assistant has banned the scanning machine",
  severity: "info",
  area: "network",
  checklist: "ip-ban",
  needs: ["network"],
  description:
    "Every request from this machine got `403 Forbidden` without Home Assistant's usual headers: that is how its " +
    "`http` integration answers an address listed in `ip_bans.yaml`. IP banning works — but the Home Assistant " +
    "checks (onboarding, version, login providers) could not see the instance from here.",
  remediation:
    "If this machine should not be banned, remove its address from `ip_bans.yaml` in the configuration folder " +
    "and restart Home Assistant, then scan again. Find out which failed logins caused the ban.",
  sources: [
    "https://github.com/home-assistant/core/blob/dev/homeassistant/components/http/ban.py (HTTPForbidden for banned addresses)",
    "shared/fixtures/ha/2023.11.3/failed-logins/",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const banned = open.port.http?.bannedResponse;
      if (banned === undefined) return [];
      return [
        {
          message: `${hostPort(open)} answers every request from this machine with 403 (aiohttp, no Home Assistant headers): this address is banned.`,
          location: open.location,
          evidence: `403 Forbidden, Server: ${banned.server}`,
        },
      ];
    });
  },
});
