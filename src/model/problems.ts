import { sortFindings } from "./engine.js";
import type { Finding, Sighting } from "./finding.js";

/**
 * The problems more than one check (or source) can see, by the key their findings carry in `problem`. Kept in
 * one place so two checks cannot spell one problem two ways. A key names the problem in the audited home, not
 * where it was seen: the audit looks at one home (a configuration folder and the host it runs on).
 */
export const problemKey = {
  /** Home Assistant has no owner yet: the first visitor creates one (`.storage/onboarding`, `GET /api/onboarding`). */
  onboardingOpen: (): string => "onboarding-open",
  /** Logins and tokens reach Home Assistant over plain HTTP (the `http:` settings, the scanned port). */
  plainHttp: (): string => "home-assistant-plain-http",
  /**
   * A file that holds secrets can be read by other accounts (the configuration audit, the `.storage` audit, a
   * host audit); `file` is relative to the configuration folder.
   */
  fileReadable: (file: string): string => `file-readable:${file}`,
  /** The SSH server on `port` accepts passwords (the scan's auth-methods query; an `sshd_config` read). */
  sshPasswordLogin: (port: number): string => `ssh-password-login:${port}`,
} as const;

/**
 * One finding per problem: findings that carry the same `problem` key become one, the most severe (among
 * equals, the first in the report's order: by id, then location) with every other sighting, and its evidence,
 * in `alsoSeen`. Runs after the owner's suppressions, so suppressing one check hides only that check's sighting.
 */
export function mergeSameProblem(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  const merged: Finding[] = [];
  for (const finding of findings) {
    if (finding.problem === undefined) {
      merged.push(finding);
      continue;
    }
    const group = groups.get(finding.problem);
    if (group === undefined) groups.set(finding.problem, [finding]);
    else group.push(finding);
  }
  for (const group of groups.values()) {
    const [primary, ...others] = sortFindings(group);
    if (primary === undefined) continue;
    if (others.length === 0) {
      merged.push(primary);
      continue;
    }
    const alsoSeen: Sighting[] = [...(primary.alsoSeen ?? []), ...others.flatMap(sightingsOf)];
    merged.push({ ...primary, alsoSeen });
  }
  return sortFindings(merged);
}

function sightingsOf(finding: Finding): Sighting[] {
  const own: Sighting = {
    id: finding.id,
    message: finding.message,
    ...(finding.location === undefined ? {} : { location: finding.location }),
    ...(finding.evidence === undefined ? {} : { evidence: finding.evidence }),
  };
  return [own, ...(finding.alsoSeen ?? [])];
}
