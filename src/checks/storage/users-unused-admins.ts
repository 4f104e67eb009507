import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { ago, daysSince, humanUsers, lastUse, tokensOf, UNUSED_DAYS, userLabel, userLocation } from "./people.js";

export const unusedAdmins = defineCheck({
  id: "users/unused-admins",
  title: "Extra administrator that is not used",
  severity: "medium",
  area: "storage",
  checklist: "users",
  needs: ["storage"],
  description:
    "This home has more than one administrator, and at least one of them has not been used for " +
    `${UNUSED_DAYS} days or more (no login session or token of it was used since), or never. A forgotten ` +
    "administrator account keeps full control of the home; nobody notices if its password leaks or is guessed.",
  remediation:
    "Remove the account (Settings → People → the person → Delete user) or take away its administrator rights; " +
    "create it again when it is really needed.",
  sources: ["homeassistant/auth/models.py (User.is_admin, RefreshToken.last_used_at)", "shared ha-facts.md §3"],
  run(facts) {
    const auth = facts.storage.auth;
    if (auth === undefined) return [];
    const admins = humanUsers(auth).filter((user) => user.isAdmin && user.isActive);
    if (admins.length < 2) return [];
    const findings: FindingDraft[] = [];
    for (const admin of admins) {
      if (admin.isOwner) continue; // the owner cannot be removed, and is reported by other checks
      const used = lastUse(tokensOf(auth, admin));
      if (used !== undefined && daysSince(used, facts.now) < UNUSED_DAYS) continue;
      findings.push({
        message: `${userLabel(admin)} is ${amongAdmins(admins.length)} and was last used ${ago(used, facts.now)}.`,
        location: userLocation(admin),
      });
    }
    return findings;
  },
});

/** `one of 3 administrators`, or `the only administrator`. */
export function amongAdmins(admins: number): string {
  return admins <= 1 ? "the only administrator" : `one of ${admins} administrators`;
}
