import { defineCheck } from "../../model/check.js";
import { httpView, isFalse, looksExposed } from "./http-settings.js";
import { at } from "./where.js";

export const httpIpBanDisabled = defineCheck({
  id: "http/ip-ban-disabled",
  title: "IP banning turned off",
  severity: "high",
  area: "config",
  checklist: "ip-ban",
  needs: ["config"],
  description:
    "`ip_ban_enabled: false` removes Home Assistant's only built-in defence against password guessing: " +
    "an attacker can try passwords against the login page forever, and `login_attempts_threshold` has no effect. " +
    "High when the instance looks reachable from the Internet (a public `external_url`/`base_url` or a reverse " +
    "proxy), medium otherwise.",
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
        severity: looksExposed(config, http) ? "high" : "medium",
        message: `IP banning is turned off in ${http.label}: failed logins never lead to a ban.`,
        location: at(entry.keyPos),
        evidence: "ip_ban_enabled: false",
      },
    ];
  },
});
