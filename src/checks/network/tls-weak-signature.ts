import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

const WEAK = /^(md2|md5|sha1)With|WithSHA1$|^dsaWithSHA1$/i;

export const tlsWeakSignature = defineCheck({
  id: "tls/weak-signature",
  title: "TLS certificate signed with a broken hash (MD5 or SHA-1)",
  severity: "medium",
  area: "network",
  checklist: "tls",
  formerIds: ["network/tls-weak-signature"],
  needs: ["network"],
  description:
    "MD5 and SHA-1 collisions can be computed: a certificate signed with them can be forged (SHAttered, 2017). " +
    "Browsers stopped accepting SHA-1 certificates in 2017.",
  remediation: "Issue a new certificate signed with SHA-256 or better (any current tool does so by default).",
  sources: ["https://shattered.io/", "https://www.rfc-editor.org/rfc/rfc6194"],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const algorithm = open.port.tlsInfo?.certificate?.signatureAlgorithm;
      if (algorithm === undefined || !WEAK.test(algorithm)) return [];
      return [
        {
          message: `The certificate of ${hostPort(open)} is signed with ${algorithm}.`,
          location: open.location,
          evidence: `signatureAlgorithm ${algorithm}`,
        },
      ];
    });
  },
});
