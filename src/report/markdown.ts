import { formatLocation } from "../model/finding.js";
import { SEVERITIES } from "../model/severity.js";
import { renderNetworkTable } from "./network-table.js";
import type { Report } from "./report.js";

/** For an issue, a pull request or a forum post: findings by severity, values already masked. */
export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  const target = [report.targets.config, report.targets.host, report.targets.url].filter((t) => t !== null).join(", ");
  out.push(`# hassguard report — ${escapeMarkdown(target || "no target")}`, "");
  const counts = SEVERITIES.map((s) => `${report.summary[s]} ${s}`).join(" · ");
  const { incomplete } = report.summary;
  if (incomplete === undefined) out.push(`**Score ${report.summary.score}/100** · ${counts}`, "");
  else out.push(`**Audit incomplete, not scored:** ${escapeMarkdown(incomplete.join("; "))}`, "", counts, "");
  if (report.network !== undefined) out.push("## Network", "", "```", renderNetworkTable(report.network), "```", "");
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push(`## ${capitalize(severity)} (${group.length})`, "");
    for (const f of group) {
      const where = formatLocation(f.location);
      out.push(`### ${escapeMarkdown(f.title)}`, "");
      out.push(`- **Check:** \`${f.id}\` ([docs](${f.docs}))`);
      if (where !== "") out.push(`- **Where:** \`${where}\``);
      if (f.evidence !== undefined) out.push(`- **Evidence:** \`${f.evidence.replaceAll("`", "'")}\``);
      for (const s of f.alsoSeen ?? []) {
        const at = formatLocation(s.location);
        const evidence = s.evidence === undefined ? "" : ` — \`${s.evidence.replaceAll("`", "'")}\``;
        out.push(
          `- **Also seen:** ${at === "" ? "" : `\`${at}\` `}(\`${s.id}\`): ${escapeMarkdown(s.message)}${evidence}`,
        );
      }
      out.push("", escapeMarkdown(f.message), "", `**Fix:** ${escapeMarkdown(f.remediation)}`, "");
    }
  }
  if (report.findings.length === 0) out.push("No findings.", "");
  if (report.notChecked.length > 0) {
    out.push("## Not checked", "", ...report.notChecked.map((n) => `- \`${n.id}\`: ${escapeMarkdown(n.reason)}`), "");
  }
  if (report.errors.length > 0) {
    out.push("## Problems while reading", "");
    for (const e of report.errors) {
      const where = e.file === undefined ? "" : `\`${e.file}${e.line === undefined ? "" : `:${e.line}`}\` `;
      out.push(`- ${where}${escapeMarkdown(e.message)}`);
    }
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Keeps values from a configuration (which may hold HTML or Markdown) from changing the page. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, (ch) => `\\${ch}`);
}
