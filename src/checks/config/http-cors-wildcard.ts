import { defineCheck } from "../../model/check.js";
import { httpView, listSetting } from "./http-settings.js";
import { at } from "./where.js";

export const httpCorsWildcard = defineCheck({
  id: "http/cors-wildcard",
  title: "CORS allows every origin",
  severity: "medium",
  area: "config",
  checklist: "reverse-proxy",
  needs: ["config"],
  description:
    "`cors_allowed_origins` with `*` lets scripts on any website call Home Assistant's API from a visitor's " +
    "browser and read the answers. Combined with a token the page gets hold of (a dashboard link, a leaked " +
    "long-lived token, a cast page) that is full remote control from any web page; it also gives any site a way " +
    "to probe the home network through the browser.",
  remediation:
    "List only the exact origins that need the API (the default is `https://cast.home-assistant.io`), for " +
    'example `cors_allowed_origins: ["https://my-dashboard.example.org"]`, or remove the setting.',
  sources: [
    "https://www.home-assistant.io/integrations/http/#cors_allowed_origins",
    "homeassistant/components/http/__init__.py (DEFAULT_CORS)",
  ],
  run(facts) {
    const config = facts.config;
    const http = httpView(config);
    return listSetting(http.settings, "cors_allowed_origins")
      .filter(({ text }) => text.trim() === "*")
      .map(({ node }) => ({
        message: `\`cors_allowed_origins\` in ${http.label} contains \`*\`: every website may call the API.`,
        location: at(node.pos),
        evidence: "cors_allowed_origins: *",
      }));
  },
});
