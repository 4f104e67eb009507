import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { maskUrlCredentials } from "../../model/mask.js";
import { problemKey } from "../../model/problems.js";
import { advertisedUrls, httpView, scalarSetting } from "./http-settings.js";
import { hostLocality } from "./ip-ranges.js";
import { at } from "./where.js";

export const httpNoTls = defineCheck({
  id: "http/no-tls",
  title: "Home Assistant reached over plain HTTP",
  severity: "high",
  area: "config",
  checklist: "tls",
  needs: ["config"],
  description:
    "`external_url` (or the old `base_url`) is an `http://` address and Home Assistant has no `ssl_certificate`. " +
    "Every login, password and access token then crosses the network in clear text: anyone on the path (public " +
    "Wi-Fi, the ISP, a compromised router) can read them and take over the home. On a public name or address " +
    "this is high; on a LAN-only address it is medium (still readable by any device on that network).",
  remediation:
    "Serve Home Assistant over HTTPS: Nabu Casa Remote UI, a reverse proxy that terminates TLS (NGINX, Caddy, " +
    "Traefik) with `use_x_forwarded_for` and `trusted_proxies`, or `http: ssl_certificate` / `ssl_key` (for example " +
    "the Let's Encrypt or DuckDNS add-on). Then set `external_url` to the `https://` address.",
  sources: [
    "https://www.home-assistant.io/integrations/http/#ssl_certificate",
    "homeassistant/components/http/__init__.py (HTTP_SCHEMA: ssl_certificate, base_url)",
    'Home Assistant Community guide "Securing Your Home Assistant Instance" (use SSL)',
  ],
  run(facts) {
    const config = facts.config;
    const http = httpView(config);
    if (http.source === "unread") return []; // an unread file says nothing about what is unset
    if (scalarSetting(http.settings, "ssl_certificate") !== undefined) return [];
    const findings: FindingDraft[] = [];
    for (const { key, url, pos, source } of advertisedUrls(config, http)) {
      if (key === "internal_url" || url.protocol !== "http:") continue;
      const locality = hostLocality(url.hostname);
      if (locality === "internal") continue;
      findings.push({
        severity: locality === "remote" ? "high" : "medium",
        message: `\`${key}\`${source === "ui" ? " (set in the UI)" : ""} is ${locality === "remote" ? "a public" : "a LAN"} plain-HTTP address and ${http.label} sets no \`ssl_certificate\`: logins and tokens travel unencrypted.`,
        location: at(pos),
        evidence: `${key}: ${maskUrlCredentials(url.href)}`,
        problem: problemKey.plainHttp(),
      });
    }
    return findings;
  },
});
