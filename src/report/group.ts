import type { Finding } from "../model/finding.js";

/** Items by key, in the order each key first appears. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [item]);
    else group.push(item);
  }
  return groups;
}

/** The findings of one check with one title: reported once, with every place it fired. */
export interface FindingGroup {
  first: Finding;
  findings: Finding[];
  /** Every finding of the group has the same fix, so it is shown once. */
  sharedFix: boolean;
}

/**
 * Findings grouped by check and title, in report order: ten inline passwords read as one habit to fix, not
 * ten screens of the same advice.
 */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  return [...groupBy(findings, (f) => `${f.id}\u0000${f.title}`).values()].map((same) => {
    const first = same[0] as Finding;
    return { first, findings: same, sharedFix: same.every((f) => f.remediation === first.remediation) };
  });
}
