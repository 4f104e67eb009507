import path from "node:path";
import { defineCheck } from "../../model/check.js";
import { gitExposureFindings } from "./git-exposure.js";

/** Files whose whole purpose is to hold secrets, outside `.storage` (see secrets/storage-in-git). */
export function isSecretFile(file: string): boolean {
  const base = path.posix.basename(file);
  return (
    base === "secrets.yaml" ||
    isZigbee2mqttSecretsFile(file) ||
    base === ".env" ||
    (/^\.env\.[\w-]+$/.test(base) && !/\.(example|sample|template)$/.test(base)) ||
    /^(id_rsa|id_ecdsa|id_ed25519)$/.test(base) ||
    /\.(key|p12|pfx)$/i.test(base) ||
    /^privkey.*\.pem$/i.test(base)
  );
}

/** zigbee2mqtt's own secrets file: `secret.yaml` beside its `configuration.yaml` (`'!secret name'` references). */
export function isZigbee2mqttSecretsFile(file: string): boolean {
  return /(^|\/)[^/]*zigbee2mqtt[^/]*\/(.+\/)?secret\.yaml$/i.test(file);
}

export const secretsGitTracked = defineCheck({
  id: "secrets/git-tracked",
  title: "Secrets file tracked by git or not ignored",
  severity: "critical",
  area: "config",
  checklist: "secrets",
  needs: ["config"],
  description:
    "Many owners keep their configuration in a git repository, often pushed to GitHub to share it. `secrets.yaml`, " +
    "`.env` files and private keys must never be in it: once committed, the secret stays in the history and on " +
    "every clone even after the file is deleted, and public repositories are scanned for credentials within " +
    "minutes. A tracked secrets file is critical; one that exists but is not listed in `.gitignore` is medium, " +
    "because the next `git add .` commits it.",
  remediation:
    "Add `secrets.yaml` (and `.env`, `*.key`, `.storage/`, `.cloud/`) to `.gitignore`. For a tracked file: " +
    "`git rm --cached secrets.yaml`, change every credential it contained (the old values stay in the history), " +
    "and if the repository was pushed, rewrite the history (git filter-repo) or treat it as public.",
  sources: [
    "https://www.home-assistant.io/docs/configuration/secrets/",
    'Home Assistant Community guide "Securing Your Home Assistant Instance" (secrets and public repositories)',
  ],
  run(facts) {
    const config = facts.config;
    return gitExposureFindings(
      config,
      isSecretFile,
      { tracked: "critical", unignored: "medium" },
      () => "Secrets file",
    );
  },
});
