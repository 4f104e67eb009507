import { type Document, isAlias, type ScalarTag, type Tags, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import type { SourcePos, YEntry, YMap, YNode, YScalar } from "../../model/yaml-node.js";
import { LIMITS } from "./limits.js";

/** The tags Home Assistant's loader registers (homeassistant/util/yaml/loader.py). */
export const HA_TAGS = [
  "!include",
  "!include_dir_list",
  "!include_dir_named",
  "!include_dir_merge_list",
  "!include_dir_merge_named",
  "!secret",
  "!env_var",
  "!input",
] as const;
export type HaTag = (typeof HA_TAGS)[number];

/** Called for each scalar carrying one of Home Assistant's tags; returns what the tag stands for. */
export type TagResolver = (tag: HaTag, argument: string, pos: SourcePos) => YNode;

export interface ConvertProblem {
  line: number;
  column: number;
  message: string;
}

export interface Converted {
  root: YNode | undefined;
  problems: ConvertProblem[];
  /** True when the file could not be parsed: Home Assistant would refuse it. */
  fatal: boolean;
}

// Declared so the parser keeps these tags on the nodes instead of warning about unknown ones.
const haTags = HA_TAGS.map((tag) => ({ tag, resolve: (value: string) => value }));

// PyYAML's YAML 1.1 booleans are yes/no/true/false/on/off in three casings; the `yaml` package's 1.1
// schema also reads a bare y or n as a boolean, which would turn a key like `y:` into `true`.
const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

function customTags(tags: Tags): Tags {
  const withoutBool = tags.filter((tag) => typeof tag === "string" || tag.tag !== "tag:yaml.org,2002:bool");
  const bool = (value: boolean, test: RegExp): ScalarTag => ({
    identify: (v: unknown) => v === value,
    default: true,
    tag: "tag:yaml.org,2002:bool",
    test,
    resolve: () => value,
  });
  return [bool(true, PYYAML_TRUE), bool(false, PYYAML_FALSE), ...withoutBool, ...haTags];
}

/**
 * Parses one YAML file the way PyYAML's SafeLoader would (YAML 1.1: `on`/`off`/`yes` are booleans) and
 * converts it into positioned nodes. Duplicate keys, alias bombs and merge keys are handled here; the
 * tags are handed to `resolveTag`.
 */
export function convertYaml(text: string, file: string, resolveTag: TagResolver): Converted {
  const lineCounter = new LineCounter();
  const problems: ConvertProblem[] = [];
  let document: Document.Parsed;
  try {
    document = parseDocument(text, {
      version: "1.1",
      uniqueKeys: false,
      merge: false,
      customTags,
      lineCounter,
      prettyErrors: false,
      strict: false,
    });
  } catch (error) {
    return { root: undefined, problems: [{ line: 1, column: 1, message: String(error) }], fatal: true };
  }
  const posAt = (offset: number | undefined): SourcePos => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { file, line, column: col };
  };
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const { line, column } = posAt(error.pos[0]);
      problems.push({ line, column, message: `invalid YAML: ${firstLine(error.message)}` });
    }
    return { root: undefined, problems, fatal: true };
  }
  const converter = new Converter(document, posAt, resolveTag, problems);
  const contents = document.contents;
  // An empty file is an empty mapping to Home Assistant (`load_yaml` returns `OrderedDict()`).
  const root = contents === null ? emptyMap(posAt(0)) : converter.convert(contents as Node);
  return { root, problems, fatal: false };
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

function emptyMap(pos: SourcePos): YMap {
  return { kind: "map", entries: [], pos };
}

class Converter {
  private nodes = 0;
  private aliasNodes = 0;
  private budgetReported = false;
  private anchors: Map<string, Node[]> | undefined;

  constructor(
    private readonly document: Document.Parsed,
    private readonly posAt: (offset: number | undefined) => SourcePos,
    private readonly resolveTag: TagResolver,
    private readonly problems: ConvertProblem[],
  ) {}

  convert(node: Node, viaAlias = false): YNode {
    const pos = this.posAt(node.range?.[0]);
    if (!this.spend(viaAlias, pos)) return nullScalar(pos);
    if (isAlias(node)) {
      const target = this.anchorBefore(node.source, node.range?.[0] ?? 0);
      if (target === undefined) {
        this.problem(pos, `unknown alias *${node.source}`);
        return nullScalar(pos);
      }
      return this.convert(target as Node, true);
    }
    if (isScalar(node)) {
      const tag = node.tag;
      if (tag !== undefined && (HA_TAGS as readonly string[]).includes(tag)) {
        return this.resolveTag(tag as HaTag, String(node.value ?? "").trim(), pos);
      }
      const scalar: YScalar = { kind: "scalar", value: scalarValue(node.value), pos, origin: { kind: "inline" } };
      if (tag !== undefined && !tag.startsWith("tag:yaml.org")) scalar.tag = tag;
      return scalar;
    }
    if (isSeq(node)) {
      return { kind: "seq", items: node.items.map((item) => this.convert(item as Node, viaAlias)), pos };
    }
    if (isMap(node)) return this.convertMap(node.items, pos, viaAlias);
    this.problem(pos, "unsupported YAML node");
    return nullScalar(pos);
  }

