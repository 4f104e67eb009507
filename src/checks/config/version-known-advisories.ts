import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { isVersion } from "../../model/ha-version.js";
import { affects } from "../advisories.js";

export const versionKnownAdvisories = defineCheck({
  id: "version/known-advisories",
  title: "Home Assistant version has published security advisories",
  severity: "high",
  area: "config",
  checklist: "updates",
  needs: ["config", "advisories"],
  description:
    "`.HA_VERSION` records the Home Assistant release that last ran this configuration. Published advisories " +
    "(GitHub security advisories, CVEs) affect that release; their details are public, and scanners look for " +
    "Home Assistant by its login page and its unauthenticated WebSocket greeting, which names the version. Each " +
    "advisory is reported with the release that fixes it and the advisory's own severity (high when the data " +
    "gives none). Advisories in hassguard's data whose affected versions are not given as a clear range are not " +
    "guessed at: one informational finding lists them for a manual check.",
  remediation:
    "Update Home Assistant to the newest release (at least the fixed version named in each finding): Settings → " +
    "System → Updates, or pull the new container image. Keep automatic backups on before updating.",
  sources: [
    "data/ha-advisories.json (from github.com/home-assistant/core/security, cvelistV5, pypa/advisory-database)",
  ],
  run(facts) {
    const config = facts.config;
    const haVersion = config.haVersion;
    if (haVersion === undefined) return [];
    const version = haVersion.version.trim();
    const location = { file: haVersion.file, line: 1, column: 1 };
    if (!isVersion(version)) {
      return [
        {
          severity: "info",
          message: `${haVersion.file} holds "${version.slice(0, 40)}", which is not a Home Assistant version; advisories were not matched.`,
          location,
        },
      ];
    }
    const advisories = facts.advisories;
    const findings: FindingDraft[] = [];
    for (const advisory of advisories.matchable) {
      if (!affects(advisory, version)) continue;
      const { record } = advisory;
      const fixed = advisory.fixedIn;
      const aliases = record.aliases.length > 0 ? ` (${record.aliases.join(", ")})` : "";
      findings.push({
        severity: advisory.severity,
        title: `Known vulnerability ${record.id} affects Home Assistant ${version}`,
        message:
          `${record.id}${aliases}: ${record.summary} Affected: ${record.affected}.` +
          (fixed === undefined ? " No fixed release recorded." : ` Fixed in ${fixed}.`) +
          (advisory.severityAssumed ? " (No severity in the advisory data; rated high.)" : ""),
        location,
        evidence: `.HA_VERSION ${version}${fixed === undefined ? "" : ` < ${fixed}`}`,
        remediation: `Update Home Assistant to ${fixed ?? "the newest release"} or later. Source: ${record.source}`,
      });
    }
    if (advisories.unmatchable.length > 0) {
      findings.push({
        severity: "info",
        title: "Advisories that could not be matched to the version automatically",
        message:
          `${advisories.unmatchable.length} Home Assistant advisories in hassguard's data give no machine-readable ` +
          `affected range and were not matched against ${version}: ${advisories.unmatchable.map((a) => a.id).join(", ")}. ` +
          "Check them by hand at https://github.com/home-assistant/core/security.",
        location,
        evidence: `.HA_VERSION ${version}`,
        remediation: "Read each listed advisory and update past its fixed release if it applies.",
      });
    }
    return findings;
  },
});
