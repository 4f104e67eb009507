import type { Command } from "commander";

/** Option helpers used while the command tree is built: kept apart so building it loads nothing heavy. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The flags every reporting command (`audit`, `scan`) shares, parsed later by output.ts. */
export interface ReportFlags {
  format: string[];
  output?: string;
  failOn: string;
  ignore: string[];
  markdownLimit?: string;
  color: boolean;
}

export function addReportOptions(command: Command): Command {
  return command
    .option("-f, --format <format>", "text, json, sarif or markdown (repeatable)", collect, [])
    .option("-o, --output <path>", "write to this file (one format) or folder (several)")
    .option("--fail-on <severity>", "exit 1 when a finding is at least this severe (or none)", "high")
    .option("--ignore <id>", "suppress a check id or glob (repeatable)", collect, [])
    .option("--markdown-limit <chars>", "shorten the Markdown report to this many characters (default 30000, 0: none)")
    .option("--no-color", "no colours in text output");
}
