import { readFileSync } from "node:fs";

/**
 * Home Assistant advisories shipped in data/ha-advisories.json (gathered from the GitHub advisories, the
 * CVE list and the PyPA advisory database; each entry names its source). Only entries about Home Assistant
 * core with a version range we can read are matched; the rest (apps, add-ons, "not sourced") are skipped.
 */
export interface Advisory {
  id: string;
  aliases: string[];
  package: string;
  affected: string;
  fixed: string | null;
  severity: string | null;
  summary: string;
  source: string;
}

type Constraint = { op: "<" | "<=" | ">" | ">="; version: number[] };

let cache: Advisory[] | undefined;

/** Read once; found beside `src/` or `dist/` (both are two levels under the package root). */
export function loadAdvisories(): Advisory[] {
  if (cache === undefined) {
    const url = new URL("../../../data/ha-advisories.json", import.meta.url);
    cache = JSON.parse(readFileSync(url, "utf8")) as Advisory[];
  }
  return cache;
}

/** `2023.11.3` → [2023, 11, 3]; a beta suffix (`2023.12.0b1`) counts as its release. */
export function parseVersion(text: string): number[] | undefined {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  if (match === null) return undefined;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Constraints of the core range: the text before any `;` with parenthesised remarks removed. */
function coreConstraints(advisory: Advisory): Constraint[] {
  if (!/core|homeassistant \(pypi\)/i.test(advisory.package)) return [];
  const head = (advisory.affected.split(";")[0] ?? "").replace(/\([^)]*\)/g, "");
  const constraints: Constraint[] = [];
  for (const match of head.matchAll(/(<=|>=|<|>)\s*(\d+\.\d+(?:\.\d+)?)/g)) {
    const version = parseVersion(match[2] ?? "");
    if (version !== undefined) constraints.push({ op: match[1] as Constraint["op"], version });
  }
  return constraints;
}

/** Advisories whose affected core range contains `version`. */
export function advisoriesFor(version: string, advisories: readonly Advisory[] = loadAdvisories()): Advisory[] {
  const parsed = parseVersion(version);
  if (parsed === undefined) return [];
  return advisories.filter((advisory) => {
    const constraints = coreConstraints(advisory);
    if (!constraints.some((c) => c.op === "<" || c.op === "<=")) return false; // no upper bound: cannot tell
    return constraints.every(({ op, version: bound }) => {
      const cmp = compareVersions(parsed, bound);
      return op === "<" ? cmp < 0 : op === "<=" ? cmp <= 0 : op === ">" ? cmp > 0 : cmp >= 0;
    });
  });
}