  private convertMap(items: readonly unknown[], pos: SourcePos, viaAlias: boolean): YMap {
    const entries: YEntry[] = [];
    const merged: YEntry[] = [];
    const seen = new Map<string, number>();
    for (const item of items) {
      if (!isPair(item)) continue;
      const keyNode = item.key as Node | null;
      const keyPos = keyNode?.range ? this.posAt(keyNode.range[0]) : pos;
      const key = keyText(keyNode);
      const valueNode = item.value as Node | null;
      const value = valueNode === null ? nullScalar(keyPos) : this.convert(valueNode, viaAlias);
      if (key === "<<" && keyNode !== null && isScalar(keyNode) && keyNode.type === "PLAIN") {
        // YAML 1.1 merge key: the mapping(s) it names supply keys this mapping does not set itself
        for (const source of value.kind === "seq" ? value.items : [value]) {
          if (source.kind === "map") merged.push(...source.entries);
          else this.problem(keyPos, "merge key `<<` needs a mapping or a list of mappings");
        }
        continue;
      }
      const earlier = seen.get(key);
      if (earlier !== undefined && !viaAlias) {
        this.problem(
          keyPos,
          `duplicate key "${key}" (lines ${earlier} and ${keyPos.line}); Home Assistant uses the last one`,
        );
      }
      seen.set(key, keyPos.line);
      entries.push({ key, keyPos, value });
    }
    const own = new Set(entries.map((entry) => entry.key));
    const fromMerge = merged.filter((entry, index) => {
      if (own.has(entry.key)) return false;
      // among several merged maps the first one listed wins
      return merged.findIndex((other) => other.key === entry.key) === index;
    });
    return { kind: "map", entries: [...fromMerge, ...entries], pos };
  }

  /**
   * The node an alias points at: the last anchor of that name defined before it. (`Alias.resolve` walks
   * the whole document for every alias, which is quadratic on large files.)
   */
  private anchorBefore(name: string, offset: number): Node | undefined {
    this.anchors ??= collectAnchors(this.document.contents as Node | null);
    let found: Node | undefined;
    for (const anchor of this.anchors.get(name) ?? []) {
      if ((anchor.range?.[0] ?? 0) < offset) found = anchor;
    }
    return found;
  }

  /** Counts a node against the file's budgets; false once a budget is spent (reported once). */
  private spend(viaAlias: boolean, pos: SourcePos): boolean {
    this.nodes++;
    if (viaAlias) this.aliasNodes++;
    // a spent alias budget stops only alias expansion: what the file itself spells out is still read
    const over = this.nodes > LIMITS.maxNodesPerFile || (viaAlias && this.aliasNodes > LIMITS.maxAliasNodesPerFile);
    if (over && !this.budgetReported) {
      this.budgetReported = true;
      this.problem(
        pos,
        this.aliasNodes > LIMITS.maxAliasNodesPerFile
          ? `alias expansion stopped after ${LIMITS.maxAliasNodesPerFile} nodes (an alias bomb?); the rest of this value is ignored`
          : `file expands to more than ${LIMITS.maxNodesPerFile} nodes; the rest is ignored`,
      );
    }
    return !over;
  }

  private problem(pos: SourcePos, message: string): void {
    this.problems.push({ line: pos.line, column: pos.column, message });
  }
}

function collectAnchors(root: Node | null): Map<string, Node[]> {
  const anchors = new Map<string, Node[]>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || node === undefined || isAlias(node)) continue;
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    if (isScalar(node) || isMap(node) || isSeq(node)) {
      if (node.anchor) {
        const list = anchors.get(node.anchor) ?? [];
        list.push(node);
        anchors.set(node.anchor, list);
      }
      if (isMap(node) || isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return anchors;
}

function keyText(node: Node | null): string {
  if (node === null) return "null";
  if (isScalar(node)) {
    // the YAML 1.1 schema hands the merge key over as a symbol; its source text is `<<`
    if (typeof node.value === "symbol") return node.source ?? String(node.value.description);
    return node.value === null ? "null" : String(node.value);
  }
  // complex keys are legal YAML but meaningless to Home Assistant; keep something readable
  return String(node);
}

function scalarValue(value: unknown): YScalar["value"] {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

export function nullScalar(pos: SourcePos): YScalar {
  return { kind: "scalar", value: null, pos, origin: { kind: "inline" } };
}
