import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

export const tlsWeakKey = defineCheck({
  id: "tls/weak-key",
  title: "TLS certificate key too small",
  severity: "medium",
  area: "network",
  checklist: "tls",
  formerIds: ["network/tls-weak-key"],
  needs: ["network"],
  description:
    "RSA and DSA keys below 2048 bits are within reach of well-funded attackers and are refused by current " +
    "browsers and by OpenSSL's default security level; elliptic-curve keys below 224 bits likewise. A weak key " +
    "lets whoever factors it impersonate the server.",
  remediation: "Issue a new certificate with an RSA key of 2048 bits or more, or an ECDSA P-256 key.",
  sources: ["https://csrc.nist.gov/pubs/sp/800/131/a/r2/final (NIST SP 800-131A transitions)"],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const cert = open.port.tlsInfo?.certificate;
      if (cert === undefined) return [];
      const rsaLike =
        (cert.keyType === "rsa" || cert.keyType === "dsa" || cert.keyType === "rsa-pss") &&
        (cert.keyBits ?? 4096) < 2048;
      const weakCurve = cert.curve !== undefined && /(secp|prime)(112|128|160|192)/.test(cert.curve);
      if (!rsaLike && !weakCurve) return [];
      return [
        {
          message: `The certificate of ${hostPort(open)} uses a weak ${cert.keyType} key.`,
          location: open.location,
          evidence: `${cert.keyType} ${cert.keyBits === undefined ? cert.curve : `${cert.keyBits} bits`}`,
        },
      ];
    });
  },
});
