import { type CheckFacts, defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { contains, parseNetwork } from "../config/ip-ranges.js";
import { hostPort, type OpenPort, openPorts } from "./open-ports.js";

const UNBAN =
  "To let this machine in again: remove its line from `ip_bans.yaml` in the configuration folder and restart Home " +
  "Assistant (on releases that have it, the `http.unban` action lifts the ban without a restart), or scan from " +
  "an address that is not banned. Then scan again.";

/** The `ip_bans.yaml` entry that covers the address this machine scanned from, if any. */
function banOfScanner(
  facts: CheckFacts<"network", "config">,
  open: OpenPort,
): { address: string; bannedAt?: string } | undefined {
  const client = open.port.http?.clientAddress;
  if (client === undefined) return undefined;
  return facts.config?.ipBans.find((ban) => {
    const network = parseNetwork(ban.address);
    return network !== undefined && contains(network, client);
  });
}

export const ipBansScannerBanned = defineCheck({
  id: "ip-bans/scanner-banned",
  title: "Home Assistant has banned the scanning machine: its results are incomplete",
  severity: "high",
  area: "network",
  checklist: "ip-ban",
  formerIds: ["network/ha-scanner-banned"],
  needs: ["network"],
  uses: ["config"],
  description:
    "Every request from this machine got `403 Forbidden`, the WebSocket included: that is how Home Assistant's " +
    "`http` integration answers an address listed in `ip_bans.yaml`, before any page is served. So the Home " +
    "Assistant checks (unfinished onboarding, version and its advisories, login providers) could not look, and " +
    "a clean result for that port would mean nothing. When the configuration is audited too, an `ip_bans.yaml` " +
    "entry for the scanning machine's own address is reported the same way.",
  remediation: UNBAN,
  sources: [
    "homeassistant/components/http/ban.py@0206414af722e826d86cfebde5a07bbe5e7d311b lines 111-114 (HTTPForbidden for banned addresses), 57-95 (http.unban)",
    "shared/fixtures/ha/2023.11.3/failed-logins/banned-*.http",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open): FindingDraft[] => {
      const banned = open.port.http?.bannedResponse;
      const listed = banOfScanner(facts, open);
      if (banned === undefined && listed === undefined) return [];
      const client = open.port.http?.clientAddress;
      const who = client === undefined ? "this machine" : `this machine (${client})`;
      const evidence = [
        ...(banned === undefined
          ? []
          : [
              `403 Forbidden on /, /api/onboarding, /auth/providers and the WebSocket${banned.server ? `, Server: ${banned.server}` : ""}`,
            ]),
        ...(listed === undefined
          ? []
          : [`ip_bans.yaml: ${listed.address}${listed.bannedAt ? ` banned_at ${listed.bannedAt}` : ""}`]),
      ].join("; ");
      const message =
        banned === undefined
          ? `ip_bans.yaml bans ${who}. ${hostPort(open)} still answered: Home Assistant reads the file when it starts, so after its next restart every request from here gets 403 and scans of it are incomplete. ${UNBAN}`
          : `${hostPort(open)} answered every request from ${who} with 403: Home Assistant has banned it. Its checks are incomplete (onboarding, version, login providers were not seen). ${UNBAN}`;
      return [
        {
          message,
          location: open.location,
          evidence,
        },
      ];
    });
  },
});
