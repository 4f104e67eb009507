import { defineCheck } from "../../model/check.js";
import { exposureSentence } from "../exposure.js";
import { httpView, isFalse } from "./http-settings.js";
import { at } from "./where.js";

export const httpIpBanDisabled = defineCheck({
  id: "http/ip-ban-disabled",
  title: "IP banning turned off",
  severity: "high",
  area: "config",
  checklist: "ip-ban",
  needs: ["config"],
  uses: ["network"],
  description:
    "`ip_ban_enabled: false` removes Home Assistant's only built-in defence against password guessing: " +
    "an attacker can try passwords against the login page forever, and `login_attempts_threshold` has no effect. " +
    "It stays high even when nothing shows the home is reachable from the Internet: turning bans off is a deliberate " +
    "weakening that outlives the setup it was made for (a port forwarded later, a proxy added), and a device on the " +
    "local network can guess too. The finding says which sign of remote exposure was seen, if any.",
  remediation:
    "Remove `ip_ban_enabled: false` (the default is on) and set `login_attempts_threshold` to a small number such " +
    "as 5. Behind a reverse proxy, also set `use_x_forwarded_for` and `trusted_proxies` so the ban hits the " +
    "attacker's address and not the proxy's.",
  sources: [
    "homeassistant/components/http/ban.py@0206414af722e826d86cfebde5a07bbe5e7d311b",
    "https://www.home-assistant.io/integrations/http/#ip_ban_enabled",
    "https://www.home-assistant.io/docs/configuration/securing/ (fail2ban and IP banning)",
  ],
  run(facts) {
    const config = facts.config;
    const http = httpView(config);
    const entry = http.settings?.entries.findLast((e) => e.key === "ip_ban_enabled");
    if (entry === undefined || !isFalse(entry.value)) return [];
    return [
      {
        message: `IP banning is turned off in ${http.label}: failed logins never lead to a ban. ${exposureSentence(facts)}`,
        location: at(entry.keyPos),
        evidence: "ip_ban_enabled: false",
      },
    ];
  },
});
