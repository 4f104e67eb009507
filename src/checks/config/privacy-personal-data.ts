import path from "node:path";
import { defineCheck } from "../../model/check.js";
import type { ConfigFacts } from "../../model/config-facts.js";
import type { FindingDraft } from "../../model/finding.js";
import { maskSecret } from "../../model/mask.js";
import type { Severity } from "../../model/severity.js";
import { getEntry, getPath } from "../../model/yaml-node.js";
import { judgeFile } from "./file-judgement.js";
import { gitState } from "./git-exposure.js";
import { sharingSign } from "./installation.js";
import { visitScalars } from "./walk.js";
import { at, dotted, lineColumnOf } from "./where.js";

const COORDINATE_KEYS = new Set(["latitude", "longitude"]);
const CORE_CONFIG_FILE = ".storage/core.config";
const ZONE_FILE = ".storage/zone";

export const privacyPersonalData = defineCheck({
  id: "privacy/personal-data",
  title: "Personal data written inline (home coordinates, home name)",
  severity: "low",
  area: "config",
  checklist: "privacy",
  needs: ["config"],
  description:
    "The home's latitude and longitude (and those of zones), its elevation and its name are written in the " +
    "configuration itself. That is harmless at home, but configurations get shared on GitHub, in forum posts and " +
    "bug reports: coordinates to a few metres tell a stranger where the owner lives (and, with zones, where they " +
    "work and when the house is empty). Written inline in YAML they are low, medium when the folder is a git " +
    "repository or is being prepared for sharing (a README or licence at the top, GitHub workflows); the " +
    "coordinates the UI keeps in `.storage/core.config` and the zones in `.storage/zone` are reported only in such " +
    "a folder, unless git ignores them, and so are coordinates in any other file of it that Home Assistant does not " +
    "load (AppDaemon's `latitude:`, the last known positions of people in `.storage/core.restore_state`, a copied " +
    "YAML file): one finding per file. Third-party code and example files are not searched, and `secrets.yaml` is " +
    "where coordinates belong.",
  remediation:
    "Move these values to `secrets.yaml` (`latitude: !secret home_latitude`), or set them in the UI " +
    "(Settings → System → General) so they live in `.storage`, and keep `.storage/` out of the repository " +
    "(`.gitignore`) before sharing the configuration.",
  sources: [
    "homeassistant/core_config.py CORE_CONFIG_SCHEMA (name, latitude, longitude, elevation; the UI stores them in .storage/core.config)",
    'https://www.home-assistant.io/docs/configuration/securing/ ("Keep your secrets safe")',
  ],
  run(facts) {
    const config = facts.config;
    const sharing = sharingSign(config);
    const severity: Severity = sharing === undefined ? "low" : "medium";
    const because = sharing === undefined ? "" : ` Medium because ${sharing}.`;
    const findings: FindingDraft[] = [];
    const reportedParents = new Set<string>();
    visitScalars(config.configuration, (path, scalar) => {
      const key = path[path.length - 1] ?? "";
      if (!COORDINATE_KEYS.has(key) || scalar.origin.kind !== "inline" || scalar.value === null) return;
      // one finding per place (the home, a zone), not one per coordinate
      const place = dotted(path.slice(0, -1));
      const parent = `${scalar.pos.file}:${place}`;
      if (reportedParents.has(parent)) return;
      reportedParents.add(parent);
      findings.push({
        severity,
        message: `Coordinates written inline at \`${place || "(top level)"}\`: they locate ${path.length === 2 && path[0] === "homeassistant" ? "the home" : "a place the household uses"}.${because}`,
        location: at(scalar.pos),
        evidence: `${key}: ${maskSecret(scalar.value)}`,
      });
    });
    if (sharing !== undefined) {
      findings.push(...coreConfigCoordinates(config, sharing));
      findings.push(...zoneCoordinates(config, sharing));
      findings.push(...otherFileCoordinates(config, sharing));
    }
    const nameEntry = getEntry(getPath(config.configuration, "homeassistant"), "name");
    if (
      nameEntry?.value.kind === "scalar" &&
      nameEntry.value.origin.kind === "inline" &&
      nameEntry.value.value !== null
    ) {
      findings.push({
        severity: "info",
        message: "The home's name is written inline; it often contains the family name or street.",
        location: at(nameEntry.value.pos),
        evidence: `name: ${maskSecret(nameEntry.value.value)}`,
      });
    }
    return findings;
  },
});

