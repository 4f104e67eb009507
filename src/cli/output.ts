import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { atLeast, isSeverity, type Severity } from "../model/severity.js";
import { FORMAT_FILE, FORMATS, type Format, isFormat, render } from "../report/index.js";
import type { Report } from "../report/report.js";
import { escapeUntrusted } from "../report/untrusted-text.js";
import { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError } from "./exit.js";
import type { ReportFlags } from "./options.js";

/** Options every reporting command shares. */
export interface OutputOptions {
  format: string[];
  output?: string;
  failOn: string;
  color?: boolean;
  /** `--markdown-limit CHARS`: the Markdown page's length limit, 0 for none. */
  markdownLimit?: string;
}

/** The command line's report flags as emitReport takes them. */
export function reportOutput(flags: ReportFlags): OutputOptions {
  return {
    format: flags.format,
    failOn: flags.failOn,
    color: flags.color,
    ...(flags.output === undefined ? {} : { output: flags.output }),
    ...(flags.markdownLimit === undefined ? {} : { markdownLimit: flags.markdownLimit }),
  };
}

export function parseFormats(values: string[]): Format[] {
  const formats = values.length === 0 ? ["text"] : values.flatMap((v) => v.split(","));
  for (const format of formats) {
    if (!isFormat(format)) throw new UsageError(`unknown format '${format}' (use ${FORMATS.join(", ")})`);
  }
  return [...new Set(formats)] as Format[];
}

/** `--markdown-limit CHARS` → a number of characters (0: no limit); undefined keeps the reporter's default. */
export function parseMarkdownLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const chars = Number(value);
  if (!Number.isInteger(chars) || chars < 0 || (chars > 0 && chars < 2000))
    throw new UsageError(`--markdown-limit takes a number of characters (2000 or more, or 0 for none), not '${value}'`);
  return chars;
}

export function parseFailOn(value: string): Severity | "none" {
  if (value === "none" || isSeverity(value)) return value;
  throw new UsageError(`--fail-on takes critical, high, medium, low, info or none, not '${value}'`);
}

/**
 * Writes the report: one format without --output goes to stdout (and nothing else does); one format with
 * --output goes to that file; several formats need --output, a folder that gets one file per format.
 */
export function emitReport(report: Report, options: OutputOptions): number {
  const formats = parseFormats(options.format);
  const failOn = parseFailOn(options.failOn);
  const markdownMaxChars = parseMarkdownLimit(options.markdownLimit);
  const toTerminal = options.output === undefined && process.stdout.isTTY === true;
  const color = options.color !== false && toTerminal && !process.env.NO_COLOR;
  const renderOptions = (colour: boolean) => ({
    color: colour,
    ...(markdownMaxChars === undefined ? {} : { markdownMaxChars }),
  });
  if (options.output === undefined) {
    if (formats.length > 1) throw new UsageError("several --format values need --output DIR");
    process.stdout.write(render(formats[0] as Format, report, renderOptions(color)));
  } else if (formats.length === 1) {
    mkdirSync(path.dirname(path.resolve(options.output)), { recursive: true });
    writeFileSync(options.output, render(formats[0] as Format, report, renderOptions(false)));
    process.stderr.write(`report written to ${escapeUntrusted(options.output)}\n`);
  } else {
    mkdirSync(options.output, { recursive: true });
    for (const format of formats) {
      const file = path.join(options.output, FORMAT_FILE[format]);
      writeFileSync(file, render(format, report, renderOptions(false)));
      process.stderr.write(`report written to ${escapeUntrusted(file)}\n`);
    }
  }
  const [why] = report.summary.incomplete ?? [];
  if (why !== undefined) process.stderr.write(`hassguard: the audit is incomplete: ${why}\n`);
  return exitCodeFor(report, failOn);
}

/** An audit that could not do what it was asked fails whatever --fail-on says (README: exit 2). */
export function exitCodeFor(report: Report, failOn: Severity | "none"): number {
  if (report.summary.incomplete !== undefined) return EXIT_ERROR;
  if (failOn === "none") return EXIT_OK;
  return report.findings.some((f) => atLeast(f.severity, failOn)) ? EXIT_FINDINGS : EXIT_OK;
}
