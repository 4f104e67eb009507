import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { humanUsers, userLabel, userLocation } from "./people.js";

export const usersNoMfa = defineCheck({
  id: "users/no-mfa",
  title: "User without multi-factor authentication",
  severity: "medium",
  area: "storage",
  checklist: "mfa",
  needs: ["storage"],
  description:
    "A user who logs in with a Home Assistant password and has no second factor (an authenticator app, " +
    "`auth_module.totp`, or a code sent through a notify service, `auth_module.notify`) is one guessed, reused " +
    "or phished password away from being taken over. For an administrator that means the whole home and, " +
    "through add-ons and integrations, the machine it runs on. Enrolment is per user: configuring the module " +
    "does nothing until each user turns it on in their profile.",
  remediation:
    "Have the user open their profile (click the name at the bottom left) → Security → Multi-factor " +
    "authentication modules → Authenticator app → Enable, and scan the code with an authenticator app.",
  sources: [
    "homeassistant/auth/mfa_modules/totp.py (.storage/auth_module.totp: users enrolled)",
    "homeassistant/auth/mfa_modules/notify.py (.storage/auth_module.notify)",
    "https://www.home-assistant.io/docs/authentication/multi-factor-auth/",
    "shared ha-facts.md §3 (MFA modules)",
  ],
  run(facts) {
    const auth = facts.storage.auth;
    if (auth === undefined) return [];
    const findings: FindingDraft[] = [];
    for (const user of humanUsers(auth)) {
      if (!user.isActive || !user.credentialTypes.includes("homeassistant") || user.mfaModules.length > 0) continue;
      findings.push({
        severity: user.isAdmin ? "high" : "medium",
        message: `${userLabel(user)}${user.isAdmin ? ", an administrator," : ""} logs in with a password only: no authenticator app or notify code is enrolled.`,
        location: userLocation(user),
      });
    }
    return findings;
  },
});
