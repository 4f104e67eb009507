import { defineCheck } from "../../model/check.js";
import type { ConfigFacts } from "../../model/config-facts.js";
import type { FindingDraft } from "../../model/finding.js";
import { maskSecret } from "../../model/mask.js";
import type { Severity } from "../../model/severity.js";
import { getEntry, getPath } from "../../model/yaml-node.js";
import { gitState } from "./git-exposure.js";
import { sharingSign } from "./installation.js";
import { visitScalars } from "./walk.js";
import { at, dotted, lineColumnOf } from "./where.js";

const COORDINATE_KEYS = new Set(["latitude", "longitude"]);
const CORE_CONFIG_FILE = ".storage/core.config";

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
    "coordinates the UI keeps in `.storage/core.config` are reported only in such a folder, unless git ignores them.",
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
    if (sharing !== undefined) findings.push(...coreConfigCoordinates(config, sharing));
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
