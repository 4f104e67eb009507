import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { problemKey } from "../../model/problems.js";

/** The stores that must stay private to Home Assistant's account, and why (for the message). */
const PRIVATE_STORES: Record<string, string> = {
  auth: "holds every refresh token and the keys that sign access tokens: whoever reads it can mint an admin token",
  "auth_module.totp":
    "holds every user's authenticator (TOTP) secret in clear: whoever reads it can produce the second factor",
  "auth_provider.homeassistant": "holds the password hashes, which can be attacked offline",
};

export const secretsStorageFileModes = defineCheck({
  id: "secrets/storage-file-modes",
  title: "Authentication store readable by other accounts",
  severity: "high",
  area: "storage",
  checklist: "secrets",
  formerIds: ["storage/private-file-modes"],
  needs: ["storage"],
  description:
    "`.storage/auth` holds the refresh tokens and each token's `jwt_key`: anyone who reads the file can sign " +
    "a valid access token for any user, owner included, with no password and no MFA. `.storage/auth_module.totp` " +
    "holds the TOTP secrets in clear, and `auth_provider.homeassistant` the password hashes. Home Assistant " +
    "writes these stores private (mode 600); a restore, a copy, a backup tool or a hand edit can leave them " +
    "readable by other accounts on the machine (other services, add-ons, a compromised web application).",
  remediation:
    "`chmod 600 .storage/auth .storage/auth_module.totp .storage/auth_provider.homeassistant`, owned by the account Home Assistant runs as.",
  sources: [
    "homeassistant/helpers/storage.py (Store(private=True) writes mode 0o600)",
    "homeassistant/auth/auth_store.py (refresh tokens and jwt_key)",
    "homeassistant/auth/mfa_modules/totp.py (ota_secret stored in clear)",
    "shared ha-facts.md §3",
  ],
  run(facts) {
    const storage = facts.storage;
    const findings: FindingDraft[] = [];
    for (const file of storage.files) {
      const why = PRIVATE_STORES[file.name];
      if (why === undefined) continue;
      const world = (file.mode & 0o004) !== 0;
      const group = (file.mode & 0o040) !== 0;
      if (!world && !group) continue;
      const mode = file.mode.toString(8).padStart(3, "0");
      const critical = file.name !== "auth_provider.homeassistant";
      findings.push({
        severity: world ? (critical ? "high" : "medium") : critical ? "medium" : "low",
        message: `${file.path} is readable by ${world ? "every account on the machine" : "its group"} (mode ${mode}); it ${why}.`,
        location: { file: file.path },
        evidence: `mode ${mode}`,
        problem: problemKey.fileReadable(file.path),
      });
    }
    return findings;
  },
});
