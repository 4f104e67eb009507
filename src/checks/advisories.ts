import { readFileSync } from "node:fs";
import type { Severity } from "../model/severity.js";

/**
 * `data/ha-advisories.json`: advisories compiled from GitHub, the CVE list and the PyPA database. Its
 * `affected`/`fixed` fields are human text, sometimes with two sources disagreeing or the range missing, so
 * this module only turns into a version range what is unambiguous, and says which entries it could not read.
 */
export interface AdvisoryRecord {
  id: string;
  aliases: string[];
  package: string;
  affected: string;
  fixed: string | null;
  severity: string | null;
  summary: string;
  source: string;
}

export interface CoreAdvisory {
  record: AdvisoryRecord;
  /** Affected when `introduced <= version < below` (or `<= lastAffected`): the advisory's `affected` range. */
  introduced?: string;
  below?: string;
  lastAffected?: string;
  /** The release to update to, for the message: the advisory's `fixed`, else the range's bound. */
  fixedIn?: string;
  severity: Severity;
  /** True when the data gives no severity and the default was used. */
  severityAssumed: boolean;
}

export interface AdvisoryIndex {
  /** Core advisories with a machine-readable range. */
  matchable: CoreAdvisory[];
  /** Core advisories whose affected versions are not given in a form that can be compared. */
  unmatchable: AdvisoryRecord[];
}

const DATA_URL = new URL("../../data/ha-advisories.json", import.meta.url);
let cached: AdvisoryIndex | undefined;

/** Reads and indexes the shipped advisory data once (the same path works from src/ and dist/). */
export function loadAdvisories(): AdvisoryIndex {
  if (cached === undefined) cached = indexAdvisories(JSON.parse(readFileSync(DATA_URL, "utf8")) as unknown);
  return cached;
}

export function indexAdvisories(data: unknown): AdvisoryIndex {
  if (!Array.isArray(data)) throw new Error("data/ha-advisories.json: expected an array of advisories");
  const index: AdvisoryIndex = { matchable: [], unmatchable: [] };
  for (const raw of data) {
    const record = toRecord(raw);
    if (record === undefined || !isCorePackage(record.package)) continue;
    const range = parseCoreRange(record.affected);
    if (range === undefined) {
      index.unmatchable.push(record);
      continue;
    }
    const { severity, assumed } = parseSeverity(record.severity);
    const fixedIn = parseFixed(record.fixed) ?? range.below;
    index.matchable.push({
      record,
      ...(range.introduced === undefined ? {} : { introduced: range.introduced }),
      ...(range.below === undefined ? {} : { below: range.below }),
      ...(range.atMost === undefined ? {} : { lastAffected: range.atMost }),
      ...(fixedIn === undefined ? {} : { fixedIn }),
      severity,
      severityAssumed: assumed,
    });
  }
  return index;
}

