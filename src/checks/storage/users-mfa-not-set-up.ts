import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { pick } from "../../model/words.js";
import { asList, getEntry, getPath, isMap, scalarString } from "../../model/yaml-node.js";
import { at } from "../config/where.js";
import { humanUsers } from "./people.js";

export const mfaNotSetUp = defineCheck({
  id: "users/mfa-not-set-up",
  title: "Multi-factor authentication is not used by anyone",
  severity: "medium",
  area: "storage",
  checklist: "mfa",
  needs: ["storage"],
  uses: ["config"],
  description:
    "Home Assistant offers an authenticator-app module (TOTP) by default, and optionally a notify module that " +
    "sends a code through a notify service, but no one in this home has enrolled in either: there is no " +
    "`.storage/auth_module.totp` or `.storage/auth_module.notify` with a user in it. Or `homeassistant: " +
    "auth_mfa_modules:` is set to an empty list, which removes the option altogether.",
  remediation:
    "Keep the default TOTP module (remove an empty `auth_mfa_modules:`), then have every user enable it: " +
    "profile → Security → Multi-factor authentication modules → Authenticator app.",
  sources: [
    "homeassistant/core_config.py (auth_mfa_modules default: totp)",
    "homeassistant/auth/mfa_modules/totp.py, notify.py",
    "https://www.home-assistant.io/docs/authentication/multi-factor-auth/",
  ],
  run(facts) {
    const storage = facts.storage;
    if (storage.auth === undefined) return [];
    const findings: FindingDraft[] = [];
    const modulesEntry = getEntry(getPath(facts.config?.configuration, "homeassistant"), "auth_mfa_modules");
    if (modulesEntry !== undefined) {
      const types = asList(modulesEntry.value).flatMap((node) =>
        isMap(node) ? [scalarString(getPath(node, "type")) ?? "?"] : [],
      );
      if (types.length === 0) {
        findings.push({
          message: "`auth_mfa_modules` is empty: no user can enable multi-factor authentication.",
          location: at(modulesEntry.keyPos),
          evidence: "auth_mfa_modules: []",
        });
        return findings;
      }
    }
    const people = humanUsers(storage.auth).filter(
      (user) => user.isActive && user.credentialTypes.includes("homeassistant"),
    );
    if (people.length > 0 && people.every((user) => user.mfaModules.length === 0)) {
      const stores = [
        storage.mfaStores.totp ? "auth_module.totp" : "",
        storage.mfaStores.notify ? "auth_module.notify" : "",
      ].filter(Boolean);
      findings.push({
        message:
          noMfaSentence(people.length) +
          (stores.length === 0
            ? " (there is no `.storage/auth_module.totp` or `auth_module.notify`)."
            : ` (${stores.join(" and ")} ${pick(stores.length, "lists", "list")} no current user).`),
        location: { file: ".storage/auth" },
      });
    }
    return findings;
  },
});

/** `None of the 3 users who log in with a password has …`, `The one user who logs in …`. */
export function noMfaSentence(passwordUsers: number): string {
  if (passwordUsers === 0) return "No user logs in with a password, so none needs a multi-factor module";
  if (passwordUsers === 1) return "The one user who logs in with a password has not enrolled in a multi-factor module";
  return `None of the ${passwordUsers} users who log in with a password has enrolled in a multi-factor module`;
}
