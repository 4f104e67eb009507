import { readFileSync } from "node:fs";
import path from "node:path";
import picomatch from "picomatch";
import { parse } from "yaml";
import { z } from "zod";
import { type Finding, formatLocation } from "../model/finding.js";
import type { SuppressedFinding } from "../report/report.js";

/** One accepted risk: which check (glob on the id), optionally where (glob on the location), and why. */
export interface Suppression {
  id: string;
  path?: string;
  reason: string;
}

const suppressionSchema = z
  .object({
    id: z.string().min(1),
    path: z.string().min(1).optional(),
    reason: z.string().trim().min(1, "every suppression needs a reason"),
  })
  .strict();
const fileSchema = z.object({ ignore: z.array(suppressionSchema).default([]) }).strict();

export class SuppressionFileError extends Error {
  override name = "SuppressionFileError";
}

export const SUPPRESSIONS_FILE = ".hassguard.yaml";

/** Reads `.hassguard.yaml`; a suppression without a reason is refused, naming the entry. */
export function readSuppressions(file: string): Suppression[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return [];
    throw new SuppressionFileError(`${file}: cannot read: ${String(error)}`);
  }
  let data: unknown;
  try {
    data = parse(text) ?? {};
  } catch (error) {
    throw new SuppressionFileError(`${file}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = fileSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join(".") || "(top)";
    throw new SuppressionFileError(`${file}: ${where}: ${issue?.message ?? "invalid"}`);
  }
  return result.data.ignore.map((s) => ({
    id: s.id,
    reason: s.reason,
    ...(s.path === undefined ? {} : { path: s.path }),
  }));
}

/**
 * Splits findings into those still reported and those the owner accepted. A suppression's id (or glob) also
 * matches a check's former ids, so a `.hassguard.yaml` or `--ignore` written before a rename keeps working.
 */
export function applySuppressions(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  formerIdsOf: (id: string) => readonly string[] = () => [],
): { kept: Finding[]; suppressed: SuppressedFinding[] } {
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const matchers = suppressions.map((s) => ({
    suppression: s,
    id: globMatcher(s.id),
    path: s.path === undefined ? undefined : globMatcher(s.path),
  }));
  for (const finding of findings) {
    const ids = [finding.id, ...formerIdsOf(finding.id)];
    const match = matchers.find(
      (m) => ids.some((id) => m.id(id)) && (m.path === undefined || m.path(locationPath(finding))),
    )?.suppression;
    if (match === undefined) kept.push(finding);
    else
      suppressed.push({
        id: finding.id,
        ...(finding.location ? { location: finding.location } : {}),
        reason: match.reason,
      });
  }
  return { kept, suppressed };
}

function locationPath(finding: Finding): string {
  return finding.location && "file" in finding.location ? finding.location.file : formatLocation(finding.location);
}

/**
 * A glob on check ids and finding locations, by picomatch: `*` within a path segment, `**` across segments,
 * `?`, `[...]` and `{a,b}` as in a shell. Dotted names (`.storage/auth`) match like any other, and a leading
 * `!` is a literal character, never a negation: a suppression only ever removes what it names, so one typo
 * cannot hide every other finding.
 */
export function globMatcher(pattern: string): (value: string) => boolean {
  return picomatch(pattern, { dot: true, nonegate: true });
}

export function suppressionsPath(configDir: string | undefined): string {
  return path.join(configDir ?? ".", SUPPRESSIONS_FILE);
}
