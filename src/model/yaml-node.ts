/**
 * The configuration as Home Assistant would see it after every tag, include and package is resolved,
 * with each value remembering the file, line and column it was written at, so findings can point there.
 */

/** 1-based position in a file; `file` is relative to the configuration directory, with `/` separators. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

/** Where a scalar's value came from: typed in place, or looked up through a tag. */
export type ValueOrigin =
  | { kind: "inline" }
  | { kind: "secret"; name: string /** where the secret is defined, when it was found */; definedAt?: SourcePos }
  | { kind: "env"; name: string; usedDefault: boolean }
  | { kind: "input"; name: string };

export interface YScalar {
  kind: "scalar";
  /** The resolved value (a secret's real value when `origin.kind === "secret"`: mask before printing). */
  value: string | number | boolean | null;
  pos: SourcePos;
  origin: ValueOrigin;
  /** The YAML tag as written, when it was one we do not interpret (custom tags stay visible). */
  tag?: string;
}
export interface YEntry {
  key: string;
  keyPos: SourcePos;
  value: YNode;
}
export interface YMap {
  kind: "map";
  entries: YEntry[];
  pos: SourcePos;
}
export interface YSeq {
  kind: "seq";
  items: YNode[];
  pos: SourcePos;
}
export type YNode = YScalar | YMap | YSeq;

export function isMap(node: YNode | undefined): node is YMap {
  return node?.kind === "map";
}
export function isSeq(node: YNode | undefined): node is YSeq {
  return node?.kind === "seq";
}
export function isScalar(node: YNode | undefined): node is YScalar {
  return node?.kind === "scalar";
}

/** The value under `key` in a map (the last one wins, as in Home Assistant's loader). */
export function get(node: YNode | undefined, key: string): YNode | undefined {
  if (!isMap(node)) return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) {
    const entry = node.entries[i];
    if (entry !== undefined && entry.key === key) return entry.value;
  }
  return undefined;
}

/** Follows a path of keys through nested maps. */
export function getPath(node: YNode | undefined, ...keys: string[]): YNode | undefined {
  let current = node;
  for (const key of keys) current = get(current, key);
  return current;
}

export function getEntry(node: YNode | undefined, key: string): YEntry | undefined {
  if (!isMap(node)) return undefined;
  for (let i = node.entries.length - 1; i >= 0; i--) {
    const entry = node.entries[i];
    if (entry !== undefined && entry.key === key) return entry;
  }
  return undefined;
}

/** A scalar's value as a string, or undefined for maps, sequences and null. */
export function scalarString(node: YNode | undefined): string | undefined {
  if (!isScalar(node) || node.value === null) return undefined;
  return String(node.value);
}

/** A node as a list: a sequence's items, a lone scalar as one item (Home Assistant's `ensure_list`). */
export function asList(node: YNode | undefined): YNode[] {
  if (node === undefined) return [];
  if (isSeq(node)) return node.items;
  if (isScalar(node) && node.value === null) return [];
  return [node];
}

/** Every scalar under a node with the chain of keys that leads to it, for checks that look everywhere. */
export function* walkScalars(
  node: YNode | undefined,
  path: readonly string[] = [],
): Generator<{ path: readonly string[]; scalar: YScalar }> {
  if (node === undefined) return;
  if (node.kind === "scalar") {
    yield { path, scalar: node };
  } else if (node.kind === "seq") {
    for (const [index, item] of node.items.entries()) yield* walkScalars(item, [...path, String(index)]);
  } else {
    for (const entry of node.entries) yield* walkScalars(entry.value, [...path, entry.key]);
  }
}

/** Every map entry under a node (depth first) with the path of keys above it. */
export function* walkEntries(
  node: YNode | undefined,
  path: readonly string[] = [],
): Generator<{ path: readonly string[]; entry: YEntry }> {
  if (node === undefined || node.kind === "scalar") return;
  if (node.kind === "seq") {
    for (const [index, item] of node.items.entries()) yield* walkEntries(item, [...path, String(index)]);
    return;
  }
  for (const entry of node.entries) {
    yield { path, entry };
    yield* walkEntries(entry.value, [...path, entry.key]);
  }
}
