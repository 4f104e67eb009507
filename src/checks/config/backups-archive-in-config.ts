import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import type { Severity } from "../../model/severity.js";
import { type BackupVerdict, judgeBackup } from "./backup-evidence.js";
import { gitState } from "./git-exposure.js";
import { isArchive, publicUrlOf } from "./www-files.js";

export const backupsArchiveInConfig = defineCheck({
  id: "backups/archive-in-config",
  title: "Backup archive inside the configuration folder",
  severity: "medium",
  area: "config",
  checklist: "backups",
  needs: ["config"],
  description:
    "A backup of the configuration lies in the configuration folder. A Home Assistant backup contains everything: " +
    "`secrets.yaml`, `.storage/auth` (whoever has it can mint admin tokens), the password hashes and every " +
    "integration's credentials. The configuration folder is the one that gets shared: Samba `config` share, the " +
    "File editor, git repositories, other backups. A file is called a backup by what it holds, read from the " +
    "archive's listing (a bounded read of a zip's central directory or a tar's headers, never an extraction): " +
    "Home Assistant backups (`backup.json`), archives holding `configuration.yaml`, `secrets.yaml` or `.storage`, " +
    "database dumps, `.bak` copies of the secrets or of `.storage`. Precompressed web assets (`card.js.gz`), the " +
    "release archives HACS keeps beside cards and integrations, fonts, images, sounds and the recorder database " +
    "are not backups and are not reported. Under `www/` a backup is downloadable by anyone without login " +
    "(critical); an archive whose content could not be listed is reported for what it might be (medium, high " +
    "under `www/`). Home Assistant Container/Core installs write their own backups to `backups/`: low, expected " +
    "there, but keep that folder out of git and shares.",
  remediation:
    "Move backups out of the configuration folder to storage only the owner can reach (and off the machine), " +
    "delete any archive from `www/` at once and rotate the credentials it contained, and keep `backups/` and " +
    "`*.tar` in `.gitignore`.",
  sources: [
    "homeassistant/components/backup (Core and Container installs keep backups in <config>/backups; backup.json)",
    "homeassistant/components/frontend and http/static.py (`/local/` serves <config>/www without authentication)",
    "hacs/integration custom_components/hacs/handler/download.py (async_save_file writes a .gz twin of every .js and .css it saves)",
    '"Home Assistant, avoiding insecurity" (community blog post, 2018: backups)',
  ],
  run(facts) {
    const config = facts.config;
    const findings: FindingDraft[] = [];
    for (const file of config.files) {
      const verdict = judgeBackup(file);
      if (verdict.kind === "not-backup") continue;
      const inWww = file.path.startsWith("www/");
      const ownBackupsFolder = /^backups\/[^/]+\.tar$/.test(file.path);
      const tracked = gitState(config, file.path) === "tracked";
      findings.push({
        severity: severityOf(verdict, inWww, ownBackupsFolder, tracked),
        message: messageOf(file.path, verdict, inWww, ownBackupsFolder, tracked),
        location: { file: file.path },
        evidence: `${file.path} (${formatSize(file.size)})`,
      });
    }
    return findings;
  },
});

function severityOf(verdict: BackupVerdict, inWww: boolean, ownBackupsFolder: boolean, tracked: boolean): Severity {
  if (verdict.kind === "backup") {
    if (inWww) return "critical";
    if (tracked) return "high";
    return ownBackupsFolder && verdict.homeAssistant ? "low" : "medium";
  }
  if (inWww) return "high";
  return ownBackupsFolder ? "low" : "medium";
}

function messageOf(
  file: string,
  verdict: Exclude<BackupVerdict, { kind: "not-backup" }>,
  inWww: boolean,
  ownBackupsFolder: boolean,
  tracked: boolean,
): string {
  const what = verdict.kind === "backup" ? `${file} is ${verdict.why}` : `${file} may be a backup: it ${verdict.why}`;
  const where = inWww
    ? `, downloadable by anyone at ${publicUrlOf(file)}.`
    : ownBackupsFolder && verdict.kind === "backup" && verdict.homeAssistant
      ? ", kept in Home Assistant's own backups/ folder inside the configuration folder."
      : ", inside the configuration folder, which is shared more widely than backups should be.";
  const git = tracked ? " It is tracked by git: it is in the repository history and on every clone." : "";
  const kind = verdict.kind === "unknown" && !isArchive(file) ? " (its content says archive, not its name)" : "";
  return `${what}${kind}${where}${git}`;
}

function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}
