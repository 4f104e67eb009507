import { type CheckFacts, defineCheck } from "../../model/check.js";
import type { FindingDraft, Location } from "../../model/finding.js";
import { isVersion } from "../../model/ha-version.js";
import { count, pick } from "../../model/words.js";
import { affects } from "../advisories.js";
import { hostPort, openPorts } from "../network/open-ports.js";

/** One place the audit learnt which Home Assistant release runs: `.HA_VERSION`, or a port's WebSocket greeting. */
interface VersionSighting {
  version: string;
  location: Location;
  /** `.HA_VERSION 2023.11.3`, `WebSocket auth_required: ha_version 2023.11.3`. */
  evidence: string;
  /** Where, to start a sentence: `.HA_VERSION`, `The WebSocket greeting at 192.0.2.10:8123`. */
  where: string;
}

function versionSightings(facts: CheckFacts<"advisories", "config" | "network">): VersionSighting[] {
  const sightings: VersionSighting[] = [];
  const file = facts.config?.haVersion;
  if (file !== undefined) {
    const version = file.version.trim();
    sightings.push({
      version,
      location: { file: file.file, line: 1, column: 1 },
      evidence: `.HA_VERSION ${version}`,
      where: file.file,
    });
  }
  for (const open of facts.network === undefined ? [] : openPorts({ network: facts.network })) {
    const version = open.port.http?.homeAssistant?.version;
    if (version === undefined) continue;
    sightings.push({
      version,
      location: open.location,
      evidence: `WebSocket auth_required: ha_version ${version}`,
      where: `The WebSocket greeting at ${hostPort(open)}`,
    });
  }
  return sightings;
}

/** The sightings of one release, grouped: each problem (an advisory affecting it) is reported once. */
function byVersion(sightings: readonly VersionSighting[]): VersionSighting[][] {
  const groups = new Map<string, VersionSighting[]>();
  for (const sighting of sightings) groups.set(sighting.version, [...(groups.get(sighting.version) ?? []), sighting]);
  return [...groups.values()];
}

export const versionKnownAdvisories = defineCheck({
  id: "version/known-advisories",
  title: "Home Assistant version has published security advisories",
  severity: "high",
  area: "config",
  checklist: "updates",
  needs: ["advisories"],
  uses: ["config", "network"],
  formerIds: ["network/ha-vulnerable-version"],
  description:
    "`.HA_VERSION` records the Home Assistant release that last ran this configuration, and Home Assistant tells " +
    "every visitor its version: the first WebSocket message, sent before any login, is " +
    '`{"type":"auth_required","ha_version":...}`. Published advisories (GitHub security advisories, CVEs) affect ' +
    "that release; their details are public, and scanners look for Home Assistant by its login page and that " +
    "greeting. Each advisory is reported once, with every place the version was seen, the release that fixes it " +
    "and the advisory's own severity (high when the data gives none). Advisories in hassguard's data whose affected versions are not given as a clear range are not " +
    "guessed at: one informational finding lists them for a manual check.",
  remediation:
    "Update Home Assistant to the newest release (at least the fixed version named in each finding): Settings → " +
    "System → Updates, or pull the new container image. Keep automatic backups on before updating.",
  sources: [
    "data/ha-advisories.json (from github.com/home-assistant/core/security, cvelistV5, pypa/advisory-database)",
    "https://github.com/home-assistant/core/blob/dev/homeassistant/components/websocket_api/auth.py (auth_required carries ha_version)",
    "shared/ha-facts.md §6",
  ],
  run(facts) {
    const advisories = facts.advisories;
    const findings: FindingDraft[] = [];
    for (const [first, ...others] of byVersion(versionSightings(facts))) {
      if (first === undefined) continue;
      const { version } = first;
      const alsoSeen = (evidence: (sighting: VersionSighting) => string) =>
        others.map((other) => ({
          message: `${other.where} names the same release, ${version}.`,
          location: other.location,
          evidence: evidence(other),
        }));
      if (!isVersion(version)) {
        findings.push({
          severity: "info",
          message: `${first.where} holds "${version.slice(0, 40)}", which is not a Home Assistant version; advisories were not matched.`,
          location: first.location,
        });
        continue;
      }
      for (const advisory of advisories.matchable) {
        if (!affects(advisory, version)) continue;
        const { record } = advisory;
        const fixed = advisory.fixedIn;
        const aliases = record.aliases.length > 0 ? ` (${record.aliases.join(", ")})` : "";
        const evidence = (sighting: VersionSighting) =>
          `${sighting.evidence}${fixed === undefined ? "" : ` < ${fixed}`}`;
        findings.push({
          severity: advisory.severity,
          title: `Known vulnerability ${record.id} affects Home Assistant ${version}`,
          message:
            `${record.id}${aliases}: ${record.summary} Affected: ${record.affected}.` +
            (fixed === undefined ? " No fixed release recorded." : ` Fixed in ${fixed}.`) +
            (advisory.severityAssumed ? " (No severity in the advisory data; rated high.)" : ""),
          location: first.location,
          evidence: evidence(first),
          remediation: `Update Home Assistant to ${fixed ?? "the newest release"} or later. Source: ${record.source}`,
          alsoSeen: alsoSeen(evidence),
        });
      }
      if (advisories.unmatchable.length > 0) {
        findings.push({
          severity: "info",
          title: "Advisories that could not be matched to the version automatically",
          message: unmatchedAdvisoriesSentence(
            advisories.unmatchable.map((a) => a.id),
            version,
          ),
          location: first.location,
          evidence: first.evidence,
          remediation: "Read each listed advisory and update past its fixed release if it applies.",
          alsoSeen: alsoSeen((sighting) => sighting.evidence),
        });
      }
    }
    return findings;
  },
});

/** The advisories without a machine-readable range, for the owner to check by hand. */
export function unmatchedAdvisoriesSentence(ids: readonly string[], version: string): string {
  const n = ids.length;
  return (
    `${count(n, "Home Assistant advisory", "Home Assistant advisories")} in hassguard's data ` +
    `${pick(n, "gives", "give")} no machine-readable affected range and ${pick(n, "was", "were")} not matched ` +
    `against ${version}${n === 0 ? "" : `: ${ids.join(", ")}`}. ` +
    `Check ${pick(n, "it", "them")} by hand at https://github.com/home-assistant/core/security.`
  );
}
