import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { CONFIG_ENTRIES_FILE } from "./config-entries.js";
import { looksLive } from "./installation.js";
import { configEntrySecrets, type StoredSecret, storedFileExposure } from "./stored-secrets.js";

export const configEntryCredentials = defineCheck({
  id: "secrets/config-entry-credentials",
  title: "Integration passwords and tokens in .storage/core.config_entries",
  severity: "medium",
  area: "config",
  checklist: "secrets",
  needs: ["config"],
  description:
    "Every integration set up in the UI keeps its password, API key, token or device key in " +
    "`.storage/core.config_entries` — in clear, under the names the integration's own schema uses (a gateway's " +
    "`key`, ESPHome's `noise_psk`, an Apple TV's `credentials`, HomeKit Controller's `iOSDeviceLTSK`; the list comes " +
    "from the keys each integration redacts from its diagnostics, data/integration-secrets.json). That is how Home " +
    "Assistant works, so on a live installation this is only information: every backup holds them, and backups " +
    "are worth keeping encrypted and private. It matters where the file travels or is open: tracked by git it is " +
    "high (every clone and remote has the credentials, and they stay in the history), not ignored by git or in a " +
    "folder prepared for sharing it is medium (one `git add .` or upload away), and readable by every account of " +
    "the machine it is low (Home Assistant writes this store with mode 644; other services and users of the same " +
    "machine could read it, which Home Assistant OS and containers rarely have). Each finding names the " +
    "integration, its title and the keys — never the values — so you know what to rotate.",
  remediation:
    "Keep `.storage/` out of git (`.gitignore`) and out of shared copies; if it was committed or shared, change the " +
    "password or revoke the token of every integration named (re-authenticate it in Settings → Devices & " +
    "services), since the old values stay in the history. On a machine with other accounts, `chmod 600 " +
    ".storage/core.config_entries` (and `chmod 700 .storage`). Encrypt backups.",
  sources: [
    "homeassistant/config_entries.py (ConfigEntryStore: data and options of every entry, a Store without private=True)",
    "homeassistant/util/file.py (write_utf8_file: non-private stores are written with mode 0o644)",
    "homeassistant/components/*/diagnostics.py (TO_REDACT: the keys each integration treats as secret; data/README.md)",
  ],
  run(facts) {
    const config = facts.config;
    if (config === undefined) return [];
    const entries = configEntrySecrets(config);
    if (entries.length === 0) return [];
    const exposure = storedFileExposure(config, CONFIG_ENTRIES_FILE);
    if (exposure === undefined) {
      if (!looksLive(config)) return [];
      const count = entries.reduce((sum, entry) => sum + entry.secrets.length, 0);
      const domains = [...new Set(entries.map((e) => e.domain))].sort();
      return [
        {
          severity: "info",
          message:
            `${entries.length} integration${entries.length === 1 ? "" : "s"} set up in the UI keep ${count} credential${count === 1 ? "" : "s"} ` +
            `in ${CONFIG_ENTRIES_FILE} (${listed(domains)}). That is how Home Assistant works; every backup contains ` +
            "them, so keep backups encrypted and private.",
          location: { file: CONFIG_ENTRIES_FILE },
          evidence: `${count} credential${count === 1 ? "" : "s"} in ${entries.length} entr${entries.length === 1 ? "y" : "ies"}`,
        },
      ];
    }
    return entries.map(
      (entry): FindingDraft => ({
        severity: exposure.severity,
        message:
          `The ${entry.domain} integration "${entry.title}" keeps its ${keysOf(entry.secrets)} in ` +
          `${CONFIG_ENTRIES_FILE}, and ${exposure.why}. Whoever gets the file can use them: rotate them if it left the machine.`,
        location: entry.location,
        evidence: entry.secrets.map((s) => `${s.key}: ***`).join(", "),
      }),
    );
  },
});

/** `password`, `token.refresh_token` and 2 more. */
export function keysOf(secrets: readonly StoredSecret[]): string {
  const names = secrets.map((s) => `\`${s.key}\``);
  return names.length > 4 ? `${names.slice(0, 4).join(", ")} and ${names.length - 4} more` : listed(names);
}

function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
