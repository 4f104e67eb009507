import path from "node:path";
import { defineCheck } from "../../model/check.js";
import type { ConfigFacts } from "../../model/config-facts.js";
import type { FindingDraft } from "../../model/finding.js";
import type { Severity } from "../../model/severity.js";
import { scriptsRunByHomeAssistant } from "./command-line-credentials.js";
import { findCredentialShapes, isSourceCode, scanText, type ValueMatch } from "./credential-patterns.js";
import { realCredentialFingerprints } from "./example-values.js";
import { type FileJudgement, judgeFile, judgementSentence } from "./file-judgement.js";
import { isZigbee2mqttSecretsFile } from "./secrets-git-tracked.js";

/**
 * Files this check leaves alone: `secrets.yaml` (and zigbee2mqtt's `secret.yaml`) is where secrets belong; `.storage` and `.cloud` hold tokens by
 * design (the storage checks judge them); YAML Home Assistant loads is judged value by value by
 * secrets/inline-credential.
 */
export function isOutOfScope(config: ConfigFacts, file: string, loaded: Set<string>): boolean {
  return (
    path.posix.basename(file) === "secrets.yaml" ||
    isZigbee2mqttSecretsFile(file) ||
    file.startsWith(".storage/") ||
    file.startsWith(".cloud/") ||
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

interface Located extends ValueMatch {
  line?: number;
  column?: number;
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
    "keys, URLs with passwords, `password = ...` assignments, and passwords on command lines of shell scripts " +
    "(`curl -u user:pass`, `mysqldump -p…`, `sshpass -p`; a script that `shell_command` runs is named as such). " +
    "The whole folder gets copied into backups, Samba shares, git repositories and forum posts. A Home Assistant access token is critical (it is admin access until " +
    "it expires, ten years for long-lived ones), and so is anything under `www/`, which is public. `!secret` " +
    "references and `secrets.yaml` are not reported; `.storage` and `.cloud` have their own checks " +
    "(secrets/config-entry-credentials, secrets/stored-credentials). Each finding says how its file was " +
    "judged: third-party code (HACS cards and integrations, bundles) is searched only for credentials that cannot " +
    "be code; example files (fake secrets for a CI check, `*example*`, tests) are one information finding unless a " +
    "value in them is also a real credential elsewhere; files Home Assistant does not load are still reported, " +
    "since they leak with the folder, but their webhook ids are not (see docs/precision.md).",
  remediation:
    "Move the value into a secrets file the tool supports (`secrets.yaml` for ESPHome too, `.env` kept out of git " +
    "for Compose) and reference it; delete tokens from files and revoke them in the user profile (Security → " +
    "Long-lived access tokens); never put credentials in `www/`. Rotate any credential that was shared.",
  sources: [
    "https://www.esphome.io/guides/security_best_practices (API encryption keys and OTA passwords belong in secrets.yaml)",
    "HallyAus/SecretSentry user reports (false positives on `!secret`, secrets.yaml and `.cloud` avoided here)",
    "gitleaks and trufflehog secret patterns (JWTs, PEM private keys, URL userinfo)",
    "frenck/action-home-assistant action.yaml (the fake secrets file a CI configuration check copies into place)",
  ],
  run(facts) {
    const config = facts.config;
    const loaded = new Set(config.loadedFiles);
    const findings: FindingDraft[] = [];
    const seenInFiles = new Set<string>();
    const examples: { file: string; judgement: FileJudgement; matches: Located[] }[] = [];
    const consider = (file: string, matches: Located[], judgement: FileJudgement) => {
      if (judgement.role === "example") {
        if (matches.length > 0) examples.push({ file, judgement, matches });
        return;
      }
      for (const match of matches) {
        seenInFiles.add(match.fingerprint);
        const finding = findingFor(config, file, match, judgement);
        if (finding !== undefined) findings.push(finding);
      }
    };
    for (const [file, text] of config.texts) {
      if (isOutOfScope(config, file, loaded)) continue;
      const judgement = judgeFile(config, file);
      const vendored = judgement.role === "third-party";
      consider(file, scanText(text, { quotedOnly: isSourceCode(file), vendored }), judgement);
    }
    for (const [file, strings] of config.binaryStrings) {
      if (isOutOfScope(config, file, loaded)) continue;
      const judgement = judgeFile(config, file);
      const unique = new Map<string, Located>();
      for (const match of findCredentialShapes(strings, { vendored: judgement.role === "third-party" })) {
        if (!unique.has(match.evidence)) unique.set(match.evidence, match);
      }
      consider(file, [...unique.values()], judgement);
    }
    if (examples.length > 0) {
      const real = realCredentialFingerprints(config, seenInFiles);
      for (const example of examples) findings.push(...exampleFindings(config, example, real));
    }
    return findings;
  },
});

function findingFor(
  config: ConfigFacts,
  file: string,
  match: Located,
  judgement: FileJudgement,
): FindingDraft | undefined {
  const isPublic = file.startsWith("www/");
  // a webhook id only exposes something where Home Assistant registers it (loaded YAML) or where anyone reads it
  if (match.kind === "webhook id" && !isPublic && judgement.role !== "owner") return undefined;
  return {
    severity: severityFor(match, judgement, isPublic),
    message: `${capitalize(match.kind)} ${whereIs(config, file)}${match.detail ? ` (${match.detail})` : ""}.${judgementSentence(judgement)}`,
    location: match.line === undefined ? { file } : { file, line: match.line, column: match.column ?? 1 },
    evidence: match.evidence,
  };
}

/** Where the match is, in words: a text file by its kind, a binary one by its name (and how much was read). */
function whereIs(config: ConfigFacts, file: string): string {
  const text = config.texts.get(file);
  const runBy = scriptsRunByHomeAssistant(config).get(file);
  if (runBy !== undefined) return `in a script Home Assistant runs (\`${runBy}\`)`;
  if (text !== undefined) return `in ${describeFile(file, text)}`;
  const searched = config.files.find((f) => f.path === file)?.searchedBytes;
  const part = searched === undefined ? "" : ` (its first ${Math.round(searched / 1048576)} MiB searched)`;
  return `inside the binary file ${file}${part}`;
}

/**
 * Third-party code keeps the full severity only for a Home Assistant token (nobody ships one in a card: it is the
 * owner's); a key or URL password in vendored code is most likely the vendor's own, worth a look, not an alarm.
 */
function severityFor(match: ValueMatch, judgement: FileJudgement, isPublic: boolean): Severity {
  if (judgement.role === "third-party" && match.kind !== "access token (JWT)") return "medium";
  return isPublic ? "critical" : match.severity;
}

function exampleFindings(
  config: ConfigFacts,
  example: { file: string; judgement: FileJudgement; matches: Located[] },
  real: Set<string>,
): FindingDraft[] {
  const { file, judgement, matches } = example;
  const findings: FindingDraft[] = [];
  const fakes: Located[] = [];
  for (const match of matches) {
    if (!real.has(match.fingerprint)) {
      fakes.push(match);
      continue;
    }
    const finding = findingFor(config, file, match, { role: "owner", why: "" });
    if (finding === undefined) continue;
    finding.message += ` The file holds example values (${judgement.why}), but this one is also a real credential elsewhere in the folder.`;
    findings.push(finding);
  }
  if (fakes.length > 0) {
    const kinds = [...new Set(fakes.map((m) => m.kind))].join(", ");
    findings.push({
      severity: "info",
      title: "Example secrets file",
      message: `Example secrets file: ${fakes.length} credential-like value${fakes.length === 1 ? "" : "s"} (${kinds}) taken as fakes (${judgement.why}). Keep real values out of it: it is shared with the repository.`,
      location: { file },
      evidence: `${fakes.length} example value${fakes.length === 1 ? "" : "s"}`,
    });
  }
  return findings;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
