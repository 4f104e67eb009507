import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { httpView, listSetting } from "./http-settings.js";
import { isAnyAddress, isBroad, parseNetwork } from "./ip-ranges.js";
import { at } from "./where.js";

export const httpBroadTrustedProxies = defineCheck({
  id: "http/broad-trusted-proxies",
  title: "trusted_proxies far broader than a reverse proxy",
  severity: "high",
  area: "config",
  checklist: "reverse-proxy",
  needs: ["config"],
  description:
    "Home Assistant believes the X-Forwarded-For header of any peer listed in `trusted_proxies` and takes the " +
    "client address from it. A broad entry (`0.0.0.0/0`, `::/0`, or a whole private range such as `10.0.0.0/8`, " +
    "`172.16.0.0/12`, `192.168.0.0/16`, `fc00::/7`) lets every such client claim any address it likes: it can " +
    "dodge IP bans, get someone else banned, and, with the `trusted_networks` auth provider, log in without a " +
    "password by claiming a trusted address. The whole Internet is critical; a /16 (IPv4) or /48 (IPv6) or wider is high.",
  remediation:
    "List only the address of the reverse proxy itself: for the NGINX Proxy Manager or Caddy add-on " +
    "`172.30.33.0/24`, for a proxy on the same machine `127.0.0.1` and `::1`, otherwise the proxy's single address (/32).",
  sources: [
    "homeassistant/components/http/forwarded.py (trusted hops are skipped; the first untrusted address becomes the client)",
    "https://www.home-assistant.io/integrations/http/#trusted_proxies",
  ],
  run(facts) {
    const config = facts.config;
    const http = httpView(config);
    const findings: FindingDraft[] = [];
    for (const { text, node } of listSetting(http.settings, "trusted_proxies")) {
      const network = parseNetwork(text);
      if (network === undefined || !isBroad(network)) continue;
      findings.push({
        severity: isAnyAddress(network) ? "critical" : "high",
        message: isAnyAddress(network)
          ? `\`trusted_proxies\` in ${http.label} trusts every address (${text}): any client can forge its address.`
          : `\`trusted_proxies\` in ${http.label} trusts ${text}, a whole network: any client in it can forge its address.`,
        location: at(node.pos),
        evidence: `trusted_proxies: ${text}`,
      });
    }
    return findings;
  },
});
