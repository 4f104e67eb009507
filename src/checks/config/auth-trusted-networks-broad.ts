import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { asList, get, isScalar, scalarString } from "../../model/yaml-node.js";
import { trustedNetworksProviders } from "./auth-providers.js";
import { isAnyAddress, isBroad, isLoopback, isPrivate, parseNetwork } from "./ip-ranges.js";
import { at } from "./where.js";

export const authTrustedNetworksBroad = defineCheck({
  id: "auth/trusted-networks-broad",
  title: "trusted_networks covers too many addresses",
  severity: "high",
  area: "config",
  checklist: "users",
  needs: ["config"],
  description:
    "Every device in a trusted network can log in as a user without a password or MFA. The list should name a " +
    "few fixed devices, not whole networks: `0.0.0.0/0` or `::/0` opens the home to the whole Internet " +
    "(critical); a public address range or a /16-or-wider private range (all of `192.168.0.0/16`, `10.0.0.0/8`, " +
    "`fc00::/7`) hands the home to every guest, IoT gadget and compromised PC in it (high).",
  remediation:
    "Narrow `trusted_networks` to the single addresses (/32, /128) of the devices that need it, use " +
    "`trusted_users` to tie them to a non-admin user, and keep public addresses out entirely.",
  sources: [
    "homeassistant/auth/providers/trusted_networks.py",
    "https://www.home-assistant.io/docs/authentication/providers/#trusted-networks",
  ],
  run(facts) {
    const config = facts.config;
    const findings: FindingDraft[] = [];
    for (const provider of trustedNetworksProviders(config)) {
      for (const item of asList(get(provider.node, "trusted_networks"))) {
        const text = scalarString(item);
        const network = text === undefined ? undefined : parseNetwork(text);
        if (network === undefined || !isScalar(item)) continue;
        const publicRange = !isPrivate(network.address) && !isLoopback(network.address);
        if (!isAnyAddress(network) && !isBroad(network) && !publicRange) continue;
        findings.push({
          severity: isAnyAddress(network) ? "critical" : "high",
          message: isAnyAddress(network)
            ? `trusted_networks contains ${network.text}: every address on the Internet may log in without a password.`
            : publicRange
              ? `trusted_networks contains the public range ${network.text}: devices outside the home may log in without a password.`
              : `trusted_networks contains ${network.text}, a whole network: every device in it may log in without a password.`,
          location: at(item.pos),
          evidence: `trusted_networks: ${network.text}`,
        });
      }
    }
    return findings;
  },
});
