import pc from "picocolors";
import { CHECKLIST_ITEMS, formatLocation } from "../model/finding.js";
import { SEVERITIES, type Severity } from "../model/severity.js";
import { groupBy, groupFindings } from "./group.js";
import { renderNetworkTable } from "./network-table.js";
import type { Report } from "./report.js";
import { escapeAllStrings } from "./untrusted-text.js";

type Paint = (text: string) => string;

export interface TextOptions {
  color: boolean;
}

/** For people at a terminal: findings grouped by severity, worst first, with the score on top. */
export function renderText(untrusted: Report, options: TextOptions = { color: false }): string {
  // every string of the report may come from outside (a peer, a log, a configuration file): escaped once here
  const report = escapeAllStrings(untrusted);
  const c = pc.createColors(options.color);
  const paint: Record<Severity, Paint> = {
    critical: (t) => c.bold(c.red(t)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.dim,
  };
  const lines: string[] = [];
  const target = [report.targets.config, report.targets.host, report.targets.url].filter((t) => t !== null).join(", ");
  lines.push(c.bold(`hassguard ${report.tool.version} — ${target || "no target"}`));
  const counts = SEVERITIES.map((s) => paint[s](`${report.summary[s]} ${s}`)).join(" · ");
  const { incomplete } = report.summary;
  if (incomplete === undefined) lines.push(`Score ${c.bold(`${report.summary.score}/100`)}   ${counts}`);
  else lines.push(c.bold(c.red(`Audit incomplete, not scored: ${incomplete.join("; ")}`)), counts);

  if (report.network !== undefined) {
    lines.push("", c.bold("Network"), renderNetworkTable(report.network).text);
  }
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    lines.push("", paint[severity](c.bold(`${severity.toUpperCase()} (${group.length})`)));
    for (const { first, findings: same, sharedFix } of groupFindings(group)) {
      const count = same.length > 1 ? c.dim(` ×${same.length}`) : "";
      lines.push(`  ${paint[severity]("●")} ${c.bold(first.title)}${count}  ${c.dim(first.id)}`);
      for (const finding of same) {
        const where = formatLocation(finding.location);
        const bullet = same.length > 1 ? "- " : "";
        const pad = same.length > 1 ? "      " : "    ";
        if (where !== "") lines.push(`    ${bullet}${c.underline(where)}`);
        lines.push(...indent(finding.message, where === "" ? `    ${bullet}` : pad, pad));
        if (finding.evidence !== undefined) lines.push(`${pad}${c.dim("evidence:")} ${finding.evidence}`);
        // the same problem seen by another source: one finding, every piece of evidence
        for (const sighting of finding.alsoSeen ?? []) {
          const at = formatLocation(sighting.location);
          lines.push(
            `${pad}${c.dim("also seen:")} ${at === "" ? "" : `${c.underline(at)} `}${c.dim(`(${sighting.id})`)}`,
          );
          lines.push(...indent(sighting.message, `${pad}  `));
          if (sighting.evidence !== undefined) lines.push(`${pad}  ${c.dim("evidence:")} ${sighting.evidence}`);
        }
        if (!sharedFix) lines.push(...indent(`fix: ${finding.remediation}`, pad).map((l) => c.green(l)));
      }
      if (sharedFix) lines.push(...indent(`fix: ${first.remediation}`, "    ").map((l) => c.green(l)));
    }
  }
  if (report.findings.length === 0) lines.push("", c.green("No findings."));
  if (report.suppressed.length > 0) {
    lines.push("", c.dim(`Suppressed (${report.suppressed.length}):`));
    for (const s of report.suppressed) {
      lines.push(c.dim(`  ${s.id} ${formatLocation(s.location)} — ${s.reason}`));
    }
  }
  if (report.notChecked.length > 0) {
    lines.push("", c.dim(`Not checked (${report.notChecked.length}):`));
    for (const [reason, ids] of groupBy(report.notChecked, (n) => n.reason)) {
      lines.push(c.dim(`  ${reason}: ${ids.map((n) => n.id).join(", ")}`));
    }
  }
  if (report.errors.length > 0) {
    lines.push("", c.yellow(`Problems while reading (${report.errors.length}):`));
    for (const e of report.errors) {
      const where = e.file === undefined ? "" : `${e.file}${e.line === undefined ? "" : `:${e.line}`}: `;
      lines.push(...indent(`[${e.source}] ${where}${e.message}`, "  ", "    ").map((l) => c.yellow(l)));
    }
  }
  // info findings cost no points: a perfect score has nothing to work on
  const checklist = new Set(report.findings.filter((f) => f.severity !== "info").map((f) => f.checklist));
  if (checklist.size > 0) {
    lines.push("", c.dim(`Checklist items to work on: ${[...checklist].map((k) => CHECKLIST_ITEMS[k]).join("; ")}`));
  }
  return `${lines.join("\n")}\n`;
}

/** Each line of `text` indented: the first with `first`, the others with `rest` (by default the same). */
function indent(text: string, first: string, rest = first): string[] {
  return text.split("\n").map((line, i) => `${i === 0 ? first : rest}${line}`);
}
