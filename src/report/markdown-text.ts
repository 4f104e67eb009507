/**
 * Pieces of Markdown built from text the report does not control. Controls and bidi characters are already
 * escaped (untrusted-text.ts); these keep markup in that text from changing the page: no HTML, links, images,
 * emphasis, headings, tables, math or entities (`&#8238;` would bring a right-to-left override back), while
 * `code` written between backticks in a title, message or fix stays code.
 */

/**
 * Characters CommonMark (and GitHub, Discourse) read as markup anywhere in a line: backslash, code,
 * emphasis, links (and so images), HTML and autolinks, headings, tables, entities, strikethrough, math.
 */
const MARKUP = /[\\`*_{}[\]<>#|&~$]/g;
/** A line of only `-` or `=` (and spaces) turns the line above into a heading, or draws a rule. */
const UNDERLINE_OR_RULE = /^[ \t]*[-=](?:[ \t]*[-=])*[ \t]*$/;

function escapeMarkup(text: string): string {
  return text.replace(MARKUP, (ch) => `\\${ch}`);
}

/** `text` as one code span, whatever backticks or spaces it holds (CommonMark §6.1). */
export function codeSpan(text: string): string {
  const content = text.replaceAll("\n", "\\n");
  if (content === "") return "";
  const longestRun = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = /^[` ]|[` ]$/.test(content) ? " " : "";
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** One line of text: `code` between single backticks stays code, the rest is escaped. */
function inlineLine(line: string): string {
  if (UNDERLINE_OR_RULE.test(line)) return line.replace(/[-=]/g, (ch) => `\\${ch}`);
  let out = "";
  let last = 0;
  for (const match of line.matchAll(/`([^`]+)`/g)) {
    out += escapeMarkup(line.slice(last, match.index)) + codeSpan(match[1] ?? "");
    last = match.index + match[0].length;
  }
  return out + escapeMarkup(line.slice(last));
}

/**
 * Text for a heading, a paragraph or a list item. Lines stay lines (the caller indents continuation lines
 * where the Markdown structure needs it); a pair of backticks on one line is a code span.
 */
export function inlineMarkdown(text: string): string {
  return text.split("\n").map(inlineLine).join("\n");
}

/** A fenced code block that `text` cannot close early, however many backticks it holds. */
export function fencedBlock(text: string): string {
  const longestRun = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  return `${fence}\n${text}\n${fence}`;
}
