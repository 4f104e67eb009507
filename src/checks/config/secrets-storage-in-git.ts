import { defineCheck } from "../../model/check.js";
import { gitExposureFindings } from "./git-exposure.js";

/**
 * `.storage` files that grant access: the auth store (refresh tokens and the keys that sign access tokens),
 * password hashes, MFA secrets, and the config entries (integration tokens and passwords); `.cloud` holds
 * the Nabu Casa session.
 */
export function isAccessStorageFile(file: string): boolean {
  return (
    file === ".storage/auth" ||
    file.startsWith(".storage/auth_provider.") ||
    file.startsWith(".storage/auth_module.") ||
    file === ".storage/core.config_entries" ||
    file.startsWith(".cloud/")
  );
}

export const storageInGit = defineCheck({
  id: "secrets/storage-in-git",
  title: "Home Assistant auth storage inside a git repository",
  severity: "critical",
  area: "config",
  checklist: "secrets",
  needs: ["config"],
  description:
    "`.storage/auth` holds every refresh token and the keys that sign access tokens: anyone with the file can " +
    "mint a valid admin token. `.storage/auth_provider.homeassistant` holds the password hashes, `.storage/" +
    "auth_module.totp` the MFA secrets, `.storage/core.config_entries` the tokens and passwords of integrations set " +
    "up in the UI, and `.cloud/` the Nabu Casa session. Tracked by git, they are in the history of every clone " +
    "and remote (critical); not ignored, they are one `git add .` away (high).",
  remediation:
    "Add `.storage/` and `.cloud/` to `.gitignore`. If they were committed: `git rm -r --cached .storage .cloud`, " +
    "revoke every refresh and long-lived token (Profile → Security), change the passwords of the users, re-create " +
    "MFA, and rotate the integration credentials; the old files remain in the history.",
  sources: [
    "homeassistant/auth/auth_store.py",
    "homeassistant/auth/auth_store.py (refresh tokens with the jwt_key that signs their access tokens)",
  ],
  run(facts) {
    const config = facts.config;
    return gitExposureFindings(
      config,
      isAccessStorageFile,
      { tracked: "critical", unignored: "high" },
      () => "Access storage file",
    );
  },
});
