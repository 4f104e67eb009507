import type { Check } from "../model/check.js";
import { CHECKLIST_ITEMS } from "../model/finding.js";

/** The documentation page of one check, generated from its metadata so the two never drift apart. */
export function renderCheckDoc(check: Check): string {
  return [
    `# ${check.id}`,
    "",
    `**${check.title}**`,
    "",
    "| severity | area | checklist item | fixable |",
    "| --- | --- | --- | --- |",
    `| ${check.severity} | ${check.area} | ${CHECKLIST_ITEMS[check.checklist]} | ${check.fixable ? "yes" : "no"} |`,
    "",
    ...(check.formerIds.length === 0
      ? []
      : [
          `Formerly ${check.formerIds.map((id) => `\`${id}\``).join(", ")}: suppressions and baselines that name it still apply.`,
          "",
        ]),
    "## The risk",
    "",
    check.description,
    "",
    "## How to fix it",
    "",
    check.remediation,
    "",
    "## Sources",
    "",
    ...check.sources.map((source) => `- ${source}`),
    "",
    `Suppress it with a reason in \`.hassguard.yaml\`: \`ignore: [{id: ${check.id}, reason: "..."}]\`.`,
    "",
  ].join("\n");
}

/** The catalogue page: every check, grouped by area. */
export function renderCheckIndex(checks: readonly Check[]): string {
  const lines = ["# hassguard checks", "", "Generated from the check registry by `npm run docs`.", ""];
  const areas = [...new Set(checks.map((c) => c.area))];
  for (const area of areas) {
    lines.push(`## ${area}`, "", "| check | severity | title |", "| --- | --- | --- |");
    for (const check of checks.filter((c) => c.area === area)) {
      lines.push(`| [${check.id}](${check.id}.md) | ${check.severity} | ${check.title} |`);
    }
    lines.push("");
  }
  const renamed = checks.flatMap((check) => check.formerIds.map((former) => ({ former, check })));
  if (renamed.length > 0) {
    lines.push(
      "## Renamed checks",
      "",
      "Old ids keep working in `.hassguard.yaml`, `--ignore` and `hassguard checks`; SARIF lists them as",
      "`deprecatedIds`. Map old JSON reports (baselines) to the new ids with this table or",
      "`hassguard checks --format json` (`formerIds`).",
      "",
      "| former id | id now |",
      "| --- | --- |",
      ...renamed
        .sort((a, b) => (a.former < b.former ? -1 : 1))
        .map(({ former, check }) => `| \`${former}\` | [${check.id}](${check.id}.md) |`),
      "",
    );
  }
  return lines.join("\n");
}
