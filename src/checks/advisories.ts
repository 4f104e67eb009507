import type { AdvisoryIndex, CoreAdvisory } from "../model/advisory-facts.js";
import { compareVersions, isVersion } from "../model/ha-version.js";

/** Whether `version` lies inside the advisory's affected range (src/sources/advisories.ts read the range). */
export function affects(advisory: CoreAdvisory, version: string): boolean {
  if (advisory.introduced !== undefined && compareVersions(version, advisory.introduced) < 0) return false;
  if (advisory.below !== undefined && compareVersions(version, advisory.below) >= 0) return false;
  if (advisory.lastAffected !== undefined && compareVersions(version, advisory.lastAffected) > 0) return false;
  return advisory.below !== undefined || advisory.lastAffected !== undefined;
}

/** The core advisories whose affected range contains `version`, worst first. */
export function advisoriesAffecting(version: string, index: AdvisoryIndex): CoreAdvisory[] {
  if (!isVersion(version)) return [];
  const order = ["critical", "high", "medium", "low", "info"];
  return index.matchable
    .filter((advisory) => affects(advisory, version))
    .sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
}
