import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { ago, daysSince, tokenLabel, UNUSED_DAYS, userById, userLabel } from "./people.js";

export const unusedTokens = defineCheck({
  id: "tokens/unused",
  title: `Token unused for ${UNUSED_DAYS} days or more`,
  severity: "medium",
  area: "storage",
  checklist: "tokens",
  needs: ["storage"],
  description:
    `A token that has not been used for ${UNUSED_DAYS} days (or was never used) still works: it belongs to a ` +
    "device, script or integration that is gone or forgotten, and whoever holds a copy can still act as its " +
    `user. Home Assistant lets ordinary login sessions expire after ${UNUSED_DAYS} days unused (in releases ` +
    "that write `expire_at`), but long-lived tokens, and every token of older releases, never expire.",
  remediation:
    "Revoke it: log in as its user → profile → Security → Long-lived access tokens or Refresh tokens → delete.",
  sources: [
    "homeassistant/auth/const.py (REFRESH_TOKEN_EXPIRATION = 90 days)",
    "homeassistant/auth/models.py (RefreshToken.last_used_at, expire_at)",
    "shared ha-facts.md §3",
  ],
  run(facts) {
    const auth = facts.storage.auth;
    if (auth === undefined) return [];
    const findings: FindingDraft[] = [];
    for (const token of auth.refreshTokens) {
      if (token.tokenType === "system") continue; // Home Assistant's own, used internally
      // A token with an expiry date is removed by Home Assistant once unused that long; only count live ones.
      if (token.expireAt !== null && token.expireAt <= facts.now) continue;
      const reference = token.lastUsedAt ?? token.createdAt;
      if (reference === undefined || daysSince(reference, facts.now) < UNUSED_DAYS) continue;
      const user = userById(auth, token.userId);
      findings.push({
        severity: token.tokenType === "long_lived_access_token" ? "medium" : "low",
        message:
          `${tokenLabel(token)} of ${user === undefined ? "an unknown user" : userLabel(user)} was last used ${ago(token.lastUsedAt, facts.now)}` +
          ` (created ${ago(token.createdAt, facts.now)}) and still works.`,
        location: { user: user?.usernames[0] ?? user?.name ?? token.userId },
      });
    }
    return findings;
  },
});
