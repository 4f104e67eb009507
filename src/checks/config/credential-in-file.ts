import path from "node:path";
import { defineCheck } from "../../model/check.js";
import type { ConfigFacts } from "../../model/config-facts.js";
import type { FindingDraft } from "../../model/finding.js";
import { findCredentialShapes, isSourceCode, scanText } from "./credential-patterns.js";

/**
 * Files this check leaves alone: `secrets.yaml` is where secrets belong; `.storage` and `.cloud` hold tokens by
 * design (the storage checks judge them); YAML Home Assistant loads is judged value by value by
 * secrets/inline-credential; `custom_components` is third-party code whose constants are not the owner's secrets.
 */
export function isOutOfScope(config: ConfigFacts, file: string, loaded: Set<string>): boolean {
  return (
    path.posix.basename(file) === "secrets.yaml" ||
    file.startsWith(".storage/") ||
    file.startsWith(".cloud/") ||
    file.startsWith("custom_components/") ||
    loaded.has(file) ||
    file === config.haVersion?.file
  );
}

/** Words for the message: what kind of file the credential was found in. */
export function describeFile(file: string, text: string): string {
  const base = path.posix.basename(file).toLowerCase();
  if (file.startsWith("www/")) return "a public www/ file";
  if (/^(docker-)?compose\.ya?ml$|^docker-compose\..*\.ya?ml$/.test(base)) return "a Docker Compose file";
  if (base === ".env" || base.startsWith(".env.")) return "an environment file";
  if (/\.ya?ml$/.test(base) && /^esphome:/m.test(text)) return "an ESPHome device file";
  if (/\.code-workspace$|^\.vscode\/|^\.idea\//.test(file) || file.includes("/.vscode/")) return "an editor workspace";
  if (base === "options.json") return "add-on options";
  if (/\.(conf|cfg|ini)$/.test(base)) return "a configuration file";
  return "a file";
}

export const credentialInFile = defineCheck({
  id: "secrets/credential-in-file",
  title: "Credential stored in a file outside Home Assistant's YAML",
  severity: "high",
  area: "config",
  checklist: "secrets",
  needs: ["config"],
  description:
    "A credential sits in a file of the configuration folder that is not Home Assistant's own YAML: an ESPHome " +
    "device file (API encryption key, OTA or Wi-Fi password), an editor workspace, a `.conf`/`.env`/Docker Compose " +
    "file, add-on options, JavaScript under `www/`, or a database — Home Assistant access tokens (JWTs), private " +
    "keys, URLs with passwords, `password = ...` assignments. The whole folder gets copied into backups, Samba " +
    "shares, git repositories and forum posts. A Home Assistant access token is critical (it is admin access until " +
    "it expires, ten years for long-lived ones), and so is anything under `www/`, which is public. `!secret` " +
    "references, `secrets.yaml`, `.storage` and `.cloud` are not reported.",
  remediation:
    "Move the value into a secrets file the tool supports (`secrets.yaml` for ESPHome too, `.env` kept out of git " +
    "for Compose) and reference it; delete tokens from files and revoke them in the user profile (Security → " +
    "Long-lived access tokens); never put credentials in `www/`. Rotate any credential that was shared.",
  sources: [
    "https://www.esphome.io/guides/security_best_practices (API encryption keys and OTA passwords belong in secrets.yaml)",
    "HallyAus/SecretSentry user reports (false positives on `!secret`, secrets.yaml and `.cloud` avoided here)",
    "gitleaks and trufflehog secret patterns (JWTs, PEM private keys, URL userinfo)",
  ],
  run(facts) {
    const config = facts.config;
    if (config === undefined) return [];
    const loaded = new Set(config.loadedFiles);
    const findings: FindingDraft[] = [];
    for (const [file, text] of config.texts) {
      if (isOutOfScope(config, file, loaded)) continue;
      const where = describeFile(file, text);
      for (const match of scanText(text, { quotedOnly: isSourceCode(file) })) {
        findings.push({
          severity: file.startsWith("www/") ? "critical" : match.severity,
          message: `${capitalize(match.kind)} in ${where}${match.detail ? ` (${match.detail})` : ""}.`,
          location: { file, line: match.line, column: match.column },
          evidence: match.evidence,
        });
      }
    }
    for (const [file, strings] of config.binaryStrings) {
      if (isOutOfScope(config, file, loaded)) continue;
      const seen = new Set<string>();
      for (const match of findCredentialShapes(strings)) {
        if (seen.has(match.evidence)) continue;
        seen.add(match.evidence);
        findings.push({
          severity: file.startsWith("www/") ? "critical" : match.severity,
          message: `${capitalize(match.kind)} inside the binary file ${file}${match.detail ? ` (${match.detail})` : ""}.`,
          location: { file },
          evidence: match.evidence,
        });
      }
    }
    return findings;
  },
});

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
