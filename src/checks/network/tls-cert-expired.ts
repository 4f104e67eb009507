import { defineCheck } from "../../model/check.js";
import { count } from "../../model/words.js";
import { hostPort, openPorts } from "./open-ports.js";

const SOON_DAYS = 14;
const DAY_MS = 86_400_000;

export const tlsCertExpired = defineCheck({
  id: "tls/cert-expired",
  title: "TLS certificate expired or about to expire",
  severity: "high",
  area: "network",
  checklist: "tls",
  formerIds: ["network/tls-cert-expired"],
  needs: ["network"],
  description:
    "An expired certificate makes the apps refuse to connect and teaches people to click through browser " +
    "warnings — which is exactly what an attacker's fake certificate needs. Let's Encrypt certificates last 90 " +
    "days and expire when renewal silently stops (a stopped add-on, a closed port 80 for the challenge). " +
    `Also reported, at low severity, when fewer than ${SOON_DAYS} days are left.`,
  remediation:
    "Renew the certificate (Let's Encrypt / DuckDNS add-on: check its log; certbot: `certbot renew`), reload " +
    "the server, and make renewal automatic.",
  sources: [
    "https://letsencrypt.org/docs/faq/#what-is-the-lifetime-for-let-s-encrypt-certificates-for-how-long-are-they-valid",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const cert = open.port.tlsInfo?.certificate;
      if (cert === undefined) return [];
      const validTo = Date.parse(cert.validTo);
      const left = validTo - facts.now.getTime();
      const evidence = `notAfter ${cert.validTo}, subject ${cert.subject}`;
      if (left < 0) {
        return [
          {
            message: `The certificate of ${hostPort(open)} expired on ${cert.validTo.slice(0, 10)}.`,
            location: open.location,
            evidence,
          },
        ];
      }
      if (Date.parse(cert.validFrom) > facts.now.getTime()) {
        return [
          {
            severity: "medium" as const,
            message: `The certificate of ${hostPort(open)} is not valid before ${cert.validFrom.slice(0, 10)} (check the server clock).`,
            location: open.location,
            evidence,
          },
        ];
      }
      if (left < SOON_DAYS * DAY_MS) {
        return [
          {
            severity: "low" as const,
            message: `The certificate of ${hostPort(open)} ${expiresIn(Math.floor(left / DAY_MS))} (${cert.validTo.slice(0, 10)}).`,
            location: open.location,
            evidence,
          },
        ];
      }
      return [];
    });
  },
});

/** `expires in 3 days`, `expires in 1 day`, `expires within a day`. */
export function expiresIn(days: number): string {
  return days < 1 ? "expires within a day" : `expires in ${count(days, "day")}`;
}
