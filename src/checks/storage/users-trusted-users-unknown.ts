import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { asList, getEntry, isMap, isScalar, scalarString } from "../../model/yaml-node.js";
import { trustedNetworksProviders } from "../config/auth-providers.js";
import { at } from "../config/where.js";

export const trustedUsersUnknown = defineCheck({
  id: "users/trusted-users-unknown",
  title: "trusted_users names a user or group that does not exist",
  severity: "medium",
  area: "storage",
  checklist: "users",
  needs: ["config", "storage"],
  description:
    "`trusted_networks` `trusted_users` limits which users a trusted network may log in as, by user id or " +
    "`group:` id. An id that is not in `.storage/auth` is a leftover of a deleted user or a typo: the " +
    "restriction the owner meant to set does not apply as written, and if a network's list ends up with no " +
    "valid entry, Home Assistant offers every user to that network again.",
  remediation:
    "Replace the stale id with the right one (Settings → People → the user → the id is in the URL, or see " +
    "`.storage/auth`), or remove the entry.",
  sources: [
    "homeassistant/auth/providers/trusted_networks.py (trusted_users: user ids or {group: id})",
    "shared ha-facts.md §3 (auth_providers: trusted_networks)",
  ],
  run(facts) {
    const config = facts.config;
    const auth = facts.storage.auth;
    if (auth === undefined) return [];
    const userIds = new Set(auth.users.map((user) => user.id));
    const groupIds = new Set(auth.groups.map((group) => group.id));
    const findings: FindingDraft[] = [];
    for (const provider of trustedNetworksProviders(config)) {
      const trusted = getEntry(provider.node, "trusted_users");
      if (trusted === undefined || !isMap(trusted.value)) continue;
      for (const entry of trusted.value.entries) {
        for (const item of asList(entry.value)) {
          if (isScalar(item)) {
            const id = scalarString(item);
            if (id !== undefined && !userIds.has(id)) {
              findings.push({
                message: `trusted_users for ${entry.key} names user id ${id}, which is not a user in .storage/auth.`,
                location: at(item.pos),
                evidence: `${entry.key}: ${id}`,
              });
            }
          } else if (isMap(item)) {
            const groupEntry = getEntry(item, "group");
            const group = scalarString(groupEntry?.value);
            if (groupEntry !== undefined && group !== undefined && !groupIds.has(group)) {
              findings.push({
                message: `trusted_users for ${entry.key} names group ${group}, which is not a group in .storage/auth.`,
                location: at(groupEntry.keyPos),
                evidence: `${entry.key}: group: ${group}`,
              });
            }
          }
        }
      }
    }
    return findings;
  },
});
