import { defineCheck } from "../../model/check.js";
import { count } from "../../model/words.js";
import { ago, humanUsers, lastUse, tokensOf, userLabel } from "./people.js";

export const adminsList = defineCheck({
  id: "users/admins",
  title: "Administrators",
  severity: "info",
  area: "storage",
  checklist: "users",
  needs: ["storage"],
  description:
    "Every administrator can change any setting, install integrations and add-ons, read every secret Home " +
    "Assistant holds and create long-lived tokens: each one is a full key to the home. This lists them so the " +
    "owner can check each is still needed. Home Assistant's rule: a user is an administrator when it is the " +
    "owner, or active and in the `system-admin` group.",
  remediation:
    "Keep one or two administrators; make everyone else a normal user (Settings → People → the user → " +
    "Administrator off) and remove accounts nobody uses.",
  sources: [
    "homeassistant/auth/models.py (User.is_admin)",
    "homeassistant/auth/const.py (GROUP_ID_ADMIN = system-admin)",
    "shared ha-facts.md §3",
  ],
  run(facts) {
    const auth = facts.storage.auth;
    if (auth === undefined) return [];
    const admins = humanUsers(auth).filter((user) => user.isAdmin);
    if (admins.length === 0) return [];
    const lines = admins.map((user) => {
      const traits = [
        user.isOwner ? "owner" : "admin",
        user.localOnly ? "local network only" : "can log in from anywhere",
        user.mfaModules.length > 0 ? `MFA: ${user.mfaModules.join(", ")}` : "no MFA",
        `last used ${ago(lastUse(tokensOf(auth, user)), facts.now)}`,
      ];
      return `${userLabel(user)}: ${traits.join("; ")}`;
    });
    return [
      {
        message: `${count(admins.length, "administrator")}: ${lines.join(" | ")}`,
        location: { file: ".storage/auth" },
      },
    ];
  },
});
