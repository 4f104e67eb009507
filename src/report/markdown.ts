import { type Finding, formatLocation } from "../model/finding.js";
import { SEVERITIES, type Severity } from "../model/severity.js";
import { count } from "../model/words.js";
import { type FindingGroup, groupBy, groupFindings } from "./group.js";
import { codeSpan, fencedBlock, inlineMarkdown } from "./markdown-text.js";
import { renderNetworkTable } from "./network-table.js";
import type { Report } from "./report.js";
import { escapeAllStrings } from "./untrusted-text.js";

/** A forum post (the Home Assistant community's Discourse) holds at most about this many characters. */
export const MARKDOWN_MAX_CHARS = 30_000;

export interface MarkdownOptions {
  /** Shorten the page to at most this many characters; 0 for no limit. Default MARKDOWN_MAX_CHARS. */
  maxChars?: number;
}

/** How much of the report a page shows; the renderer tries each, most detailed first, until one fits. */
interface Detail {
  /** Places listed per group of findings; the rest are counted. */
  places: number;
  /** Rows of the port table and items of the other lists. */
  rows: number;
  /** Severities whose groups are shown as one line each (title, count, check). */
  oneLine: ReadonlySet<Severity>;
}

const SUMMARY_ORDER: Severity[] = ["info", "low", "medium", "high", "critical"];
const DETAILS: Detail[] = [
  { places: Number.POSITIVE_INFINITY, rows: Number.POSITIVE_INFINITY, oneLine: new Set() },
  ...[10, 5, 3, 1].map((n) => ({ places: n, rows: n * 10, oneLine: new Set<Severity>() })),
  ...SUMMARY_ORDER.map((_, i) => ({ places: 1, rows: 10, oneLine: new Set(SUMMARY_ORDER.slice(0, i + 1)) })),
];

/** What a shortened page left out, for the note at its top. */
interface Omitted {
  places: number;
  groupsInOneLine: number;
  rows: number;
  sections: number;
}

/**
 * For an issue, a pull request or a forum post: findings by severity, repeated findings grouped as in the
 * text report, values already masked, and at most `maxChars` characters (with a note of what was shortened).
 */
export function renderMarkdown(untrusted: Report, options: MarkdownOptions = {}): string {
  // every string of the report may come from outside (a peer, a log, a configuration file): escaped once here
  const report = escapeAllStrings(untrusted);
  const limit = options.maxChars ?? MARKDOWN_MAX_CHARS;
  let page: Page | undefined;
  for (const detail of limit > 0 ? DETAILS : DETAILS.slice(0, 1)) {
    page = composePage(report, detail, limit);
    const text = page.join();
    if (limit === 0 || text.length <= limit) return text;
  }
  // even one line per group is too long (thousands of distinct titles, or huge lists): whole sections go
  return (page as Page).join({ dropSections: true });
}

class Page {
  constructor(
    private readonly head: string[],
    private readonly sections: string[],
    private readonly omitted: Omitted,
    private readonly limit: number,
  ) {}

  join(how: { dropSections?: boolean } = {}): string {
    const omitted = { ...this.omitted };
    let sections = this.sections;
    if (how.dropSections) {
      const budget = this.limit - this.head.join("\n\n").length - 2 * NOTE_RESERVE;
      let used = 0;
      const kept: string[] = [];
      for (const section of sections) {
        used += section.length + 2;
        if (used > budget) break;
        kept.push(section);
      }
      omitted.sections = sections.length - kept.length;
      sections = kept;
    }
    const note = shortenedNote(omitted, this.limit);
    const blocks = [...this.head, ...(note === undefined ? [] : [note]), ...sections];
    return `${blocks.join("\n\n").trimEnd()}\n`;
  }
}

/** Room kept for the note that says what was shortened. */
const NOTE_RESERVE = 600;

function shortenedNote(omitted: Omitted, limit: number): string | undefined {
  const parts = [
    omitted.places > 0 ? `${count(omitted.places, "place")} where a finding repeats not listed` : "",
    omitted.groupsInOneLine > 0 ? `${count(omitted.groupsInOneLine, "group")} of findings shown in one line` : "",
    omitted.rows > 0 ? `${count(omitted.rows, "list item")} (ports, problems, suppressions) not listed` : "",
    omitted.sections > 0 ? `${count(omitted.sections, "section")} left out` : "",
  ].filter((part) => part !== "");
  if (parts.length === 0) return undefined;
  return (
    `> **Shortened** to stay under ${limit.toLocaleString("en-US")} characters` +
    `${limit === MARKDOWN_MAX_CHARS ? " (a forum post's limit)" : ""}: ` +
    `${parts.join("; ")}. The text and JSON reports (\`--format text\`, \`--format json\`) have everything; ` +
    "`--markdown-limit 0` gives the whole page."
  );
}

