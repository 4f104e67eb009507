import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { CONFIG_ENTRIES_FILE } from "./config-entries.js";
import { isFalse, isTrue } from "./http-settings.js";
import { visitEntries } from "./walk.js";
import { at, dotted, lineColumnOf } from "./where.js";

/** Settings that switch certificate checking off when false (`verify_ssl`) or when true (`tls_insecure`). */
const OFF_WHEN_FALSE = new Set(["verify_ssl", "validate_certs", "ssl_verify", "verify_tls", "tls_verify"]);
const OFF_WHEN_TRUE = new Set(["tls_insecure", "insecure", "ignore_ssl_errors"]);

export const integrationsVerifySslDisabled = defineCheck({
  id: "integrations/verify-ssl-disabled",
  title: "TLS certificate checking turned off",
  severity: "medium",
  area: "config",
  checklist: "tls",
  needs: ["config"],
  description:
    "`verify_ssl: false` (or `tls_insecure: true`) makes an integration accept any certificate, so the " +
    "connection is encrypted but not authenticated: anyone who can intercept it (DNS spoofing, a rogue Wi-Fi, a " +
    "compromised router) can pose as the server and collect the credentials and data. Also found in integrations " +
    "set up in the UI (`.storage/core.config_entries`).",
  remediation:
    "Turn verification back on. For a self-signed server certificate, give the integration the CA certificate " +
    "instead (most accept a `certificate`/`ca_cert` path), or issue a real certificate (Let's Encrypt).",
  sources: [
    "https://www.home-assistant.io/integrations/rest/#verify_ssl",
    "https://www.home-assistant.io/integrations/mqtt/ (tls_insecure)",
  ],
  run(facts) {
    const config = facts.config;
    const findings: FindingDraft[] = [];
    const seen = new Set<string>();
    visitEntries(config.configuration, (path, entry) => {
      const off =
        (OFF_WHEN_FALSE.has(entry.key) && isFalse(entry.value)) ||
        (OFF_WHEN_TRUE.has(entry.key) && isTrue(entry.value));
      if (!off) return;
      const key = `${entry.keyPos.file}:${entry.keyPos.line}:${entry.keyPos.column}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push({
        message: `\`${dotted([...path, entry.key])}\` turns certificate checking off.`,
        location: at(entry.keyPos),
        evidence: `${entry.key}: ${OFF_WHEN_FALSE.has(entry.key) ? "false" : "true"}`,
      });
    });
    const entriesFile = CONFIG_ENTRIES_FILE;
    const text = config.texts.get(entriesFile);
    for (const m of text?.matchAll(/"(verify_ssl|verify_tls)"\s*:\s*false/g) ?? []) {
      const { line, column } = lineColumnOf(text ?? "", m.index);
      findings.push({
        message: `An integration set up in the UI has \`${m[1]}\` off (${entriesFile}).`,
        location: { file: entriesFile, line, column },
        evidence: `${m[1]}: false`,
      });
    }
    return findings;
  },
});
