import { readFile } from "node:fs/promises";
import type { AdvisoryIndex, AdvisoryRecord } from "../model/advisory-facts.js";
import type { SourceError } from "../model/errors.js";
import { HA_VERSION_PATTERN } from "../model/ha-version.js";
import type { Severity } from "../model/severity.js";

/**
 * The advisory facts: `data/ha-advisories.json` (advisories compiled from GitHub, the CVE list and the PyPA
 * database) read and indexed once per audit, so the checks that match versions against it do no I/O. Its
 * `affected`/`fixed` fields are human text, sometimes with two sources disagreeing or the range missing, so
 * only what is unambiguous becomes a version range; the rest is listed as unmatchable.
 */
const DATA_URL = new URL("../../data/ha-advisories.json", import.meta.url);

interface AdvisoriesRead {
  facts?: AdvisoryIndex;
  errors: SourceError[];
  /** Why there are no advisory facts, for the checks that need them ("not checked"). */
  missingReason?: string;
}

/** Reads the shipped advisory data (the same path works from src/ and dist/); a broken file is an error, not a crash. */
export async function readAdvisories(file: URL | string = DATA_URL): Promise<AdvisoriesRead> {
  try {
    return { facts: indexAdvisories(JSON.parse(await readFile(file, "utf8")) as unknown), errors: [] };
  } catch (error) {
    const message = `cannot read the advisory data ${String(file)}: ${error instanceof Error ? error.message : String(error)}`;
    return { errors: [{ source: "advisories", message }], missingReason: message };
  }
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

const RANGE = new RegExp(`^(?:>=\\s*(${HA_VERSION_PATTERN})\\s+)?(<=?)\\s*(${HA_VERSION_PATTERN})$`);

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
  const m = new RegExp(`^(?:core\\s+)?(${HA_VERSION_PATTERN})\\b`, "i").exec(fixed.trim());
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