function toRecord(raw: unknown): AdvisoryRecord | undefined {
  if (typeof raw !== "object" || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  if (typeof r.id !== "string" || typeof r.package !== "string" || typeof r.affected !== "string") return undefined;
  return {
    id: r.id,
    aliases: Array.isArray(r.aliases) ? r.aliases.filter((a): a is string => typeof a === "string") : [],
    package: r.package,
    affected: r.affected,
    fixed: typeof r.fixed === "string" ? r.fixed : null,
    severity: typeof r.severity === "string" ? r.severity : null,
    summary: typeof r.summary === "string" ? r.summary : "",
    source: typeof r.source === "string" ? r.source : "",
  };
}

/** Home Assistant Core itself (what `.HA_VERSION` names), not the apps, the OS, add-ons or HACS. */
export function isCorePackage(pkg: string): boolean {
  const p = pkg.toLowerCase();
  if (/companion|hacs|esphome|operating system|haos|add-on|custom integration/.test(p)) return false;
  return /home-?assistant core|homeassistant \(pypi\)|frontend\/core/.test(p);
}

const VERSION = String.raw`\d+(?:\.\d+){0,3}(?:(?:a|b|rc|\.dev)\d+)?`;
const RANGE = new RegExp(`^(?:>=\\s*(${VERSION})\\s+)?(<=?)\\s*(${VERSION})$`);

/**
 * `<2023.9.0`, `>=0 <2023.9.0`, `<=2023.4`, and for combined entries the `core <X` part
 * (`core <2023.3.2 (CVE record: <2023.3.0); supervisor ...` → `<2023.3.2`, the advisory's own bound).
 * Parenthesised remarks are dropped; anything else (prose, a lower bound alone) is not a range.
 */
export function parseCoreRange(affected: string): { introduced?: string; below?: string; atMost?: string } | undefined {
  let text = affected;
  const corePart = /\bcore\s+([^;]*)/i.exec(text);
  if (corePart?.[1] !== undefined) text = corePart[1];
  text = text
    .replace(/\([^)]*\)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const m = RANGE.exec(text);
  if (m === null) return undefined;
  const introduced = m[1] !== undefined && m[1] !== "0" ? m[1] : undefined;
  const bound = m[3] as string;
  return {
    ...(introduced === undefined ? {} : { introduced }),
    ...(m[2] === "<" ? { below: bound } : { atMost: bound }),
  };
}

/** `2023.9.0`, or the core part of `core 2023.3.2 (advisory) / 2023.3.0 (CVE text); supervisor ...`. */
export function parseFixed(fixed: string | null): string | undefined {
  if (fixed === null) return undefined;
  const m = new RegExp(`^(?:core\\s+)?(${VERSION})\\b`, "i").exec(fixed.trim());
  return m?.[1];
}

function parseSeverity(text: string | null): { severity: Severity; assumed: boolean } {
  const word =
    text
      ?.trim()
      .toLowerCase()
      .split(/[\s(;,]/)[0] ?? "";
  if (word === "critical" || word === "high" || word === "medium" || word === "low")
    return { severity: word, assumed: false };
  if (word === "moderate") return { severity: "medium", assumed: false };
  // no rating recorded: a published, unpatched vulnerability in an internet-facing application
  return { severity: "high", assumed: true };
}

/** Compares Home Assistant versions (`2023.11.3`, `0.67.0`, `2024.1.0b2`): negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  for (let i = 0; i < 4; i++) {
    const diff = (pa.parts[i] ?? 0) - (pb.parts[i] ?? 0);
    if (diff !== 0) return diff;
  }
  // a pre-release (2024.1.0b2, .dev) comes before the release itself
  if (pa.pre !== pb.pre) return pa.pre === undefined ? 1 : pb.pre === undefined ? -1 : pa.pre < pb.pre ? -1 : 1;
  return 0;
}

function parseVersion(version: string): { parts: number[]; pre?: string } {
  const m = /^(\d+(?:\.\d+)*)(?:\.?(a|b|rc|dev)(\d+))?/.exec(version.trim());
  if (m === null) return { parts: [] };
  const parts = (m[1] as string).split(".").map(Number);
  return m[2] === undefined ? { parts } : { parts, pre: `${m[2]}${(m[3] ?? "").padStart(12, "0")}` };
}

export function isVersion(text: string): boolean {
  return new RegExp(`^${VERSION}$`).test(text.trim());
}

export function affects(advisory: CoreAdvisory, version: string): boolean {
  if (advisory.introduced !== undefined && compareVersions(version, advisory.introduced) < 0) return false;
  if (advisory.below !== undefined && compareVersions(version, advisory.below) >= 0) return false;
  if (advisory.lastAffected !== undefined && compareVersions(version, advisory.lastAffected) > 0) return false;
  return advisory.below !== undefined || advisory.lastAffected !== undefined;
}

/** The core advisories whose affected range contains `version`, worst first. */
export function advisoriesAffecting(version: string, index: AdvisoryIndex = loadAdvisories()): CoreAdvisory[] {
  if (!isVersion(version)) return [];
  const order = ["critical", "high", "medium", "low", "info"];
  return index.matchable
    .filter((advisory) => affects(advisory, version))
    .sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
}
