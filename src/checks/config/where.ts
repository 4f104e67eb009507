import type { FileLocation } from "../../model/finding.js";
import type { SourcePos } from "../../model/yaml-node.js";

/** A finding location from a YAML position (file relative to the config dir, 1-based line and column). */
export function at(pos: SourcePos): FileLocation {
  return { file: pos.file, line: pos.line, column: pos.column };
}

/** The 1-based line and column of a character offset in a text. */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Dotted path of keys for messages: `homeassistant.auth_providers[0].type`. */
export function dotted(path: readonly string[]): string {
  return path.reduce((acc, key) => (/^\d+$/.test(key) ? `${acc}[${key}]` : acc === "" ? key : `${acc}.${key}`), "");
}
