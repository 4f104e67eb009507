import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { defineCheck } from "../../src/model/check.js";
import { runChecks } from "../../src/model/engine.js";
import type { Facts } from "../../src/model/facts.js";
import { FORMATS, render } from "../../src/report/index.js";
import { buildReport, type Report } from "../../src/report/report.js";
import { escapeUntrusted } from "../../src/report/untrusted-text.js";
import { sarifValidator } from "../helpers/sarif-schema.js";

/**
 * What a hostile peer, log line or configuration file can put in any string of a report: a terminal escape
 * that clears the screen and paints a fake score, an 8-bit CSI, a right-to-left override, zero-width and tag
 * characters, a line separator, a carriage return, and Markdown/HTML markup.
 */
const HOSTILE =
  "nginx\u001b[2J\u001b[1;1HScore 100/100\u009b31m" +
  "\u202egnp.exe\u2066x\u2069\u200b\u200d\ufeff\u{e0041}\u2028\r" +
  "<img src=x onerror=alert(1)>[click](https://evil.example)&#8238;**bold**~~gone~~$x^2$|cell|";
/** The same with a newline: allowed in messages (reporters indent it), never in one-line fields. */
const HOSTILE_LINES = `${HOSTILE}\n# Score 100/100\n===\n> quoted`;

/** Every character a terminal or a bidi-aware viewer would act on, except the newline. */
const RAW_UNSAFE = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
/** picocolors' colour codes: the only escape sequences the text report writes itself. */
const OWN_COLOURS = new RegExp(`${String.fromCharCode(0x1b)}\\[\\d+(?:;\\d+)*m`, "g");

const hostileCheck = defineCheck({
  id: "test/hostile",
  title: "Finding",
  severity: "high",
  area: "network",
  checklist: "ports",
  needs: [],
  description: "Reports strings exactly as the facts gave them.",
  remediation: "Fix it.",
  sources: ["test"],
  run: () => [
    {
      title: `Title ${HOSTILE}`,
      message: `Message ${HOSTILE_LINES}`,
      evidence: `Server: ${HOSTILE}`,
      location: { file: `dir/${HOSTILE}.yaml`, line: 3 },
      remediation: `Fix ${HOSTILE}`,
    },
    { message: "on a port", location: { host: HOSTILE, port: 8123, protocol: "tcp" } },
    { message: "at a URL", location: { url: `http://${HOSTILE}/` } },
    { message: "of a user", location: { user: HOSTILE } },
    { message: "repeated, so grouped", location: { file: `${HOSTILE}.yaml`, line: 1 } },
  ],
});

function hostileReport(): Report {
  const facts: Facts = { missing: {}, errors: [], now: new Date(0) };
  const run = runChecks([hostileCheck], facts);
  return buildReport({
    version: "9.9.9",
    targets: { config: `/config/${HOSTILE}`, host: HOSTILE, url: null },
    startedAt: new Date("2026-11-23T12:00:00Z"),
    durationMs: 1,
    findings: run.findings,
    network: {
      hosts: [
        {
          address: "127.0.0.1",
          hostname: HOSTILE,
          ports: [
            { port: 80, protocol: "tcp", state: "open", service: HOSTILE, product: HOSTILE, banner: HOSTILE },
            { port: 22, protocol: "tcp", state: "open", service: "ssh", product: "```\n# fenced out" },
          ],
        },
      ],
    },
    notChecked: [{ id: `test/${HOSTILE}`, reason: HOSTILE_LINES }],
    errors: [{ source: "config", file: `${HOSTILE}.yaml`, line: 7, message: HOSTILE_LINES }],
    suppressed: [{ id: `id/${HOSTILE}`, location: { file: `${HOSTILE}.yaml` }, reason: HOSTILE_LINES }],
  });
}

