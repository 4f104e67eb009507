import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { isArchive, publicUrlOf } from "./www-files.js";

export const backupsArchiveInConfig = defineCheck({
  id: "backups/archive-in-config",
  title: "Backup archive inside the configuration folder",
  severity: "medium",
  area: "config",
  checklist: "backups",
  needs: ["config"],
  description:
    "A backup archive (`.tar`, `.tar.gz`, `.zip`, ...) lies in the configuration folder. A Home Assistant backup " +
    "contains everything: `secrets.yaml`, `.storage/auth` (whoever has it can mint admin tokens), the password " +
    "hashes and every integration's credentials. The configuration folder is the one that gets shared: Samba " +
    "`config` share, the File editor, git repositories, other backups. Under `www/` the archive is downloadable by " +
    "anyone without login (high). Home Assistant Container/Core installs write their own backups to `backups/`; " +
    "those are reported as low: expected there, but make sure that folder is excluded from git and shares.",
  remediation:
    "Move backups out of the configuration folder to storage only the owner can reach (and off the machine), " +
    "delete any archive from `www/` at once and rotate the credentials it contained, and keep `backups/` and " +
    "`*.tar` in `.gitignore`.",
  sources: [
    "homeassistant/components/backup (Core and Container installs keep backups in <config>/backups)",
    "homeassistant/components/frontend and http/static.py (`/local/` serves <config>/www without authentication)",
    '"Home Assistant, avoiding insecurity" (community blog post, 2018: backups)',
  ],
  run(facts) {
    const config = facts.config;
    if (config === undefined) return [];
    const findings: FindingDraft[] = [];
    for (const file of config.files) {
      if (file.type !== "file" || !isArchive(file.path)) continue;
      const inWww = file.path.startsWith("www/");
      const ownBackup = /^backups\/[^/]+\.tar$/.test(file.path);
      findings.push({
        severity: inWww ? "high" : ownBackup ? "low" : "medium",
        message: inWww
          ? `Archive ${file.path} is downloadable by anyone at ${publicUrlOf(file.path)}.`
          : ownBackup
            ? `Home Assistant backup ${file.path} is kept inside the configuration folder.`
            : `Archive ${file.path} lies inside the configuration folder, which is shared more widely than backups should be.`,
        location: { file: file.path },
        evidence: `${file.path} (${formatSize(file.size)})`,
      });
    }
    return findings;
  },
});

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
