import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { httpView, listSetting } from "./http-settings.js";
import { contains, isLoopback, isPrivate, parseNetwork } from "./ip-ranges.js";
import { at } from "./where.js";

export const ipBansSelfBanRisk = defineCheck({
  id: "ip-bans/self-ban-risk",
  title: "ip_bans.yaml bans the home's own addresses",
  severity: "medium",
  area: "config",
  checklist: "ip-ban",
  needs: ["config"],
  description:
    "`ip_bans.yaml` lists addresses that get 403 on every request. A loopback address there (127.0.0.1, ::1, " +
    "also written ::ffff:127.0.0.1) locks out everything that reaches Home Assistant through the same machine: " +
    "Nabu Casa Remote UI, a local reverse proxy, add-ons. A `trusted_proxies` address there locks out everyone " +
    "behind the proxy. Both usually come from failed logins relayed by the proxy, so they also show the proxy is " +
    "not passing client addresses. A private (LAN) address is often the owner's own phone or tablet with a stale " +
    "token (low).",
  remediation:
    "Remove the entry from `ip_bans.yaml` and restart Home Assistant. For loopback and proxy addresses, set " +
    "`use_x_forwarded_for` and a narrow `trusted_proxies` so bans hit the real client; for LAN devices, find the " +
    "app or integration with the wrong credentials before it is banned again.",
  sources: [
    "homeassistant/components/http/ban.py@0206414af722e826d86cfebde5a07bbe5e7d311b (ip_bans.yaml)",
    "observed on Home Assistant 2023.11.3: three failed logins relayed over loopback banned 127.0.0.1",
    "home-assistant/core issues #60106, #112075 (proxy banned), #96597 (Remote UI failures all come from 127.0.0.1)",
  ],
  run(facts) {
    const config = facts.config;
    const proxies = listSetting(httpView(config).settings, "trusted_proxies").flatMap(({ text }) => {
      const network = parseNetwork(text);
      return network === undefined ? [] : [network];
    });
    const findings: FindingDraft[] = [];
    for (const ban of config.ipBans) {
      const proxy = proxies.find((p) => contains(p, ban.address));
      if (isLoopback(ban.address)) {
        findings.push({
          message: `${ban.address} is banned: a loopback address, so Remote UI, a local reverse proxy and add-ons are locked out.`,
          location: at(ban.pos),
          evidence: `${ban.address}${ban.bannedAt ? ` banned_at ${ban.bannedAt}` : ""}`,
        });
      } else if (proxy !== undefined) {
        findings.push({
          message: `${ban.address} is banned and lies in trusted_proxies (${proxy.text}): everyone behind the proxy is locked out.`,
          location: at(ban.pos),
          evidence: `${ban.address}${ban.bannedAt ? ` banned_at ${ban.bannedAt}` : ""}`,
        });
      } else if (isPrivate(ban.address)) {
        findings.push({
          severity: "low",
          message: `${ban.address} is banned: a private (LAN) address, often one of the household's own devices.`,
          location: at(ban.pos),
          evidence: `${ban.address}${ban.bannedAt ? ` banned_at ${ban.bannedAt}` : ""}`,
        });
      }
    }
    return findings;
  },
});