/** Every string in a value, however deep. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

describe("hostile text in every reporter", () => {
  const report = hostileReport();

  it("the test report really carries the hostile characters in every kind of field", () => {
    const all = strings(report);
    expect(all.filter((s) => s.includes("\u001b[2J")).length).toBeGreaterThan(15);
    expect(JSON.stringify(report)).toContain("\\u001b[2J");
  });

  it("text: no control, bidi or invisible character reaches the terminal; each shows as an escape", () => {
    for (const color of [false, true]) {
      const text = render("text", report, { color });
      const withoutOwnColours = text.replace(OWN_COLOURS, "");
      expect(withoutOwnColours).not.toMatch(RAW_UNSAFE);
      expect(text).toContain("nginx\\x1b[2J\\x1b[1;1HScore 100/100\\x9b31m\\u202egnp.exe");
      expect(text).toContain("\\u200b\\u200d\\ufeff\\u{e0041}\\u2028\\r");
    }
  });

  it("text: a newline from outside cannot start a line of its own that looks like the report's", () => {
    const text = render("text", report, { color: false });
    // the report's own score line is the only one that starts with "Score"
    expect(text.split("\n").filter((line) => line.startsWith("Score"))).toHaveLength(1);
    // one-line fields (evidence, locations, titles, host names) never break the line at all
    expect(text).toContain("evidence: Server: nginx\\x1b[2J");
    expect(text).not.toMatch(/^# Score/m);
  });

  it("Markdown: no raw control, bidi or invisible character; no markup from outside takes effect", () => {
    const md = render("markdown", report, { color: false });
    expect(md).not.toMatch(RAW_UNSAFE);
    // rendered as a CommonMark viewer (with GitHub's tables and strikethrough, raw HTML allowed) would
    const html = new MarkdownIt({ html: true }).render(md);
    expect(html).not.toMatch(RAW_UNSAFE); // `&#8238;` from outside must not turn back into an override
    expect(html).not.toMatch(/<img|<table|<del|<s>|<blockquote|<h1>(?!hassguard report)/);
    expect(html).not.toContain('href="https://evil.example"');
    expect(html).not.toMatch(/<strong>bold/);
    // headings: only the report's own (the title, the sections, one per group of findings)
    expect([...html.matchAll(/<h(\d)>/g)].map((m) => m[1])).toEqual(["1", "2", "2", "3", "3", "2", "2", "2"]);
    expect(html).not.toContain("<hr");
    // math (GitHub renders $...$ outside code): the dollar signs there are escaped
    const outsideCode = md.replace(/^(`{3,})\n[\s\S]*?\n\1$/gm, "").replace(/(`+)[^`]*?\1/g, "");
    expect(outsideCode).toContain("\\$x^2\\$");
    expect(outsideCode).not.toMatch(/(?<!\\)\$x\^2/);
    // the escapes are visible, and one-line fields are one code span each
    expect(html).toContain("nginx\\x1b[2J\\x1b[1;1HScore 100/100");
    expect(html).toContain("<code>Server: nginx\\x1b[2J");
  });

  it("Markdown: a port table that holds backticks cannot close its fence", () => {
    const md = render("markdown", report, { color: false });
    const network = md.slice(md.indexOf("## Network"), md.indexOf("## High"));
    const fence = /^(`{3,})$/m.exec(network)?.[1] ?? "";
    expect(fence.length).toBeGreaterThan(3);
    expect(network.split("\n").filter((line) => line === fence)).toHaveLength(2);
  });

  it("JSON: exact values after parsing, and no raw control, bidi or invisible character in the file", () => {
    const json = render("json", report, { color: false });
    expect(json).not.toMatch(RAW_UNSAFE);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(json).toContain("\\u202e");
  });

  it("SARIF: valid, exact values after parsing, and no raw control, bidi or invisible character", () => {
    const sarifText = render("sarif", report, { color: false });
    expect(sarifText).not.toMatch(RAW_UNSAFE);
    const sarif = JSON.parse(sarifText);
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const texts = sarif.runs[0].results.map((r: { message: { text: string } }) => r.message.text);
    expect(texts).toContain(`Message ${HOSTILE_LINES} (Server: ${HOSTILE})`);
  });

  it("every format renders it", () => {
    for (const format of FORMATS) expect(render(format, report, { color: false }).length).toBeGreaterThan(0);
  });
});

describe("the shared escaping function", () => {
  it("turns each unsafe character into a visible escape and leaves ordinary text alone", () => {
    expect(escapeUntrusted("\u001b[2J")).toBe("\\x1b[2J");
    expect(escapeUntrusted("a\u202eb")).toBe("a\\u202eb");
    expect(escapeUntrusted("\u{e0041}")).toBe("\\u{e0041}");
    expect(escapeUntrusted("\ud800")).toBe("\\ud800");
    expect(escapeUntrusted("a\nb\tc")).toBe("a\\nb\\tc");
    expect(escapeUntrusted("a\nb", { keepNewlines: true })).toBe("a\nb");
    expect(escapeUntrusted("Zürich 日本 — “quotes” ✓ 🏠")).toBe("Zürich 日本 — “quotes” ✓ 🏠");
  });
});
