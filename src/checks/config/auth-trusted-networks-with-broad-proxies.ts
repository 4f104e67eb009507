import { defineCheck } from "../../model/check.js";
import { get } from "../../model/yaml-node.js";
import { trustedNetworksProviders } from "./auth-providers.js";
import { httpView, isTrue, listSetting } from "./http-settings.js";
import { isBroad, parseNetwork } from "./ip-ranges.js";
import { at } from "./where.js";

export const authTrustedNetworksWithBroadProxies = defineCheck({
  id: "auth/trusted-networks-with-broad-proxies",
  title: "trusted_networks behind broad trusted_proxies: password-free login can be forged",
  severity: "critical",
  area: "config",
  checklist: "reverse-proxy",
  needs: ["config"],
  description:
    "With `use_x_forwarded_for`, Home Assistant takes the client address from the X-Forwarded-For header of " +
    "any peer in `trusted_proxies`. If that list is broad (a /16 or wider, or everything), a client inside it — or " +
    "anyone, for `0.0.0.0/0` — can send `X-Forwarded-For: <a trusted address>` and the `trusted_networks` provider " +
    "logs it in without a password. Two settings that each look reasonable combine into a login bypass.",
  remediation:
    "Narrow `trusted_proxies` to the reverse proxy's own address (see http/broad-trusted-proxies), or remove the " +
    "`trusted_networks` auth provider.",
  sources: ["homeassistant/components/http/forwarded.py and homeassistant/auth/providers/trusted_networks.py"],
  run(facts) {
    const config = facts.config;
    const trusted = trustedNetworksProviders(config)[0];
    if (trusted === undefined) return [];
    const http = httpView(config);
    if (!isTrue(get(http.settings, "use_x_forwarded_for"))) return [];
    const broad = listSetting(http.settings, "trusted_proxies").filter(({ text }) => {
      const network = parseNetwork(text);
      return network !== undefined && isBroad(network);
    });
    if (broad.length === 0) return [];
    return [
      {
        message: `The trusted_networks auth provider is on while ${http.label} trusts X-Forwarded-For from ${broad.map((b) => b.text).join(", ")}: a client there can claim a trusted address and log in without a password.`,
        location: at(trusted.typeEntry.value.pos),
        evidence: `auth_providers: trusted_networks; trusted_proxies: ${broad.map((b) => b.text).join(", ")}`,
      },
    ];
  },
});
