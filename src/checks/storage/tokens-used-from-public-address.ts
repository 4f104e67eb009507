import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { isLoopback, isPrivate, unmapped } from "../config/ip-ranges.js";
import { ago, tokenLabel, userById, userLabel } from "./people.js";

export const tokenPublicAddress = defineCheck({
  id: "tokens/used-from-public-address",
  title: "Token last used from a public internet address",
  severity: "medium",
  area: "storage",
  checklist: "remote-access",
  needs: ["storage"],
  description:
    "Home Assistant records the address each token was last used from. A public address means the token " +
    "travels over the internet and Home Assistant is reachable from it, directly or through a proxy that " +
    "forwards the client's address. That can be expected (the companion app away from home, Nabu Casa), but " +
    "a long-lived token used from an address you do not know means someone else holds it. An address you do " +
    "not recognise is worth a revocation.",
  remediation:
    "Check the address belongs to you (your phone's carrier, your office, a service you set up). If not, revoke " +
    "the token at once and change the user's password. Prefer remote access through a VPN or Nabu Casa over " +
    "an open port.",
  sources: ["homeassistant/auth/models.py (RefreshToken.last_used_ip)", "shared ha-facts.md §3"],
  run(facts) {
    const auth = facts.storage.auth;
    if (auth === undefined) return [];
    const findings: FindingDraft[] = [];
    for (const token of auth.refreshTokens) {
      const ip = token.lastUsedIp;
      if (ip === null || unmapped(ip) === undefined || isLoopback(ip) || isPrivate(ip)) continue;
      const user = userById(auth, token.userId);
      findings.push({
        severity: token.tokenType === "long_lived_access_token" ? "medium" : "low",
        message: `${tokenLabel(token)} of ${user === undefined ? "an unknown user" : userLabel(user)} was last used from the public address ${ip}, ${ago(token.lastUsedAt, facts.now)}.`,
        location: { user: user?.usernames[0] ?? user?.name ?? token.userId },
        evidence: `last_used_ip: ${ip}`,
      });
    }
    return findings;
  },
});
