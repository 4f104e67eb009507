import { defineCheck } from "../../model/check.js";
import { authProviders } from "./auth-providers.js";
import { at } from "./where.js";

export const authLegacyApiPassword = defineCheck({
  id: "auth/legacy-api-password",
  title: "legacy_api_password auth provider",
  severity: "critical",
  area: "config",
  checklist: "password",
  needs: ["config"],
  description:
    "The `legacy_api_password` auth provider accepts one shared password as full admin access, for every " +
    "user and every client, with no MFA and no per-user audit. It exists only for very old integrations; " +
    "anyone who learns or guesses that one password owns the home.",
  remediation:
    "Remove the `legacy_api_password` provider from `homeassistant: auth_providers:` (and its `api_password`), " +
    "give every person their own user with MFA, and use long-lived access tokens for scripts.",
  sources: [
    "https://www.home-assistant.io/docs/authentication/providers/#legacy-api-password",
    "homeassistant/auth/providers/legacy_api_password.py",
  ],
  run(facts) {
    const config = facts.config;
    return authProviders(config)
      .filter((p) => p.type === "legacy_api_password")
      .map((p) => ({
        message: "The legacy_api_password auth provider grants admin access to anyone with one shared password.",
        location: at(p.typeEntry.value.pos),
        evidence: "type: legacy_api_password",
      }));
  },
});
