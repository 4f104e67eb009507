import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import type { Report } from "./report.js";
import { renderSarif } from "./sarif.js";
import { renderText } from "./text.js";

export const FORMATS = ["text", "json", "sarif", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

export interface RenderOptions {
  /** Colour codes (text on a terminal only). */
  color: boolean;
  /** The Markdown page's length limit; 0 for none. Default MARKDOWN_MAX_CHARS. */
  markdownMaxChars?: number;
}

/** Every reporter is a pure function of the report; colour only for text on a terminal. */
export function render(format: Format, report: Report, options: RenderOptions): string {
  switch (format) {
    case "text":
      return renderText(report, options);
    case "json":
      return renderJson(report);
    case "sarif":
      return renderSarif(report);
    case "markdown":
      return renderMarkdown(
        report,
        options.markdownMaxChars === undefined ? {} : { maxChars: options.markdownMaxChars },
      );
  }
}

/** The file name used for a format when several are written into one `--output` folder. */
export const FORMAT_FILE: Record<Format, string> = {
  text: "hassguard.txt",
  json: "hassguard.json",
  sarif: "hassguard.sarif",
  markdown: "hassguard.md",
};