/** `"latitude": 52.37` in `.storage/core.config` of a shared folder, unless git ignores the file. */
function coreConfigCoordinates(config: ConfigFacts, sharing: string): FindingDraft[] {
  const text = config.texts.get(CORE_CONFIG_FILE);
  if (text === undefined || gitState(config, CORE_CONFIG_FILE) === "ignored") return [];
  const match = /"latitude"\s*:\s*(-?\d+(?:\.\d+)?)/.exec(text);
  if (match === null || Number(match[1]) === 0) return [];
  const { line, column } = lineColumnOf(text, match.index);
  const tracked = gitState(config, CORE_CONFIG_FILE) === "tracked" ? " and git tracks it" : "";
  return [
    {
      severity: "medium",
      message: `The home's coordinates are stored in ${CORE_CONFIG_FILE}, and ${sharing}${tracked}: whoever gets the files knows where the home is.`,
      location: { file: CORE_CONFIG_FILE, line, column },
      evidence: `latitude: ${maskSecret(match[1])}`,
    },
  ];
}

/** The zones set up in the UI (`.storage/zone`: `{"items": [{name, latitude, longitude, …}]}`) in a shared folder. */
function zoneCoordinates(config: ConfigFacts, sharing: string): FindingDraft[] {
  const text = config.texts.get(ZONE_FILE);
  if (text === undefined || gitState(config, ZONE_FILE) === "ignored") return [];
  let items: unknown;
  try {
    items = (JSON.parse(text) as { data?: { items?: unknown } } | null)?.data?.items;
  } catch {
    return [];
  }
  if (!Array.isArray(items)) return [];
  const zones = items.filter(
    (item): item is { name?: unknown; latitude: number } =>
      typeof item === "object" && item !== null && typeof item.latitude === "number" && item.latitude !== 0,
  );
  if (zones.length === 0) return [];
  const match = /"latitude"\s*:\s*(-?\d+(?:\.\d+)?)/.exec(text);
  const names = zones.flatMap((zone) => (typeof zone.name === "string" ? [zone.name] : [])).slice(0, 3);
  return [
    {
      severity: "medium",
      message:
        `${zones.length} zone${zones.length === 1 ? "" : "s"} set up in the UI (${names.map((n) => `\`${n}\``).join(", ")}${zones.length > names.length ? ", …" : ""}) ` +
        `are stored with their coordinates in ${ZONE_FILE}, and ${sharing}: they show where the household works, learns and lives.`,
      location: match === null ? { file: ZONE_FILE } : { file: ZONE_FILE, ...lineColumnOf(text, match.index) },
      evidence: `latitude: ${maskSecret(zones[0]?.latitude)}`,
    },
  ];
}

/** `latitude: 52.37…` written anywhere else (two or more decimals: a place, not a setting). */
const COORDINATE = /["']?\blatitude["']?\s*[:=]\s*["']?(-?\d{1,2}\.\d{2,})/g;

/**
 * Coordinates in the other files of a shared folder that Home Assistant does not load (loaded YAML is walked
 * above): AppDaemon's settings, the people's last positions in `.storage/core.restore_state`, copies of YAML.
 * Third-party code and example files are not searched; `secrets.yaml` is where coordinates belong.
 */
function otherFileCoordinates(config: ConfigFacts, sharing: string): FindingDraft[] {
  const loaded = new Set(config.loadedFiles);
  const findings: FindingDraft[] = [];
  for (const [file, text] of config.texts) {
    if (!text.includes("latitude") || loaded.has(file) || file === CORE_CONFIG_FILE || file === ZONE_FILE) continue;
    if (path.posix.basename(file) === "secrets.yaml" || gitState(config, file) === "ignored") continue;
    const role = judgeFile(config, file).role;
    if (role === "third-party" || role === "example") continue;
    const matches = [...text.matchAll(COORDINATE)].filter((m) => Number(m[1]) !== 0);
    const first = matches[0];
    if (first === undefined) continue;
    const count = matches.length;
    findings.push({
      severity: "medium",
      message:
        `Coordinates (${count} latitude${count === 1 ? "" : "s"}) are written in ${file}, and ${sharing}: ` +
        "they locate the home or places the household uses.",
      location: { file, ...lineColumnOf(text, first.index) },
      evidence: `latitude: ${maskSecret(first[1])}`,
    });
  }
  return findings;
}
