import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

export const httpNoHsts = defineCheck({
  id: "http/no-hsts",
  title: "HTTPS without Strict-Transport-Security",
  severity: "low",
  area: "network",
  checklist: "reverse-proxy",
  formerIds: ["network/http-no-hsts"],
  needs: ["network"],
  description:
    "Without the `Strict-Transport-Security` header a browser that is sent to `http://` once (a typed address, " +
    "an attacker on the Wi-Fi) will talk plain HTTP, and the attacker can keep it there (SSL stripping). Home " +
    "Assistant itself never sends HSTS, so the header has to come from the reverse proxy in front of it.",
  remediation:
    "Add `Strict-Transport-Security: max-age=31536000` in the reverse proxy (nginx: `add_header " +
    'Strict-Transport-Security "max-age=31536000" always;`), once HTTPS works for every name you use.',
  sources: [
    "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security",
    "shared/ha-facts.md §2 (headers middleware: no HSTS or CSP)",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const http = open.port.http;
      if (http === undefined || !http.tls || http.securityHeaders.strictTransportSecurity !== undefined) return [];
      if (http.bannedResponse !== undefined) return [];
      return [
        {
          message: `https://${hostPort(open)}/ sends no Strict-Transport-Security header.`,
          location: open.location,
          evidence: `GET / → ${http.status}, no strict-transport-security`,
        },
      ];
    });
  },
});
