/*
 * Reads the keys a Home Assistant integration redacts from its diagnostics (`TO_REDACT = {CONF_PASSWORD, "key"}`,
 * `REDACT_CONFIG = [...]`, `async_redact_data(data, {...})`) out of its diagnostics.py, resolving constant names
 * through the files that define them. Pure text work on Python source, used by derive-integration-secrets.ts.
 */

export interface RedactedKeys {
  /** The names of the sets read (`TO_REDACT`, `REDACT_CONFIG`, or `async_redact_data(…)` for a literal argument). */
  sets: string[];
  /** Resolved key names, in order of first appearance, without repeats. */
  keys: string[];
  /** Constant names no given file defines (a library's constant): a person resolves them by hand. */
  unresolved: string[];
}

/** `NAME = {`, `NAME: Final = [`, `NAME: set[str] = (`: a collection assigned to a name that says REDACT. */
const REDACT_ASSIGNMENT = /^([A-Z0-9_]*REDACT[A-Z0-9_]*)\s*(?::[^=\n]{1,80})?=\s*([[{(])/gm;
/** A literal collection passed to async_redact_data as its second argument. */
const REDACT_CALL = /async_redact_data\(/g;

/**
 * The redacted keys of one diagnostics.py. `definitions` are the texts that may define its constants, searched in
 * order (the file itself first, then the component's const.py and __init__.py, then homeassistant/const.py).
 */
export function redactedKeys(diagnostics: string, definitions: readonly string[]): RedactedKeys {
  const sets: string[] = [];
  const items: string[] = [];
  for (const m of diagnostics.matchAll(REDACT_ASSIGNMENT)) {
    const body = bracketBody(diagnostics, (m.index ?? 0) + m[0].length - 1);
    if (body === undefined) continue;
    sets.push(m[1] ?? "");
    items.push(...splitItems(body));
  }
  for (const m of diagnostics.matchAll(REDACT_CALL)) {
    const args = bracketBody(diagnostics, (m.index ?? 0) + m[0].length - 1);
    const second = args === undefined ? undefined : splitItems(args)[1];
    if (second === undefined || !/^[[{(]/.test(second)) continue;
    const body = bracketBody(second, 0);
    if (body === undefined) continue;
    sets.push("async_redact_data(…)");
    items.push(...splitItems(body));
  }
  const keys: string[] = [];
  const unresolved: string[] = [];
  for (const item of items) {
    const literal = /^(?:"([^"]*)"|'([^']*)')$/.exec(item);
    const key = literal ? (literal[1] ?? literal[2]) : resolve(item, [diagnostics, ...definitions]);
    if (key === undefined) {
      if (/^[A-Za-z_][\w.]*$/.test(item) && !unresolved.includes(item)) unresolved.push(item);
      continue;
    }
    if (!keys.includes(key)) keys.push(key);
  }
  return { sets, keys, unresolved };
}

/** The text between the bracket at `open` and its match (strings and comments skipped), or undefined. */
function bracketBody(text: string, open: number): string | undefined {
  const closing: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
  const stack: string[] = [];
  for (let i = open; i < text.length && i < open + 20_000; i++) {
    const c = text.charAt(i);
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return undefined;
      i = end;
    } else if (c === "#") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if (closing[c] !== undefined) {
      stack.push(closing[c] as string);
    } else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return text.slice(open + 1, i);
    }
  }
  return undefined;
}

/** Top-level comma-separated items of a collection body, comments dropped. */
function splitItems(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    if (c === '"' || c === "'") {
      const end = body.indexOf(c, i + 1);
      current += body.slice(i, end < 0 ? body.length : end + 1);
      i = end < 0 ? body.length : end;
      continue;
    }
    if (c === "#") {
      const end = body.indexOf("\n", i);
      i = end < 0 ? body.length : end;
      continue;
    }
    if ("([{".includes(c)) depth++;
    if (")]}".includes(c)) depth--;
    if (c === "," && depth === 0) {
      items.push(current.trim());
      current = "";
    } else current += c;
  }
  if (current.trim() !== "") items.push(current.trim());
  return items.filter((item) => item !== "");
}

/** `CONF_PASSWORD` → `password` from the first text that assigns it a string (`Final` annotations allowed). */
function resolve(name: string, texts: readonly string[]): string | undefined {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) return undefined;
  const assignment = new RegExp(`^${name}\\s*(?::[^=\\n]{1,40})?=\\s*(?:"([^"]*)"|'([^']*)')`, "m");
  for (const text of texts) {
    const m = assignment.exec(text);
    if (m !== null) return m[1] ?? m[2];
  }
  return undefined;
}
