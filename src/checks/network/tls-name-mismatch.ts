import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

export const tlsNameMismatch = defineCheck({
  id: "tls/name-mismatch",
  title: "TLS certificate does not match the host name",
  severity: "medium",
  area: "network",
  checklist: "tls",
  formerIds: ["network/tls-name-mismatch"],
  needs: ["network"],
  description:
    "A certificate is valid only for the names (or addresses) it lists. When the name you scanned is not among " +
    "them, clients show a warning or refuse, and people learn to accept warnings. When you scanned an address " +
    "rather than the name people use, scan the name to get a meaningful answer.",
  remediation:
    "Get a certificate for the name used to reach this service (include every name in subjectAltName), or reach " +
    "the service by the name the certificate was made for.",
  sources: ["https://www.rfc-editor.org/rfc/rfc6125"],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const cert = open.port.tlsInfo?.certificate;
      if (cert?.nameMatches !== false || cert.checkedName === undefined) return [];
      return [
        {
          message: `The certificate of ${hostPort(open)} is not valid for "${cert.checkedName}".`,
          location: open.location,
          evidence: `subject ${cert.subject}; ${cert.subjectAltName ? `subjectAltName ${cert.subjectAltName}` : "no subjectAltName"}`,
        },
      ];
    });
  },
});
