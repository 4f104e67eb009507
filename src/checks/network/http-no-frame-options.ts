import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

export const httpNoFrameOptions = defineCheck({
  id: "http/no-frame-options",
  title: "Home Assistant can be framed by other sites (no X-Frame-Options)",
  severity: "medium",
  area: "network",
  checklist: "reverse-proxy",
  formerIds: ["network/ha-no-frame-options"],
  needs: ["network"],
  description:
    "Since 2023.9 Home Assistant sends `X-Frame-Options: SAMEORIGIN` so that another website cannot show it in " +
    "a hidden frame and trick a logged-in user into clicking (clickjacking, CVE-2023-41897). The header is " +
    "missing here: `http: use_x_frame_options: false` is set, the version is older, or a proxy strips it.",
  remediation:
    "Remove `use_x_frame_options: false` from the `http:` settings (unless a dashboard must be framed by a site " +
    "you own: then set `Content-Security-Policy: frame-ancestors` for that site in the proxy), update Home " +
    "Assistant, and make sure the proxy passes the header through.",
  sources: [
    "https://github.com/home-assistant/core/security/advisories/GHSA-935v-rmg9-44mw (CVE-2023-41897)",
    "https://www.home-assistant.io/integrations/http/#use_x_frame_options",
    "shared/ha-facts.md §2 (headers middleware)",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const http = open.port.http;
      if (http?.homeAssistant === undefined || http.securityHeaders.xFrameOptions !== undefined) return [];
      if (http.securityHeaders.contentSecurityPolicy?.includes("frame-ancestors")) return [];
      return [
        {
          message: `Home Assistant at ${hostPort(open)} sends no X-Frame-Options header.`,
          location: open.location,
          evidence: `GET / → ${http.status}, headers: ${Object.keys(http.securityHeaders).join(", ") || "none of the security headers"}`,
        },
      ];
    });
  },
});
