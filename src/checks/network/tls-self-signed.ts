import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

export const tlsSelfSigned = defineCheck({
  id: "tls/self-signed",
  title: "Self-signed or untrusted TLS certificate",
  severity: "medium",
  area: "network",
  checklist: "tls",
  formerIds: ["network/tls-self-signed"],
  needs: ["network"],
  description:
    "Nobody vouches for a self-signed certificate, so clients cannot tell it from an attacker's: every visitor " +
    "must click through a warning or turn verification off, after which a man in the middle goes unnoticed. " +
    'Home Assistant even creates one on its own ("Home Assistant Emergency Certificate") when its configured ' +
    "certificate fails to load — a sign that something broke.",
  remediation:
    "Use a certificate from a public authority (Let's Encrypt through the DuckDNS or Let's Encrypt add-on, or " +
    "the reverse proxy), or Nabu Casa's remote UI. If the emergency certificate is in use, fix `ssl_certificate`.",
  sources: [
    "shared/ha-facts.md §2 (Home Assistant Emergency Certificate)",
    "https://www.home-assistant.io/integrations/http/#ssl_certificate",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const info = open.port.tlsInfo;
      const cert = info?.certificate;
      if (info === undefined || cert === undefined) return [];
      const untrusted =
        info.trustError !== undefined && /SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY/.test(info.trustError);
      if (!cert.selfSigned && !untrusted) return [];
      const what = cert.selfSigned ? "is self-signed" : "is not signed by an authority this machine trusts";
      const emergency = cert.subject.includes("Home Assistant Emergency")
        ? " It is Home Assistant's emergency certificate: its configured one failed to load."
        : "";
      return [
        {
          message: `The certificate of ${hostPort(open)} ${what}.${emergency}`,
          location: open.location,
          evidence: `subject ${cert.subject}; issuer ${cert.issuer}${info.trustError ? `; ${info.trustError}` : ""}`,
        },
      ];
    });
  },
});
