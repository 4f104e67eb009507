import { defineCheck } from "../../model/check.js";
import { exposureSentence, isExposed } from "../exposure.js";
import { httpView, scalarSetting } from "./http-settings.js";
import { at } from "./where.js";

export const httpLoginThresholdUnset = defineCheck({
  id: "http/login-threshold-unset",
  title: "No ban after failed logins (login_attempts_threshold unset)",
  severity: "medium",
  area: "config",
  checklist: "ip-ban",
  needs: ["config"],
  uses: ["network"],
  description:
    "Home Assistant bans an address only when `login_attempts_threshold` is set: its default, -1, means never. " +
    "Without it, password guessing against the login page, the API and the WebSocket is unlimited. How much that " +
    "matters depends on who can reach the login page, so the whole home is looked at: medium when something shows " +
    "it is reachable from the Internet (a public `external_url`/`base_url`, a reverse proxy or tunnel in the " +
    "settings, the add-ons or the folder, a port the router forwards to it over UPnP with `--upnp`, a certificate " +
    "for a public name, or Home Assistant Cloud remote access), low when nothing does — only the local network can " +
    "guess then. Each finding names the sign of exposure it saw, or says none was seen.",
  remediation:
    "Set `login_attempts_threshold: 5` (a small positive number) in the `http:` settings and keep " +
    "`ip_ban_enabled` on. Behind a reverse proxy, configure `use_x_forwarded_for` and `trusted_proxies` first, so " +
    "bans hit the client and not the proxy.",
  sources: [
    "homeassistant/components/http/ban.py@0206414af722e826d86cfebde5a07bbe5e7d311b (NO_LOGIN_ATTEMPT_THRESHOLD = -1)",
    "https://www.home-assistant.io/integrations/http/#login_attempts_threshold",
  ],
  run(facts) {
    const config = facts.config;
    const http = httpView(config);
    if (http.source === "unread") return []; // an unread file says nothing about what is unset
    // with bans also turned off both findings stand: turning bans back on alone still bans nobody
    const threshold = scalarSetting(http.settings, "login_attempts_threshold");
    const value = threshold === undefined ? -1 : Number(threshold.value);
    if (Number.isFinite(value) && value >= 1) return [];
    return [
      {
        severity: isExposed(facts) ? "medium" : "low",
        message: `${
          threshold === undefined
            ? `\`login_attempts_threshold\` is not set in ${http.label}: the default (-1) never bans anyone.`
            : `\`login_attempts_threshold: ${String(threshold.value)}\` in ${http.label} never bans anyone.`
        } ${exposureSentence(facts)}`,
        location: threshold === undefined ? http.where : at(threshold.pos),
        evidence: `login_attempts_threshold: ${threshold === undefined ? "(unset, default -1)" : String(threshold.value)}`,
      },
    ];
  },
});
