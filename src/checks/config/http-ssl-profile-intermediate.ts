import { defineCheck } from "../../model/check.js";
import { httpView, scalarSetting } from "./http-settings.js";
import { at } from "./where.js";

export const httpSslProfileIntermediate = defineCheck({
  id: "http/ssl-profile-intermediate",
  title: "TLS profile `intermediate`",
  severity: "low",
  area: "config",
  checklist: "tls",
  needs: ["config"],
  description:
    "`ssl_profile: intermediate` makes Home Assistant's own TLS accept older protocol versions and weaker cipher " +
    "suites (Mozilla's intermediate profile) for the sake of old clients. Current browsers and the companion apps " +
    "all speak the `modern` profile, which is the default. Newer Home Assistant releases raise the repair " +
    "`ssl_profile_outdated` for it.",
  remediation: "Remove `ssl_profile` (the default is `modern`), or set `ssl_profile: modern`.",
  sources: [
    "https://www.home-assistant.io/integrations/http/#ssl_profile",
    "homeassistant/components/http/repairs.py@056a0545 (ISSUE_SSL_PROFILE_OUTDATED)",
  ],
  run(facts) {
    const config = facts.config;
    const http = httpView(config);
    const profile = scalarSetting(http.settings, "ssl_profile");
    if (profile === undefined || String(profile.value).toLowerCase() !== "intermediate") return [];
    return [
      {
        message:
          scalarSetting(http.settings, "ssl_certificate") === undefined
            ? `\`ssl_profile: intermediate\` is set in ${http.label}: older TLS versions and weaker ciphers will be accepted as soon as \`ssl_certificate\` is set.`
            : `\`ssl_profile: intermediate\` is set in ${http.label}: older TLS versions and weaker ciphers are accepted.`,
        location: at(profile.pos),
        evidence: "ssl_profile: intermediate",
      },
    ];
  },
});
