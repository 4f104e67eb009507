import { Composer, type CST, type Document, LineCounter, Parser } from "yaml";
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
  /** 1-based line and column of an offset in the original text. */
  positionOf: (offset: number) => { line: number; column: number };
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
  const positionOf = (counter: LineCounter, shifts?: ReadonlyMap<number, number>) => (offset: number) => {
    const { line, col } = counter.linePos(offset);
    return { line, column: Math.max(1, col - (shifts?.get(line) ?? 0)) };
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
  const position = positionOf(chosen.lineCounter, shifts);
  if (chosen.failure !== undefined) {
    problems.push({ ...position(chosen.failure.offset), message: chosen.failure.message });
    return { positionOf: position, problems };
  }
  const { document } = chosen;
  const [error] = document.errors;
  if (error !== undefined) {
    const more = document.errors.length > 1 ? ` (and ${document.errors.length - 1} more errors after it)` : "";
    problems.push({
      ...position(error.pos[0]),
      message: `invalid YAML: ${firstLine(error.message)}${more}; file not loaded`,
    });
    return { positionOf: position, problems };
  }
  const unprintable = firstNonPrintable(text);
  if (unprintable >= 0) {
    const code = (text.codePointAt(unprintable) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    problems.push({
      ...position(unprintable),
      message: `character U+${code} is not allowed in YAML: Home Assistant refuses to load this file (read here anyway)`,
    });
  }
  return { document, positionOf: position, problems };
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
  {
    const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
    for (const token of tokens) {
      const deep = tooDeep(token);
      if (deep !== undefined) {
        return {
          lineCounter,
          failure: {
            offset: deep,
            message: `nested deeper than ${LIMITS.maxNestingDepth} levels (a configuration nests a few dozen at most); file not loaded`,
          },
        };
      }
    }
    const composer = new Composer(OPTIONS);
    let document: Document.Parsed | undefined;
    let documents = 0;
    for (const composed of composer.compose(tokens, true, text.length)) {
      documents++;
      document ??= composed as Document.Parsed;
    }
    if (document === undefined) return { lineCounter, failure: { offset: 0, message: "no YAML document" } };
    if (documents > 1) {
      return {
        lineCounter,
        failure: {
          offset: 0,
          message: "several YAML documents (`---`) in one file: Home Assistant expects one; file not loaded",
        },
      };
    }
    return { document, lineCounter };
  }
}

/** The offset of the first node nested deeper than the limit, or undefined. Iterative: any depth is safe. */
function tooDeep(root: CST.Token): number | undefined {
  const stack: [CST.Token, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [token, depth] = stack.pop() as [CST.Token, number];
    if (token.type === "document") {
      if (token.value !== undefined) stack.push([token.value, depth]);
      continue;
    }
    if (token.type !== "block-map" && token.type !== "block-seq" && token.type !== "flow-collection") continue;
    if (depth >= LIMITS.maxNestingDepth) return token.offset;
    for (const item of token.items) {
      if (item.value !== undefined) stack.push([item.value, depth + 1]);
      if ("key" in item && item.key !== undefined && item.key !== null) stack.push([item.key, depth + 1]);
    }
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