function composePage(report: Report, detail: Detail, limit: number): Page {
  const omitted: Omitted = { places: 0, groupsInOneLine: 0, rows: 0, sections: 0 };
  const target = [report.targets.config, report.targets.host, report.targets.url].filter((t) => t !== null).join(", ");
  const counts = SEVERITIES.map((s) => `${report.summary[s]} ${s}`).join(" · ");
  const head = [
    `# hassguard report — ${inlineMarkdown(truncate(target || "no target", 200))}`,
    // an audit that could not read configuration.yaml has no score that stands
    report.summary.incomplete === undefined
      ? `**Score ${report.summary.score}/100** · ${counts}`
      : `**Audit incomplete, not scored:** ${inlineMarkdown(report.summary.incomplete.join("; "))}\n\n${counts}`,
  ];
  const sections: string[] = [];
  if (report.network !== undefined) {
    const table = renderNetworkTable(report.network, { maxRows: detail.rows });
    omitted.rows += table.omittedRows;
    sections.push(`## Network\n\n${fencedBlock(table.text)}`);
  }
  for (const severity of SEVERITIES) {
    const findings = report.findings.filter((f) => f.severity === severity);
    if (findings.length === 0) continue;
    sections.push(`## ${capitalize(severity)} (${findings.length})`);
    const groups = groupFindings(findings);
    if (detail.oneLine.has(severity)) {
      omitted.groupsInOneLine += groups.length;
      sections.push(groups.map(oneLineGroup).join("\n"));
      continue;
    }
    for (const group of groups) {
      const shown = Math.min(group.findings.length, detail.places);
      omitted.places += group.findings.length - shown;
      sections.push(renderGroup(group, shown));
    }
  }
  if (report.findings.length === 0) sections.push("No findings.");
  const lists = [
    listSection(
      "Suppressed",
      report.suppressed.map((s) => {
        const where = formatLocation(s.location);
        return `${codeSpan(s.id)}${where === "" ? "" : ` at ${codeSpan(where)}`}: ${inlineMarkdown(s.reason)}`;
      }),
      detail.rows,
    ),
    listSection(
      "Not checked",
      [...groupBy(report.notChecked, (n) => n.reason)].map(
        ([reason, ids]) => `${ids.map((n) => codeSpan(n.id)).join(", ")}: ${inlineMarkdown(reason)}`,
      ),
      detail.rows,
      report.notChecked.length,
    ),
    listSection(
      "Problems while reading",
      report.errors.map((e) => {
        const where =
          e.file === undefined ? "" : `${codeSpan(`${e.file}${e.line === undefined ? "" : `:${e.line}`}`)} `;
        return `${where}${inlineMarkdown(e.message)}`;
      }),
      detail.rows,
    ),
  ];
  for (const list of lists) {
    if (list === undefined) continue;
    omitted.rows += list.omitted;
    sections.push(list.text);
  }
  return new Page(head, sections, omitted, limit);
}

function renderGroup({ first, findings, sharedFix }: FindingGroup, shown: number): string {
  const check = `${codeSpan(first.id)} ([docs](${first.docs}))`;
  if (findings.length === 1) {
    const where = formatLocation(first.location);
    const facts = [
      `- **Check:** ${check}`,
      ...(where === "" ? [] : [`- **Where:** ${codeSpan(where)}`]),
      ...(first.evidence === undefined ? [] : [`- **Evidence:** ${codeSpan(first.evidence)}`]),
      ...alsoSeenLines(first),
    ];
    return [
      `### ${inlineMarkdown(first.title)}`,
      facts.join("\n"),
      inlineMarkdown(first.message),
      `**Fix:** ${inlineMarkdown(first.remediation)}`,
    ].join("\n\n");
  }
  const items = findings.slice(0, shown).map((finding) => {
    const where = formatLocation(finding.location);
    const lines = [
      `${where === "" ? "" : `${codeSpan(where)}: `}${inlineMarkdown(finding.message)}`,
      ...(finding.evidence === undefined ? [] : [`Evidence: ${codeSpan(finding.evidence)}`]),
      ...alsoSeenLines(finding).map((line) => line.slice(2)),
      ...(sharedFix ? [] : [`**Fix:** ${inlineMarkdown(finding.remediation)}`]),
    ];
    return listItem(lines.join("\n"));
  });
  const rest = findings.length - shown;
  if (rest > 0) items.push(`- … and ${count(rest, "more place")} (shortened)`);
  return [
    `### ${inlineMarkdown(first.title)} (×${findings.length})`,
    `**Check:** ${check}`,
    items.join("\n"),
    ...(sharedFix ? [`**Fix:** ${inlineMarkdown(first.remediation)}`] : []),
  ].join("\n\n");
}

/** The other sources that saw the same problem (one finding per problem): where, which check, and what. */
function alsoSeenLines(finding: Finding): string[] {
  return (finding.alsoSeen ?? []).map((seen) => {
    const at = formatLocation(seen.location);
    const evidence = seen.evidence === undefined ? "" : ` — ${codeSpan(seen.evidence)}`;
    return `- **Also seen:** ${at === "" ? "" : `${codeSpan(at)} `}(${codeSpan(seen.id)}): ${inlineMarkdown(seen.message)}${evidence}`;
  });
}

function oneLineGroup({ first, findings }: FindingGroup): string {
  const times = findings.length > 1 ? ` (×${findings.length})` : "";
  return `- **${inlineMarkdown(first.title)}**${times}: ${codeSpan(first.id)}`;
}

/** A list item; its continuation lines indented so they stay inside it. */
function listItem(text: string): string {
  return `- ${text.split("\n").join("\n  ")}`;
}

/** `## Title (total)` and the items as a list, the items after `maxItems` counted instead. */
function listSection(
  title: string,
  items: string[],
  maxItems: number,
  total = items.length,
): { text: string; omitted: number } | undefined {
  if (items.length === 0) return undefined;
  const shown = items.slice(0, maxItems).map(listItem);
  const omitted = items.length - shown.length;
  if (omitted > 0) shown.push(`- … and ${omitted} more (shortened)`);
  return { text: `## ${title} (${total})\n\n${shown.join("\n")}`, omitted };
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
