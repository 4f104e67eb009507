import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { ago, tokenLabel, userById, userLabel } from "./people.js";

export const neverExpiringTokens = defineCheck({
  id: "tokens/never-expiring",
  title: "Token that never expires",
  severity: "low",
  area: "storage",
  checklist: "tokens",
  needs: ["storage"],
  description:
    "A refresh token with no expiry keeps working until someone deletes it. Long-lived access tokens are made " +
    "that way (ten-year access tokens, `expire_at: null`). Home Assistant releases from 2024 on let login " +
    "sessions expire after 90 days without use; older releases wrote no `expire_at`, so every login session of " +
    "every browser and phone that ever logged in still works. (Home Assistant's own system tokens are left out.)",
  remediation:
    "Update Home Assistant so login sessions expire when unused. Revoke long-lived tokens that are no longer " +
    "needed, and give each integration or script its own token so one can be revoked without the others.",
  sources: [
    "homeassistant/auth/models.py (RefreshToken.expire_at; null = never)",
    "homeassistant/auth/auth_store.py (async_set_expiry)",
    "shared ha-facts.md §3 (expiry on use)",
  ],
  run(facts) {
    const auth = facts.storage.auth;
    if (auth === undefined) return [];
    const findings: FindingDraft[] = [];
    for (const token of auth.refreshTokens) {
      if (token.tokenType === "system" || token.expireAt !== null) continue;
      const user = userById(auth, token.userId);
      const why =
        token.tokenType === "long_lived_access_token"
          ? "long-lived tokens never expire"
          : `it was written without \`expire_at\` (by Home Assistant ${token.haVersion ?? "of an older release"}) or its expiry was turned off`;
      findings.push({
        message: `${tokenLabel(token)} of ${user === undefined ? "an unknown user" : userLabel(user)} never expires: ${why}; created ${ago(token.createdAt, facts.now)}.`,
        location: { user: user?.usernames[0] ?? user?.name ?? token.userId },
      });
    }
    return findings;
  },
});
