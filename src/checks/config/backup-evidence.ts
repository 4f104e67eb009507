import path from "node:path";
import type { ConfigFileInfo } from "../../model/config-facts.js";
import { isPrecompressedAsset } from "../../model/file-kinds.js";
import { isArchive } from "./www-files.js";

/**
 * Whether a file is a backup of the configuration, judged by what it holds rather than by its extension: a
 * backup is what Home Assistant, an add-on or a person makes of the configuration — a Home Assistant backup
 * (`backup.json` beside `homeassistant.tar.gz`, homeassistant/components/backup and the Supervisor's backup
 * format), an archive holding `configuration.yaml`, `secrets.yaml` or `.storage`, a database dump, a `.bak`
 * copy of the secrets or of `.storage`. Precompressed web assets, card and integration releases, fonts,
 * images, sounds and the recorder database are not.
 */
export type BackupVerdict =
  | { kind: "backup"; why: string; homeAssistant: boolean }
  | { kind: "not-backup" }
  | { kind: "unknown"; why: string };

export function judgeBackup(file: ConfigFileInfo): BackupVerdict {
  if (file.type !== "file" || isPrecompressedAsset(file.path) || file.content === "media")
    return { kind: "not-backup" };
  const base = path.posix.basename(file.path);
  if (file.archive !== undefined) return fromListing(file);
  const copy =
    /^(secrets\.yaml|auth|auth_provider\.homeassistant|auth_module\.\w+|core\.config_entries)\.(bak|old|orig|backup|save)$/.exec(
      base,
    );
  if (copy !== null && (copy[1] === "secrets.yaml" || file.path.startsWith(".storage/"))) {
    return { kind: "backup", why: `a copy of ${copy[1]}`, homeAssistant: false };
  }
  if (/\.(sql|dump)$/i.test(base)) return { kind: "backup", why: "a database dump", homeAssistant: false };
  if (isArchive(file.path)) {
    return {
      kind: "unknown",
      why: `is named like an archive, but its content is not one that can be listed (${file.contentType ?? "unread"})`,
    };
  }
  return { kind: "not-backup" };
}

function fromListing(file: ConfigFileInfo): BackupVerdict {
  const listing = file.archive as NonNullable<ConfigFileInfo["archive"]>;
  const evidence = backupEvidence(listing.entries);
  if (evidence !== undefined) return { kind: "backup", ...evidence };
  if (listing.complete) return { kind: "not-backup" };
  // HACS keeps the release archives of cards and integrations it installs beside them
  if (/^(www\/community|custom_components)\//.test(file.path)) return { kind: "not-backup" };
  return { kind: "unknown", why: `could not be looked into (${listing.problem ?? "listing incomplete"})` };
}

/** What in an archive's listing makes it a backup of the configuration, in words. */
export function backupEvidence(entries: readonly string[]): { why: string; homeAssistant: boolean } | undefined {
  const names = entries.map((entry) => entry.replace(/^(\.\/)+/, "").replace(/\\/g, "/"));
  const marker = names.find((n) => n === "backup.json" || /^homeassistant\.tar(\.gz)?$/.test(n));
  if (marker !== undefined)
    return { why: `a Home Assistant backup (its listing shows ${marker})`, homeAssistant: true };
  const holds: string[] = [];
  if (names.some((n) => path.posix.basename(n) === "secrets.yaml")) holds.push("secrets.yaml");
  if (names.some((n) => /(^|\/)\.storage(\/|$)/.test(n))) holds.push(".storage");
  if (names.some((n) => path.posix.basename(n) === "configuration.yaml")) holds.push("configuration.yaml");
  if (names.some((n) => /\.(sql|dump)$/i.test(n) || path.posix.basename(n) === "home-assistant_v2.db")) {
    holds.push("a database");
  }
  if (holds.length === 0) return undefined;
  return { why: `an archive of the configuration (it holds ${holds.join(", ")})`, homeAssistant: false };
}
