import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

export const tlsOldProtocol = defineCheck({
  id: "tls/old-protocol",
  title: "TLS 1.0 or 1.1 accepted",
  severity: "medium",
  area: "network",
  checklist: "tls",
  formerIds: ["network/tls-old-protocol"],
  needs: ["network"],
  description:
    "TLS 1.0 and 1.1 were deprecated in 2021 (RFC 8996): they rely on SHA-1 and older cipher constructions with " +
    "known attacks (BEAST, POODLE-style downgrades). Every current browser and Home Assistant app speaks TLS " +
    "1.2 or 1.3, so accepting the old versions only helps an attacker who can force a downgrade.",
  remediation:
    "Allow only TLS 1.2 and 1.3 (nginx: `ssl_protocols TLSv1.2 TLSv1.3;`; Home Assistant's own TLS: " +
    "`http: ssl_profile: modern`).",
  sources: ["https://www.rfc-editor.org/rfc/rfc8996", "https://www.home-assistant.io/integrations/http/#ssl_profile"],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const old = open.port.tlsInfo?.accepted.filter((v) => v === "TLSv1" || v === "TLSv1.1") ?? [];
      if (old.length === 0) return [];
      return [
        {
          message: `${hostPort(open)} completes TLS handshakes with ${old.join(" and ")}.`,
          location: open.location,
          evidence: `accepted: ${open.port.tlsInfo?.accepted.join(", ")}`,
        },
      ];
    });
  },
});
