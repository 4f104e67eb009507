import type { ConfigFacts } from "../../model/config-facts.js";
import type { FindingDraft } from "../../model/finding.js";
import type { Severity } from "../../model/severity.js";
import { findCredentialShapes, fingerprintOf } from "./credential-shapes.js";
import { realCredentialFingerprints } from "./example-values.js";
import { judgeFile } from "./file-judgement.js";
import { holdsOnlyPlaceholders } from "./placeholder-secrets.js";

/** How git treats a file in the configuration directory. */
export type GitState = "tracked" | "unignored" | "ignored";

export function gitState(config: ConfigFacts, file: string): GitState | undefined {
  const git = config.git;
  if (git === undefined) return undefined;
  if (git.tracked.includes(file)) return "tracked";
  if (git.ignored.includes(file)) return "ignored";
  return "unignored";
}

/**
 * Findings for the files `isSensitive` selects: tracked by git (the secret is in the history, on every clone
 * and on the remote) or not ignored (one `git add .` away from being so).
 */
export function gitExposureFindings(
  config: ConfigFacts,
  isSensitive: (file: string) => boolean,
  severities: { tracked: Severity; unignored: Severity },
  what: (file: string) => string,
): FindingDraft[] {
  if (config.git === undefined) return [];
  const tracked = new Set(config.git.tracked);
  const findings: FindingDraft[] = [];
  const candidates = new Set([
    ...config.files.filter((f) => f.type === "file").map((f) => f.path),
    ...config.git.tracked, // tracked but deleted from the working tree: still in the repository
  ]);
  for (const file of [...candidates].sort()) {
    if (!isSensitive(file)) continue;
    const state = tracked.has(file) ? "tracked" : gitState(config, file);
    const harmless = state === "ignored" ? undefined : harmlessContent(config, file);
    if (harmless !== undefined) {
      findings.push({
        severity: "info",
        message: `${what(file)} ${file} is ${state === "tracked" ? "tracked" : "not ignored"} by git but ${harmless}; once real values go in, ignore it first.`,
        location: { file },
        evidence: `git: ${state === "tracked" ? "tracked" : "not ignored"}, ${harmless.startsWith("holds example") ? "example values" : "placeholders only"}`,
      });
    } else if (state === "tracked") {
      findings.push({
        severity: severities.tracked,
        message: `${what(file)} ${file} is tracked by git: it is in the repository history and on every clone and remote.`,
        location: { file },
        evidence: "git: tracked",
      });
    } else if (state === "unignored") {
      findings.push({
        severity: severities.unignored,
        message: `${what(file)} ${file} is not ignored by git: the next \`git add .\` commits it.`,
        location: { file },
        evidence: "git: not ignored",
      });
    }
  }
  return findings;
}

/**
 * Why a secrets file in git holds nothing to protect: only placeholders, or example values (a CI stub, a file
 * named or placed as an example) none of which is a real credential elsewhere in the folder.
 */
function harmlessContent(config: ConfigFacts, file: string): string | undefined {
  if (holdsOnlyPlaceholders(config, file)) return "holds only placeholder values";
  const text = config.texts.get(file);
  // a key file whose PEM block has no body (`-----BEGIN PRIVATE KEY-----` / `...` / `-----END`): a stub
  if (text?.includes("-----BEGIN") && !findCredentialShapes(text).some((m) => m.kind === "private key")) {
    return "holds only a stub key without a body";
  }
  const judgement = judgeFile(config, file);
  if (judgement.role !== "example") return undefined;
  const real = realCredentialFingerprints(config, []);
  const reused = config.secrets.some(
    (s) => s.pos.file === file && s.value !== null && real.has(fingerprintOf(String(s.value))),
  );
  return reused ? undefined : `holds example values (${judgement.why})`;
}
