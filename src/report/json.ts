import type { Report } from "./report.js";
import { escapeJsonText } from "./untrusted-text.js";

/**
 * The machine interface: the report as JSON, stable key order, one trailing newline. Values are exact; the
 * characters that could steer a terminal showing the file are written as `\u` escapes.
 */
export function renderJson(report: Report): string {
  return `${escapeJsonText(JSON.stringify(report, null, 2))}\n`;
}
