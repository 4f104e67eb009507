import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { exposureSentence, isExposed } from "../exposure.js";
import { humanUsers, userLabel, userLocation } from "./people.js";

export const adminNotLocalOnly = defineCheck({
  id: "users/admin-not-local-only",
  title: "Administrator can log in from the internet",
  severity: "low",
  area: "storage",
  checklist: "users",
  needs: ["storage"],
  uses: ["config", "network"],
  description:
    'A user marked "Can only log in from the local network" (`local_only`) is refused by Home Assistant when ' +
    "the login comes from outside the local networks, so a stolen administrator password is useless from the " +
    "internet. Administrators who manage the home only from home do not need remote logins; day-to-day remote " +
    "use (the app, dashboards) can go through a normal user. Low on a home with no sign of being reachable from the " +
    "Internet; medium when something shows it is (a public URL, a reverse proxy, a forwarded port, a public " +
    "certificate, Home Assistant Cloud remote access), and the finding names it.",
  remediation:
    'Settings → People → the user → turn on "Can only log in from the local network" for administrators that ' +
    "do not need remote access, and use a non-admin account away from home.",
  sources: [
    "homeassistant/auth/models.py (User.local_only)",
    "homeassistant/components/auth/login_flow.py (local_only users refused from remote addresses)",
  ],
  run(facts) {
    const auth = facts.storage.auth;
    if (auth === undefined) return [];
    const findings: FindingDraft[] = [];
    const exposed = isExposed(facts);
    for (const user of humanUsers(auth)) {
      if (!user.isAdmin || !user.isActive || user.localOnly) continue;
      findings.push({
        ...(exposed ? { severity: "medium" as const } : {}),
        message: `${userLabel(user)} is ${user.isOwner ? "the owner" : "an administrator"} and may log in from any network, the internet included.${exposed ? ` ${exposureSentence(facts)}` : ""}`,
        location: userLocation(user),
        evidence: "local_only: false",
      });
    }
    return findings;
  },
});
