/**
 * Where the `yaml` package and PyYAML (which Home Assistant uses) disagree about what text is valid YAML,
 * settled on PyYAML's side.
 *
 * PyYAML does not check the indentation of the continuation lines of a quoted scalar or a flow collection
 * (its scanner only tracks indentation in block context: lib/yaml/scanner.py `scan_flow_scalar_spaces`,
 * `unwind_indent` is skipped while `flow_level` > 0), and libyaml does the same; the `yaml` package requires
 * them to be indented more than the enclosing block and otherwise fails the whole file ("Missing closing
 * quote", "Flow sequence in block collection must be sufficiently indented"). Real configurations are full
 * of such templates:
 *
 *     value_template: "{{ states('sensor.a')
 *   | float }}"
 *
 * Leading white space of those lines is not part of any value (a quoted scalar folds it away, a flow
 * collection ignores it), so indenting them changes nothing but the verdict. The loader does it only for a
 * file the package refused, and keeps the result only when the package then reads the file without error.
 */

/** A multi-line quoted scalar or flow collection: its first and last line (0-based) and opening column. */
interface Region {
  first: number;
  last: number;
  column: number;
  /** False when a continuation line is a document marker, which PyYAML refuses inside such a node too. */
  fixable: boolean;
}

export interface Reindented {
  text: string;
  /** 1-based line → characters added at its start (columns on it are that much further right). */
  shifts: Map<number, number>;
}

/**
 * The text with every continuation line of a multi-line quoted scalar or flow collection indented past the
 * column where it opened; undefined when there is nothing to change (or the text cannot be scanned).
 */
export function reindentContinuations(text: string): Reindented | undefined {
  const regions = new ContinuationScanner(text).scan();
  if (regions === undefined) return undefined;
  const lines = text.split("\n");
  const need = new Map<number, number>();
  for (const region of regions) {
    if (!region.fixable) continue;
    for (let line = region.first + 1; line <= region.last; line++) {
      need.set(line, Math.max(need.get(line) ?? 0, region.column + 1));
    }
  }
  const shifts = new Map<number, number>();
  for (const [index, column] of need) {
    const line = lines[index] ?? "";
    if (/^[ \t\r]*$/.test(line)) continue; // an empty line is a line break in the value whatever its spaces
    const lead = /^[ \t]*/.exec(line)?.[0] ?? "";
    if (!lead.includes("\t") && lead.length >= column) continue;
    const target = Math.max(column, lead.length);
    lines[index] = " ".repeat(target) + line.slice(lead.length);
    shifts.set(index + 1, target - lead.length);
  }
  return shifts.size === 0 ? undefined : { text: lines.join("\n"), shifts };
}

const isBlank = (c: string | undefined): boolean => c === " " || c === "\t";
const isEnd = (c: string | undefined): boolean => c === undefined || c === "\n" || c === "\r";
const isSpaceOrEnd = (c: string | undefined): boolean => isBlank(c) || isEnd(c);

/**
 * A scanner that knows just enough YAML to find where quoted scalars and flow collections start (the start of
 * a node: after indentation, `- `, `? `, `: `, node properties, or inside a flow collection after `[`, `{`,
 * `,`) and skip what cannot hold one (comments, block scalars, the rest of a plain scalar).
 */
class ContinuationScanner {
  private pos = 0;
  private line = 0;
  private lineStart = 0;
  private readonly regions: Region[] = [];

  constructor(private readonly text: string) {}

  scan(): Region[] | undefined {
    const { text } = this;
    while (this.pos < text.length) {
      let indent = 0;
      while (text[this.pos] === " ") {
        this.pos++;
        indent++;
      }
      if (indent === 0 && text[this.pos] === "%") this.skipToLineEnd();
      else if (indent === 0 && this.atDocumentMarker()) this.pos += 3;
      if (!this.scanBlockLine(indent - 1)) return undefined;
      this.nextLine();
    }
    return this.regions;
  }

  /** The rest of a line in block context; false when a quoted scalar or flow collection never ends. */
  private scanBlockLine(lineOwner: number): boolean {
    const { text } = this;
    let owner = lineOwner; // column of the innermost key or `-` on this line: a block scalar's parent
    let nodeStart = true;
    let lastNodeColumn = owner;
    while (!isEnd(text[this.pos])) {
      const c = text[this.pos];
      const next = text[this.pos + 1];
      if (isBlank(c)) {
        this.pos++;
        continue;
      }
      if (c === "#") return this.skipToLineEnd();
      if (c === ":" && isSpaceOrEnd(next)) {
        // `key: value`, or the value of an explicit `? key`
        if (!nodeStart) owner = lastNodeColumn;
        this.pos++;
        nodeStart = true;
        continue;
      }
      if (!nodeStart) {
        this.skipPlain();
        continue;
      }
      if ((c === "-" || c === "?") && isSpaceOrEnd(next)) {
        owner = this.column();
        this.pos++;
        continue;
      }
      if (c === "&" || c === "!") {
        while (!isSpaceOrEnd(text[this.pos])) this.pos++;
        continue;
      }
      lastNodeColumn = this.column();
      nodeStart = false;
      if (c === '"' || c === "'") {
        if (!this.scanQuoted()) return false;
      } else if (c === "[" || c === "{") {
        if (!this.scanFlow()) return false;
      } else if (c === "|" || c === ">") {
        this.skipToLineEnd();
        this.skipBlockScalar(owner);
        return true;
      } else if (c === "*") {
        while (!isSpaceOrEnd(text[this.pos])) this.pos++;
      } else {
        this.skipPlain();
      }
    }
    return true;
  }

