import path from "node:path";
import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { problemKey } from "../../model/problems.js";
import { judgeFile } from "./file-judgement.js";
import { looksLive } from "./installation.js";
import { holdsOnlyPlaceholders } from "./placeholder-secrets.js";

/** Files that hold secrets by design: `secrets.yaml` anywhere, and the auth stores in `.storage`. */
export function isSecretStoreFile(file: string): boolean {
  return (
    path.posix.basename(file) === "secrets.yaml" ||
    file === ".storage/auth" ||
    file.startsWith(".storage/auth_provider.") ||
    file.startsWith(".storage/auth_module.")
  );
}

export const secretFilePermissions = defineCheck({
  id: "secrets/file-permissions",
  title: "Secrets file readable by other users",
  severity: "high",
  area: "config",
  checklist: "secrets",
  needs: ["config"],
  description:
    "`secrets.yaml` holds every password of the configuration (and ESPHome's `secrets.yaml` the Wi-Fi, API and OTA " +
    "keys of the devices). A copy, a restore or an editor can leave it readable by every account on the machine " +
    "(other services, add-ons, a compromised web app). Readable by all users is high; readable by the file's " +
    "group is medium. (`.storage/auth*` files are judged by secrets/storage-file-modes.) Only a live installation " +
    "is judged (`.storage/`, the recorder database, or a `.HA_VERSION` git does not track): the file modes of a git " +
    "checkout say nothing about the server's.",
  remediation:
    "Restrict the file to its owner: `chmod 600 FILE` (and check the owner is the account Home Assistant runs as).",
  sources: [
    "homeassistant/helpers/storage.py (Store with private=True writes mode 0o600)",
    "homeassistant/auth/auth_store.py (refresh tokens and jwt_key in .storage/auth)",
  ],
  run(facts) {
    const config = facts.config;
    if (!looksLive(config)) return [];
    const findings: FindingDraft[] = [];
    for (const file of config.files) {
      // the .storage auth files have their own check with the storage facts: report each file once
      if (file.type !== "file" || !isSecretStoreFile(file.path) || file.path.startsWith(".storage/")) continue;
      const others = (file.mode & 0o004) !== 0;
      const group = (file.mode & 0o040) !== 0;
      if (!others && !group) continue;
      const mode = (file.mode & 0o777).toString(8).padStart(3, "0");
      const example = judgeFile(config, file.path);
      const placeholders = holdsOnlyPlaceholders(config, file.path);
      const harmless = placeholders
        ? "; it holds only placeholder values so far"
        : example.role === "example"
          ? `; it holds example values (${example.why})`
          : "";
      findings.push({
        severity: harmless !== "" ? "info" : others ? "high" : "medium",
        message: `${file.path} is readable by ${others ? "every user on the machine" : "its group"} (mode ${mode})${harmless}.`,
        location: { file: file.path },
        evidence: `mode ${mode}`,
        problem: problemKey.fileReadable(file.path),
      });
    }
    return findings;
  },
});
