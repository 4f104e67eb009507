import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { get, type YNode } from "../../model/yaml-node.js";
import { judgeConfigValue } from "./config-values.js";
import { nodeAt, visitScalars } from "./walk.js";
import { at, dotted } from "./where.js";

export const inlineCredential = defineCheck({
  id: "secrets/inline-credential",
  title: "Credential written inline instead of in secrets.yaml",
  severity: "high",
  area: "config",
  checklist: "secrets",
  needs: ["config"],
  description:
    "A password, token, API key, client secret, webhook id, TURN credential, database URL with a password, " +
    "access token (JWT), private key, PIN or alarm code, or a key that is a secret by the integration's own schema " +
    "(a Xiaomi gateway's `key`, data/integration-secrets.json) is typed straight into the configuration instead of " +
    "being referenced with `!secret` — also inside a command line (`curl -u user:pass`, `mysql -p…`, `sshpass -p`, " +
    "`--password=`, an `Authorization: Bearer` header in `shell_command` or `command_line`; a value the command " +
    "builds at run time, such as `$(cat /config/.pw)`, is not reported). `code` and `pin` count only where an alarm " +
    "panel or a lock takes them (`code_format`, `country_code` and ESPHome's GPIO `pin:` are no secrets). Configuration files get shared: pasted into forum posts, pushed to GitHub, attached to " +
    "bug reports, copied into backups and editor tools. Whoever reads them gets the credential. Home Assistant " +
    "keeps secrets in `secrets.yaml` precisely so the rest of the configuration can be shared safely. A webhook " +
    "id is reported at medium severity: anyone who learns it can trigger the automation behind it without logging in; " +
    "with `local_only: true` Home Assistant accepts it only from the local network, so it is information only.",
  remediation:
    "Move the value to `secrets.yaml` (`mqtt_password: the-value`) and reference it where it was " +
    "(`password: !secret mqtt_password`). If the file was ever shared or committed, treat the credential as " +
    "leaked: change the password or revoke the token first.",
  sources: [
    "https://www.home-assistant.io/docs/configuration/secrets/",
    "homeassistant/util/yaml/loader.py (`!secret` lookup)",
    "homeassistant/components/webhook/trigger.py (`local_only`)",
    'https://www.home-assistant.io/docs/configuration/securing/ ("Configured secrets")',
  ],
  run(facts) {
    const config = facts.config;
    const findings: FindingDraft[] = [];
    const seen = new Set<string>();
    // packages are part of the configuration tree (under homeassistant: packages:), so one walk covers them
    visitScalars(config.configuration, (path, scalar) => {
      if (scalar.origin.kind !== "inline" || scalar.value === null || typeof scalar.value === "boolean") return;
      for (const match of judgeConfigValue(config.configuration, path, scalar)) {
        const place = `${scalar.pos.file}:${scalar.pos.line}:${scalar.pos.column}:${match.kind}`;
        if (seen.has(place)) continue; // a file included twice yields the same value twice
        seen.add(place);
        const lanOnly = match.kind === "webhook id" && isLocalOnly(nodeAt(config.configuration, path.slice(0, -1)));
        findings.push({
          severity: lanOnly ? "info" : match.severity,
          message: `${capitalize(match.kind)} written inline at \`${dotted(path)}\`${match.detail ? ` (${match.detail})` : ""}.${lanOnly ? " The webhook is `local_only: true`: Home Assistant accepts it only from the local network." : ""}`,
          location: at(scalar.pos),
          evidence: match.evidence,
        });
      }
    });
    return findings;
  },
});

/**
 * A webhook trigger with `local_only: true` (homeassistant/components/webhook/trigger.py): Home Assistant answers
 * it only from local addresses, so knowing the id gives an outsider nothing.
 */
function isLocalOnly(trigger: YNode | undefined): boolean {
  const flag = get(trigger, "local_only");
  return flag?.kind === "scalar" && flag.value === true;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