  /** A plain scalar up to `: `, ` #` or the end of the line. */
  private skipPlain(): void {
    const { text } = this;
    while (!isEnd(text[this.pos])) {
      const c = text[this.pos];
      if (c === ":" && isSpaceOrEnd(text[this.pos + 1])) return;
      if (isBlank(c) && text[this.pos + 1] === "#") return;
      this.pos++;
    }
  }

  /** From an opening quote to its closing one, across lines; false when it never closes. */
  private scanQuoted(): boolean {
    const { text } = this;
    const quote = text[this.pos];
    const first = this.line;
    const column = this.column();
    let fixable = true;
    this.pos++;
    while (this.pos < text.length) {
      const c = text[this.pos];
      if (c === "\n") {
        fixable = this.nextContinuationLine() && fixable;
        continue;
      }
      if (quote === "'" && c === "'") {
        if (text[this.pos + 1] !== "'") break;
        this.pos += 2;
        continue;
      }
      if (quote === '"' && c === "\\") {
        this.pos++; // the escaped character (a line break too, handled on the next turn)
        if (text[this.pos] !== "\n") this.pos++;
        continue;
      }
      if (c === quote) break;
      this.pos++;
    }
    if (this.pos >= text.length) return false;
    this.pos++;
    if (this.line > first) this.regions.push({ first, last: this.line, column, fixable });
    return true;
  }

  /** From `[` or `{` to the bracket that closes it, quoted scalars and comments inside; false when unclosed. */
  private scanFlow(): boolean {
    const { text } = this;
    const first = this.line;
    const column = this.column();
    let fixable = true;
    let depth = 0;
    let entryStart = true;
    while (this.pos < text.length) {
      const c = text[this.pos];
      if (c === "\n") {
        fixable = this.nextContinuationLine() && fixable;
        continue;
      }
      if (isBlank(c) || c === "\r") {
        this.pos++;
        if (text[this.pos] === "#") this.skipToLineEnd();
        continue;
      }
      if (entryStart && (c === '"' || c === "'")) {
        if (!this.scanQuoted()) return false;
        entryStart = false;
        continue;
      }
      this.pos++;
      if (c === "[" || c === "{") {
        depth++;
        entryStart = true;
      } else if (c === "]" || c === "}") {
        depth--;
        if (depth === 0) break;
      } else if (c === "," || ((c === ":" || c === "?") && (isSpaceOrEnd(text[this.pos]) || text[this.pos] === ","))) {
        entryStart = true;
      } else {
        entryStart = false;
      }
    }
    if (depth !== 0) return false;
    if (this.line > first) this.regions.push({ first, last: this.line, column, fixable });
    return true;
  }

  /** The lines of a block scalar's content: blank, or indented deeper than its parent node. */
  private skipBlockScalar(parentColumn: number): void {
    const { text } = this;
    while (this.pos < text.length) {
      let probe = this.pos + 1; // past the line break
      let indent = 0;
      while (text[probe] === " ") {
        probe++;
        indent++;
      }
      const blank = isEnd(text[probe]) || text[probe] === "\t";
      if (!blank && indent <= parentColumn) return;
      if (probe >= text.length) return;
      this.nextLine();
      this.skipToLineEnd();
    }
  }

  private skipToLineEnd(): true {
    const end = this.text.indexOf("\n", this.pos);
    this.pos = end < 0 ? this.text.length : end;
    return true;
  }

  /**
   * Into the next line of a multi-line node; false when that line is a document marker, which ends the
   * document for PyYAML too (such a node is left as it is: both refuse it).
   */
  private nextContinuationLine(): boolean {
    this.nextLine();
    return !this.atDocumentMarker();
  }

  /** Moves past the line break at `pos` (or stays at the end of the text). */
  private nextLine(): void {
    if (this.text[this.pos] !== "\n") this.skipToLineEnd();
    if (this.pos >= this.text.length) return;
    this.pos++;
    this.line++;
    this.lineStart = this.pos;
  }

  private column(): number {
    return this.pos - this.lineStart;
  }

  /** `---` or `...` at the start of the line, alone or followed by white space. */
  private atDocumentMarker(): boolean {
    const { text, pos } = this;
    if (pos !== this.lineStart) return false;
    const marker = text.slice(pos, pos + 3);
    return (marker === "---" || marker === "...") && isSpaceOrEnd(text[pos + 3]);
  }
}

/**
 * The first character PyYAML refuses anywhere in a file ("unacceptable character ... special characters are
 * not allowed": lib/yaml/reader.py `NON_PRINTABLE`), or -1. The `yaml` package reads them without complaint.
 */
export function firstNonPrintable(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these control characters are what it looks for
  const match = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\uD800-\uDBFF\uDC00-\uDFFF]/.exec(text);
  return match === null ? -1 : match.index;
}
