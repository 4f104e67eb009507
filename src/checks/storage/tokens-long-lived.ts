import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { ago, tokenLabel, userById, userLabel } from "./people.js";

export const longLivedTokens = defineCheck({
  id: "tokens/long-lived",
  title: "Long-lived access token",
  severity: "info",
  area: "storage",
  checklist: "tokens",
  needs: ["storage"],
  description:
    "A long-lived access token acts as its user, with no password and no MFA, for ten years. Integrations, " +
    "scripts and apps use them; each one is a key stored somewhere else (a phone, a script, a cloud service). " +
    "This lists every one with its name, age, last use and the address it was last used from, so forgotten " +
    "ones can be found and revoked. The token value itself is never shown.",
  remediation:
    "Revoke the tokens nobody recognises or uses: log in as the token's user → profile → Security → " +
    "Long-lived access tokens → delete.",
  sources: [
    "homeassistant/auth/models.py (TOKEN_TYPE_LONG_LIVED_ACCESS_TOKEN)",
    "homeassistant/components/auth/__init__.py (auth/long_lived_access_token: 10-year access tokens)",
    "shared fixtures ha/2023.11.3/onboarding (a long-lived token created over the WebSocket)",
  ],
  run(facts) {
    const auth = facts.storage.auth;
    if (auth === undefined) return [];
    const findings: FindingDraft[] = [];
    for (const token of auth.refreshTokens) {
      if (token.tokenType !== "long_lived_access_token") continue;
      const user = userById(auth, token.userId);
      const owner = user === undefined ? "an unknown user" : userLabel(user);
      findings.push({
        message:
          `${tokenLabel(token)} of ${owner}: created ${ago(token.createdAt, facts.now)}, last used ${ago(token.lastUsedAt, facts.now)}` +
          `${token.lastUsedIp === null ? "" : ` from ${token.lastUsedIp}`}.`,
        location: { user: user?.usernames[0] ?? user?.name ?? token.userId },
      });
    }
    return findings;
  },
});
