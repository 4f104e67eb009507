import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { getEntry } from "../../model/yaml-node.js";
import { trustedNetworksProviders } from "./auth-providers.js";
import { isTrue } from "./http-settings.js";
import { at } from "./where.js";

export const authTrustedNetworksBypass = defineCheck({
  id: "auth/trusted-networks-bypass",
  title: "trusted_networks with allow_bypass_login",
  severity: "high",
  area: "config",
  checklist: "users",
  needs: ["config"],
  description:
    "The `trusted_networks` auth provider lets a device in the listed networks log in by picking a user, with no " +
    "password and no MFA. `allow_bypass_login: true` goes further and skips even that page: anything in the " +
    "network (a guest's phone, a compromised smart plug, malware on a PC) is logged in as the owner automatically.",
  remediation:
    "Remove `allow_bypass_login: true`. Better: remove the `trusted_networks` provider, or limit it with " +
    "`trusted_users` to a non-admin user on a small network (a wall tablet's single address).",
  sources: [
    "homeassistant/auth/providers/trusted_networks.py (allow_bypass_login)",
    "https://www.home-assistant.io/docs/authentication/providers/#trusted-networks",
  ],
  run(facts) {
    const config = facts.config;
    const findings: FindingDraft[] = [];
    for (const provider of trustedNetworksProviders(config)) {
      const bypass = getEntry(provider.node, "allow_bypass_login");
      if (bypass === undefined || !isTrue(bypass.value)) continue;
      findings.push({
        message:
          "The trusted_networks auth provider logs in every device of the trusted networks without showing a login page.",
        location: at(bypass.keyPos),
        evidence: "allow_bypass_login: true",
      });
    }
    return findings;
  },
});
