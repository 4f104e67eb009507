import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { count, pick } from "../../model/words.js";
import { tokenLabel, tokensOf, userLabel, userLocation } from "./people.js";

export const inactiveUserTokens = defineCheck({
  id: "users/inactive-with-tokens",
  title: "Deactivated user still holds tokens",
  severity: "low",
  area: "storage",
  checklist: "tokens",
  needs: ["storage"],
  description:
    "Deactivating a user stops its logins, but Home Assistant keeps its refresh tokens and long-lived tokens: " +
    "they are refused only while the user stays inactive. Turning the user on again (by mistake, or by another " +
    "administrator) silently revives every session and token it ever had, on devices that may be long gone.",
  remediation:
    "Delete the user if it is no longer needed; otherwise activate it briefly, remove its tokens (profile → " +
    "Security → Refresh tokens / Long-lived access tokens) and deactivate it again.",
  sources: [
    "homeassistant/auth/__init__.py (async_validate_access_token refuses tokens of inactive users)",
    "homeassistant/auth/auth_store.py (tokens are removed only with the user or one by one)",
  ],
  run(facts) {
    const auth = facts.storage.auth;
    if (auth === undefined) return [];
    const findings: FindingDraft[] = [];
    for (const user of auth.users) {
      if (user.isActive || user.systemGenerated) continue;
      const tokens = tokensOf(auth, user).filter((token) => token.tokenType !== "system");
      if (tokens.length === 0) continue;
      const longLived = tokens.filter((token) => token.tokenType === "long_lived_access_token");
      findings.push({
        severity: user.isAdmin || user.groupIds.includes("system-admin") ? "medium" : "low",
        message:
          `${userLabel(user)} is deactivated but still has ${count(tokens.length, "token")}` +
          (longLived.length > 0 ? ` (${longLived.map(tokenLabel).join(", ")})` : "") +
          `; reactivating the user revives ${pick(tokens.length, "it", "them all")}.`,
        location: userLocation(user),
      });
    }
    return findings;
  },
});
