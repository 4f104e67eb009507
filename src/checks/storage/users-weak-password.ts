import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import type { CandidateOrigin, PasswordAudit, PasswordUserResult, StorageFacts } from "../../model/storage-facts.js";

/** What a finding says about a matched password: where it came from, never what it is. */
export const ORIGIN_WORDS: Record<CandidateOrigin, string> = {
  "common-list": "is in the common-password list (or a simple variation of one)",
  "season-or-month": "is a season or a month with a year (or digits and a symbol)",
  "keyboard-walk": "is a walk along the keyboard (`qwerty`, `1q2w3e4r`, ...), perhaps with digits or a symbol",
  username: "is derived from the username",
  "user-name": "is derived from the user's own name (or their person's name)",
  "home-name": "is derived from the home's name or address",
  "home-city": "is derived from the home's city (time zone)",
  "home-assistant-word": "is derived from a Home Assistant word (`homeassistant`, `hassio`, ...)",
  "other-user": "is derived from the name of another user of this home",
};

export const weakPasswords = defineCheck({
  id: "users/weak-password",
  title: "Weak password",
  severity: "high",
  area: "storage",
  checklist: "password",
  needs: ["storage"],
  description:
    "hassguard tests each user's password hash (bcrypt, cost 12, in `.storage/auth_provider.homeassistant`) " +
    "against seasons and months with a year, words from the home itself (its name or address, its city, " +
    "usernames, people's names), keyboard walks, Home Assistant words (`homeassistant`, `hassio`) and a bundled " +
    "list of common passwords, with the variations people use to pass password rules (a capital, digits, a " +
    "year, `!`, leetspeak). A password found this way falls to the first automated guessing attack, and to " +
    "anyone who knows the household. Only where the password came from is reported, never the password. " +
    "Candidates are tried likeliest first, ranked by how often each shape appears in published password lists " +
    "(data/password-shapes.json). The test stops at the time budget (`--password-budget SECONDS`, `0` turns it " +
    "off) or the candidate budget (`--password-candidates N` per user), shared equally between users: a " +
    "password not found was not proven strong, and the coverage says how far the test got for each user.",
  remediation:
    "Change the password (profile → Security → Change password; an administrator can also reset it under " +
    "Settings → People) to a long passphrase not used anywhere else, kept in a password manager, and enable " +
    "multi-factor authentication for the user.",
  sources: [
    "homeassistant/auth/providers/homeassistant.py (bcrypt.hashpw, gensalt(rounds=12), base64 at rest)",
    "shared ha-facts.md §3 (auth_provider.homeassistant)",
    "data/common-passwords.txt (bundled list)",
    "data/password-shapes.json: @zxcvbn-ts/language-common 4.1.3 passwords (MIT) and john-data password.lst (public domain)",
  ],
  run(facts) {
    const storage = facts.storage;
    const audit = storage.passwordAudit;
    if (audit === undefined) return [];
    const findings: FindingDraft[] = [];
    for (const result of audit.users) {
      if (result.match !== undefined) {
        const admin = isAdmin(storage, result.userId);
        findings.push({
          severity: admin ? "critical" : "high",
          message: `The password of ${result.username}${admin ? " (an administrator)" : ""} ${ORIGIN_WORDS[result.match]}.`,
          location: { user: result.username },
        });
      } else if (result.error !== undefined) {
        findings.push({
          severity: "low",
          title: "Password hash could not be tested",
          message: `The password of ${result.username} could not be tested: ${result.error}.`,
          location: { file: ".storage/auth_provider.homeassistant" },
        });
      }
    }
    const coverage = coverageFinding(audit);
    if (coverage !== undefined) findings.push(coverage);
    return findings;
  },
});

/** An info finding when the test did not cover everything: skipped, or stopped by the budget. */
function coverageFinding(audit: PasswordAudit): FindingDraft | undefined {
  const base = {
    severity: "info" as const,
    location: { file: ".storage/auth_provider.homeassistant" },
  };
  if (!audit.ran) {
    if (audit.users.length === 0) return undefined;
    return {
      ...base,
      title: "Passwords not tested",
      message: `The weak-password test did not run: ${audit.skippedReason ?? "no reason given"}.`,
      remediation: "Run the audit with `--password-budget SECONDS` (for example 60) to test the passwords.",
    };
  }
  if (!audit.budgetExhausted) return undefined;
  const percent = audit.planned === 0 ? 100 : (100 * audit.tested) / audit.planned;
  const unfinished = audit.users.filter(
    (user) =>
      user.match === undefined &&
      user.error === undefined &&
      (audit.stoppedBy === "candidates" ? user.planned === audit.candidatesPerUser : user.tested < user.planned),
  );
  const where = `in ${(audit.elapsedMs / 1000).toFixed(1)} s on ${audit.workers} core${audit.workers === 1 ? "" : "s"}`;
  const stopped =
    audit.stoppedBy === "candidates"
      ? `its candidate budget (${audit.candidatesPerUser ?? 0} per user): it tried ${audit.tested} candidates ${where}`
      : `its time budget (${audit.budgetSeconds ?? 0} s): it tried ${audit.tested} of ${audit.planned} candidates ` +
        `(${percent.toFixed(percent < 1 ? 2 : 1)}%) ${where}`;
  return {
    ...base,
    title:
      audit.stoppedBy === "candidates"
        ? "Password test stopped at its candidate budget"
        : "Password test stopped at its time budget",
    message:
      `The weak-password test stopped at ${stopped}, shared equally between users. ` +
      `Not finished for ${listUsers(unfinished)}. ` +
      "The likeliest candidates of every kind are tried first; a password not found is not proven strong.",
    remediation:
      "Give the test more time with `--password-budget SECONDS` (or more candidates with `--password-candidates N`) to cover more of the list.",
  };
}

/** What each kind of candidate is called in a coverage line. */
const KIND_WORDS: Record<CandidateOrigin, string> = {
  "season-or-month": "seasons and months",
  "home-name": "the home's name",
  "home-city": "the city",
  username: "the login name",
  "user-name": "their names",
  "other-user": "other users' names",
  "keyboard-walk": "keyboard walks",
  "home-assistant-word": "Home Assistant words",
  "common-list": "the common list",
};

/** One user's coverage, per kind of candidate: `mike (120 tried: keyboard walks 40%, the common list 1%, ...)`. */
export function userCoverage(user: PasswordUserResult): string {
  const kinds = Object.entries(user.coverage ?? {})
    .filter(([, counts]) => counts.planned > 0)
    .sort(([, a], [, b]) => b.tested / b.planned - a.tested / a.planned)
    .map(([kind, counts]) => {
      const share = (100 * counts.tested) / counts.planned;
      return `${KIND_WORDS[kind as CandidateOrigin]} ${share >= 1 || share === 0 ? share.toFixed(0) : share.toFixed(1)}%`;
    });
  return `${user.username} (${user.tested} tried${kinds.length === 0 ? "" : `: ${kinds.join(", ")}`})`;
}

/** At most five users by name with their progress, then a count: a 50-user home must not make a wall of text. */
function listUsers(users: readonly PasswordUserResult[]): string {
  const named = users.slice(0, 5).map(userCoverage);
  return users.length > 5 ? `${named.join(", ")} and ${users.length - 5} more` : named.join(", ");
}

function isAdmin(storage: StorageFacts, userId: string | undefined): boolean {
  if (userId === undefined) return false;
  return storage.auth?.users.find((user) => user.id === userId)?.isAdmin ?? false;
}
