import { Composer, type CST, type Document, Lexer, LineCounter, Parser } from "yaml";
import type { SourcePos } from "../../model/yaml-node.js";
import { withCheapDebugSwitches } from "./env-shield.js";
import { LIMITS } from "./limits.js";
import { firstNonPrintable, reindentContinuations } from "./pyyaml-text.js";
import { pyyamlTags } from "./yaml-schema.js";

export interface ParseProblem {
  line: number;
  column: number;
  message: string;
}

export interface ParsedYaml {
  /** Undefined when the file could not be read as YAML at all (then `problems` says why, once). */
  document?: Document.Parsed;
  /**
   * `file:line:column` of an offset in the original text. Called for every node of every file: one object per
   * call, and the line shifts of re-indented text (pyyaml-text.ts) looked up only when there are any.
   */
  positionIn: (file: string) => (offset: number) => SourcePos;
  problems: ParseProblem[];
}

const OPTIONS = {
  version: "1.1",
  uniqueKeys: false,
  merge: false,
  customTags: pyyamlTags,
  strict: false,
} as const;

/**
 * Parses one YAML file as Home Assistant's PyYAML would accept it: what PyYAML reads and the `yaml` package
 * refuses (under-indented continuation lines, pyyaml-text.ts) is read, and a file that still fails gives one
 * problem, at the first error, not one per line of cascading errors. Nesting deeper than
 * `LIMITS.maxNestingDepth` is refused before composing: the composer recurses once per level and would run out
 * of stack.
 */
export function parseYaml(text: string): ParsedYaml {
  const problems: ParseProblem[] = [];
  const original = compose(text);
  const positionIn = (counter: LineCounter, shifts?: ReadonlyMap<number, number>) => (file: string) =>
    shifts === undefined
      ? (offset: number): SourcePos => {
          const { line, col } = counter.linePos(offset);
          return { file, line, column: col };
        }
      : (offset: number): SourcePos => {
          const { line, col } = counter.linePos(offset);
          return { file, line, column: Math.max(1, col - (shifts.get(line) ?? 0)) };
        };
  let chosen = original;
  let shifts: ReadonlyMap<number, number> | undefined;
  if (original.failure === undefined && original.document.errors.length > 0) {
    const reindented = reindentContinuations(text);
    const retried = reindented === undefined ? undefined : compose(reindented.text);
    if (retried?.failure === undefined && retried?.document.errors.length === 0) {
      chosen = retried;
      shifts = reindented?.shifts;
    }
  }
  const positions = positionIn(chosen.lineCounter, shifts);
  const position = positions("");
  if (chosen.failure !== undefined) {
    const { line, column } = position(chosen.failure.offset);
    problems.push({ line, column, message: chosen.failure.message });
    return { positionIn: positions, problems };
  }
  const { document } = chosen;
  const [error] = document.errors;
  if (error !== undefined) {
    const more = document.errors.length > 1 ? ` (and ${document.errors.length - 1} more errors after it)` : "";
    const { line, column } = position(error.pos[0]);
    problems.push({ line, column, message: `invalid YAML: ${firstLine(error.message)}${more}; file not loaded` });
    return { positionIn: positions, problems };
  }
  const unprintable = firstNonPrintable(text);
  if (unprintable >= 0) {
    const code = (text.codePointAt(unprintable) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    const { line, column } = position(unprintable);
    problems.push({
      line,
      column,
      message: `character U+${code} is not allowed in YAML: Home Assistant refuses to load this file (read here anyway)`,
    });
  }
  return { document, positionIn: positions, problems };
}

type Composed =
  | { document: Document.Parsed; lineCounter: LineCounter; failure?: undefined }
  | { lineCounter: LineCounter; failure: { offset: number; message: string } };

function compose(text: string): Composed {
  const lineCounter = new LineCounter();
  try {
    return withCheapDebugSwitches(() => composeOnce(text, lineCounter));
  } catch (error) {
    // the checks above leave nothing known to throw; a parser bug must still not stop the audit
    return {
      lineCounter,
      failure: { offset: 0, message: `the YAML parser failed: ${String(error)}; file not loaded` },
    };
  }
}

function composeOnce(text: string, lineCounter: LineCounter): Composed {
  // Parser.parse unrolled, so the depth is watched as it grows at no extra pass: the parser's stack holds the
  // open document, collections and scalar (the composer recurses once per level and would run out of stack)
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > LIMITS.maxNestingDepth + 2) {
      const message = `nested deeper than ${LIMITS.maxNestingDepth} levels (a configuration nests a few dozen at most); file not loaded`;
      return { lineCounter, failure: { offset: parser.offset, message } };
    }
  }
  for (const token of parser.end()) tokens.push(token);
  let document: Document.Parsed | undefined;
  let documents = 0;
  for (const composed of new Composer(OPTIONS).compose(tokens, true, text.length)) {
    documents++;
    document ??= composed as Document.Parsed;
  }
  if (document === undefined) return { lineCounter, failure: { offset: 0, message: "no YAML document" } };
  if (documents > 1) {
    const message = "several YAML documents (`---`) in one file: Home Assistant expects one; file not loaded";
    return { lineCounter, failure: { offset: 0, message } };
  }
  return { document, lineCounter };
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
