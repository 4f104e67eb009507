import { defineCheck } from "../../model/check.js";
import { maskedAssignment } from "../../model/mask.js";
import { getEntry, scalarString } from "../../model/yaml-node.js";
import { httpView } from "./http-settings.js";
import { at } from "./where.js";

export const httpLegacyApiPassword = defineCheck({
  id: "http/legacy-api-password",
  title: "Legacy `http: api_password`",
  severity: "high",
  area: "config",
  checklist: "password",
  needs: ["config"],
  description:
    "`api_password` under `http:` is the pre-2019 way to protect Home Assistant: one shared password that gave " +
    "full API access to whoever sent it, with no user, no MFA and no audit trail. It moved to the " +
    "`legacy_api_password` auth provider in 0.77 and was removed from `http:` afterwards. Its presence means the " +
    "configuration still carries an old shared password (often reused elsewhere) and a setup that predates users.",
  remediation:
    "Delete `api_password` from `http:`, make sure every person has a user account (Settings → People) with a " +
    "strong password and MFA, and change the old password wherever else it was used.",
  sources: [
    "homeassistant/components/http/__init__.py@f59496b68ab6978adc4d442527837862193d0ebb (api_password moved to auth providers)",
    "https://www.home-assistant.io/docs/authentication/providers/#legacy-api-password",
  ],
  run(facts) {
    const config = facts.config;
    const http = httpView(config);
    const entry = getEntry(http.settings, "api_password");
    if (entry === undefined) return [];
    const value =
      entry.value.kind === "scalar" && entry.value.origin.kind === "secret"
        ? `!secret ${entry.value.origin.name}`
        : undefined;
    return [
      {
        message: `The legacy shared \`api_password\` is still set in ${http.label}.`,
        location: at(entry.keyPos),
        evidence:
          value === undefined ? maskedAssignment("api_password", scalarString(entry.value)) : `api_password: ${value}`,
      },
    ];
  },
});
