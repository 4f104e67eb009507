import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { maskSecret } from "../../model/mask.js";
import { getEntry, getPath } from "../../model/yaml-node.js";
import { visitScalars } from "./walk.js";
import { at, dotted } from "./where.js";

const COORDINATE_KEYS = new Set(["latitude", "longitude"]);

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
    "work and when the house is empty).",
  remediation:
    "Move these values to `secrets.yaml` (`latitude: !secret home_latitude`), or set them in the UI " +
    "(Settings → System → General) so they live in `.storage`, before sharing the configuration.",
  sources: [
    "homeassistant/core_config.py CORE_CONFIG_SCHEMA (name, latitude, longitude, elevation)",
    'https://www.home-assistant.io/docs/configuration/securing/ ("Keep your secrets safe")',
  ],
  run(facts) {
    const config = facts.config;
    if (config === undefined) return [];
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
        message: `Coordinates written inline at \`${place || "(top level)"}\`: they locate ${path.length === 2 && path[0] === "homeassistant" ? "the home" : "a place the household uses"}.`,
        location: at(scalar.pos),
        evidence: `${key}: ${maskSecret(scalar.value)}`,
      });
    });
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
