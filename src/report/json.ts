import type { Report } from "./report.js";

/** The machine interface: the report as JSON, stable key order, one trailing newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
