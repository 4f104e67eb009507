import { defineCheck } from "../../model/check.js";
import { get } from "../../model/yaml-node.js";
import { httpView, isTrue, listSetting } from "./http-settings.js";
import { at } from "./where.js";

export const httpForwardedWithoutProxies = defineCheck({
  id: "http/forwarded-without-proxies",
  title: "use_x_forwarded_for without trusted_proxies (or the reverse)",
  severity: "medium",
  area: "config",
  checklist: "reverse-proxy",
  needs: ["config"],
  description:
    "`use_x_forwarded_for` and `trusted_proxies` only work as a pair (the schema marks them `Inclusive`). One " +
    "without the other is a configuration error: the `http` integration does not load, so Home Assistant is not " +
    "reachable at all or falls back to recovery mode, and the owner is tempted into hasty fixes. Very old releases " +
    "accepted `use_x_forwarded_for` alone and believed any client's X-Forwarded-For header, which let anyone dodge " +
    "bans and pose as a trusted network.",
  remediation:
    "Set both: `use_x_forwarded_for: true` and `trusted_proxies:` with the exact address of your reverse proxy " +
    "(for the NGINX or Caddy add-on `172.30.33.0/24`, for a proxy on the same host `127.0.0.1` and `::1`). Without " +
    "a reverse proxy, remove both.",
  sources: [
    "homeassistant/components/http/forwarded.py (X-Forwarded-For handling; use_x_forwarded_for and trusted_proxies are vol.Inclusive)",
    "https://www.home-assistant.io/integrations/http/#reverse-proxies",
  ],
  run(facts) {
    const config = facts.config;
    const http = httpView(config);
    const useEntry = http.settings?.entries.findLast((e) => e.key === "use_x_forwarded_for");
    const proxies = listSetting(http.settings, "trusted_proxies");
    const forwarded = useEntry !== undefined && isTrue(useEntry.value);
    if (forwarded && proxies.length === 0) {
      return [
        {
          message: `\`use_x_forwarded_for\` is on in ${http.label} but \`trusted_proxies\` is missing: the http integration rejects this configuration.`,
          location: at(useEntry.keyPos),
          evidence: "use_x_forwarded_for: true, trusted_proxies: (missing)",
        },
      ];
    }
    const proxiesNode = get(http.settings, "trusted_proxies");
    if (!forwarded && proxies.length > 0 && proxiesNode !== undefined) {
      return [
        {
          severity: "low",
          message: `\`trusted_proxies\` is set in ${http.label} without \`use_x_forwarded_for: true\`: the pair is incomplete.`,
          location: at(proxiesNode.pos),
          evidence: `trusted_proxies: ${proxies.map((p) => p.text).join(", ")}`,
        },
      ];
    }
    return [];
  },
});
