import path from "node:path";
import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import type { Severity } from "../../model/severity.js";
import { findCredentialShapes } from "./credential-shapes.js";
import { judgeFile, judgementSentence } from "./file-judgement.js";
import { isArchive, publicUrlOf, WWW_SOURCES, wwwFiles } from "./www-files.js";

interface Sensitivity {
  why: string;
  severity: Severity;
}

/**
 * Why a file in www/ must not be public, or undefined for ordinary web assets. Archives: see
 * backups/archive-in-config. Third-party code (a HACS card's folder, a bundle) ships its own example YAML and
 * JSON; there only a real private key counts.
 */
export function sensitivityOf(file: string, text: string | undefined, thirdParty = false): Sensitivity | undefined {
  if (isArchive(file)) return undefined;
  const privateKey =
    text?.includes("PRIVATE KEY-----") === true && findCredentialShapes(text).some((m) => m.kind === "private key");
  if (thirdParty) return privateKey ? { why: "a private key (in third-party code)", severity: "high" } : undefined;
  const base = path.posix.basename(file).toLowerCase();
  if (base === "secrets.yaml") return { why: "the secrets file", severity: "critical" };
  if (
    file.includes("/.storage/") ||
    /^(auth|auth_provider\.homeassistant|auth_module\.\w+|core\.config_entries)$/.test(base)
  ) {
    return { why: "a copy of Home Assistant's .storage (tokens, password hashes)", severity: "critical" };
  }
  if (
    privateKey ||
    /\.(key|p12|pfx)$/.test(base) ||
    /^(id_rsa|id_ecdsa|id_ed25519)$/.test(base) ||
    /^privkey.*\.pem$/.test(base)
  ) {
    return { why: "a private key", severity: "critical" };
  }
  if (/\.(db|sqlite3?|db-wal|db-shm)$/.test(base))
    return { why: "a database (history, states, possibly tokens)", severity: "high" };
  if (/\.(ya?ml)$/.test(base)) return { why: "Home Assistant-style YAML configuration", severity: "high" };
  if (base === ".env" || base.startsWith(".env.") || /\.(conf|ini|cfg)$/.test(base))
    return { why: "a configuration file", severity: "high" };
  if (/\.(bak|old|orig|backup|swp)$|~$/.test(base)) return { why: "an editor or backup copy", severity: "high" };
  if (/\.log(\.\d+)?$/.test(base)) return { why: "a log file (addresses, errors, sometimes tokens)", severity: "high" };
  if (/\.(json)$/.test(base) && /\b(password|token|refresh_token|api_key)\b/i.test(text ?? "")) {
    return { why: "JSON with credential fields", severity: "high" };
  }
  return undefined;
}

export const wwwSensitiveFile = defineCheck({
  id: "www/sensitive-file",
  title: "Sensitive file served publicly from www/",
  severity: "high",
  area: "config",
  checklist: "public-files",
  needs: ["config"],
  description:
    "A file that should never be public sits in `www/`, which Home Assistant serves at `/local/...` without " +
    "login: YAML configuration, databases, logs, editor backups, `.env` files, keys, or copies of `.storage`. " +
    "Anyone who guesses or learns the name downloads it. Copies of `secrets.yaml`, of `.storage` auth files and " +
    "private keys are critical (they give away the home); the rest is high. Backup archives are reported by " +
    "backups/archive-in-config. A HACS card's own files (`www/community/`) count only for a private key with a " +
    "body, and example files (`*example*`) are information (see docs/precision.md).",
  remediation:
    "Delete the file from `www/` (keep a private copy outside the configuration folder if needed), then rotate " +
    "whatever it contained that could have been downloaded: passwords, tokens, keys.",
  sources: [...WWW_SOURCES],
  run(facts) {
    const config = facts.config;
    const findings: FindingDraft[] = [];
    for (const file of wwwFiles(config)) {
      const judgement = judgeFile(config, file.path);
      const sensitivity = sensitivityOf(file.path, config.texts.get(file.path), judgement.role === "third-party");
      if (sensitivity === undefined) continue;
      findings.push({
        // an example file (`www/example-config.yaml`) is public but holds nothing of the home's
        severity: judgement.role === "example" ? "info" : sensitivity.severity,
        message: `${file.path} is ${sensitivity.why}, downloadable by anyone at ${publicUrlOf(file.path)}.${judgementSentence(judgement)}`,
        location: { file: file.path },
        evidence: `public URL ${publicUrlOf(file.path)}`,
      });
    }
    return findings;
  },
});
