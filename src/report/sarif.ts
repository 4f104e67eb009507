import { createHash } from "node:crypto";
import { findCheck } from "../checks/index.js";
import { type Finding, formatLocation, isFileLocation, isNetworkLocation } from "../model/finding.js";
import type { Severity } from "../model/severity.js";
import type { Report } from "./report.js";
import { escapeJsonText } from "./untrusted-text.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const INFO_URI = "https://www.npmjs.com/package/hassguard";

/** SARIF's three levels; `security-severity` keeps our finer scale for GitHub code scanning. */
const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "0.0",
};

/** SARIF 2.1.0 for code scanning: one run, a rule per check that fired, file paths relative to the config dir. */
export function renderSarif(report: Report): string {
  const ruleIds = [...new Set(report.findings.map((f) => f.id))].sort();
  const rules = ruleIds.map((id) => {
    const check = findCheck(id);
    const sample = report.findings.find((f) => f.id === id) as Finding;
    const severity = check?.severity ?? sample.severity;
    return {
      id,
      name: pascal(id),
      shortDescription: { text: check?.title ?? sample.title },
      fullDescription: { text: check?.description ?? sample.message },
      help: { text: check?.remediation ?? sample.remediation },
      helpUri: `${INFO_URI}#${id}`,
      // SARIF 2.1.0 §3.49.4: the ids this rule had before a rename, so result history matches across versions
      ...(check === undefined || check.formerIds.length === 0 ? {} : { deprecatedIds: [...check.formerIds] }),
      defaultConfiguration: { level: LEVEL[severity] },
      properties: { tags: ["security", check?.area ?? "config"], "security-severity": SECURITY_SEVERITY[severity] },
    };
  });
  const results = report.findings.map((f) => ({
    ruleId: f.id,
    ruleIndex: ruleIds.indexOf(f.id),
    level: LEVEL[f.severity],
    message: { text: f.evidence === undefined ? f.message : `${f.message} (${f.evidence})` },
    locations: [sarifLocation(f)],
    // every other place the same problem was seen (SARIF 2.1.0 §3.27.22), each with its own evidence
    ...(f.alsoSeen === undefined
      ? {}
      : {
          relatedLocations: f.alsoSeen.map((s, index) => ({
            id: index + 1,
            ...sarifLocation(s),
            message: { text: `${s.id}: ${s.evidence === undefined ? s.message : `${s.message} (${s.evidence})`}` },
          })),
        }),
    partialFingerprints: { "hassguard/v1": fingerprint(f) },
    properties: { severity: f.severity, checklist: f.checklist, fixable: f.fixable },
  }));
  const run = {
    tool: { driver: { name: "hassguard", version: report.tool.version, informationUri: INFO_URI, rules } },
    ...(report.targets.config === null
      ? {}
      : { originalUriBaseIds: { CONFIGDIR: { uri: directoryUri(report.targets.config) } } }),
    invocations: [
      {
        executionSuccessful: report.summary.incomplete === undefined,
        startTimeUtc: report.startedAt,
        toolExecutionNotifications: report.errors.map((e) => ({
          level: e.fatal === true ? "error" : "warning",
          message: { text: e.message },
          ...(e.file === undefined
            ? {}
            : {
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: encodePath(e.file), uriBaseId: "CONFIGDIR" },
                      ...(e.line === undefined ? {} : { region: { startLine: e.line } }),
                    },
                  },
                ],
              }),
        })),
      },
    ],
    results,
  };
  // exact values; characters that could steer a terminal showing the file written as \u escapes
  return `${escapeJsonText(JSON.stringify({ $schema: SARIF_SCHEMA, version: "2.1.0", runs: [run] }, null, 2))}\n`;
}

function sarifLocation(f: Pick<Finding, "location">): object {
  if (isFileLocation(f.location)) {
    const region =
      f.location.line === undefined
        ? {}
        : {
            region: {
              startLine: f.location.line,
              ...(f.location.column === undefined ? {} : { startColumn: f.location.column }),
            },
          };
    return {
      physicalLocation: { artifactLocation: { uri: encodePath(f.location.file), uriBaseId: "CONFIGDIR" }, ...region },
    };
  }
  if (isNetworkLocation(f.location)) {
    return { logicalLocations: [{ name: formatLocation(f.location), kind: "resource" }] };
  }
  return { logicalLocations: [{ name: formatLocation(f.location) || "hassguard", kind: "resource" }] };
}

function fingerprint(f: Finding): string {
  return createHash("sha256")
    .update(`${f.id}|${formatLocation(f.location)}|${f.message}`)
    .digest("hex")
    .slice(0, 32);
}

function encodePath(file: string): string {
  return file.split("/").map(encodeURIComponent).join("/");
}

function directoryUri(dir: string): string {
  const absolute = dir.startsWith("/") ? dir : `${process.cwd()}/${dir}`;
  return `file://${encodePath(absolute.endsWith("/") ? absolute : `${absolute}/`)}`;
}

function pascal(id: string): string {
  return id
    .split(/[^a-zA-Z0-9]+/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}
