import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type ScalarTag,
  type Tags,
} from "yaml";
import type { SourcePos, ValueOrigin, YEntry, YMap, YNode, YScalar } from "../../model/yaml-node.js";
import { withCheapDebugSwitches } from "./env-shield.js";
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
const HA_TAG_SET: ReadonlySet<string> = new Set(HA_TAGS);

/**
 * The origin of every value typed in place. One shared, frozen object instead of one per scalar: a large
 * home has hundreds of thousands of scalars, and every object kept alive is copied by each young-generation
 * garbage collection it survives (the profile's largest cost after parsing itself).
 */
const INLINE: ValueOrigin = Object.freeze({ kind: "inline" });

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
const TRUE_WORDS = ["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"];
const FALSE_WORDS = ["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"];
const PYYAML_TRUE = new RegExp(`^(?:${TRUE_WORDS.join("|")})$`);
const PYYAML_FALSE = new RegExp(`^(?:${FALSE_WORDS.join("|")})$`);

/**
 * Plain scalars that can only be strings: they start with a letter and are not a null or boolean spelling.
 * Every other YAML 1.1 pattern (numbers, .inf/.nan, timestamps, sexagesimals, `<<`, `~`, the empty value)
 * starts with something else. The parser tries each type's pattern in turn for every plain scalar (a dozen
 * regular expressions) before settling on a string; most scalars of a Home Assistant configuration are such
 * words (`platform`, `light.kitchen`, `turn_on`), so trying this one first saves the rest.
 */
const SURELY_A_STRING = new RegExp(`^(?!(?:null|Null|NULL|${[...TRUE_WORDS, ...FALSE_WORDS].join("|")})$)[A-Za-z]`);

function customTags(tags: Tags): Tags {
  const withoutBool = tags.filter((tag) => typeof tag === "string" || tag.tag !== "tag:yaml.org,2002:bool");
  const bool = (value: boolean, test: RegExp): ScalarTag => ({
    identify: (v: unknown) => v === value,
    default: true,
    tag: "tag:yaml.org,2002:bool",
    test,
    resolve: () => value,
  });
  // A tag name of its own and no `identify`: it only ever answers "which type is this plain scalar?", so
  // explicit `!!str` tags and the stringifying of complex keys still find the package's own string tag.
  const word: ScalarTag = {
    default: true,
    tag: "tag:hassguard:plain-word",
    test: SURELY_A_STRING,
    resolve: (value: string) => value,
  };
  return [word, bool(true, PYYAML_TRUE), bool(false, PYYAML_FALSE), ...withoutBool, ...haTags];
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
    document = withCheapDebugSwitches(() =>
      parseDocument(text, {
        version: "1.1",
        uniqueKeys: false,
        merge: false,
        customTags,
        lineCounter,
        prettyErrors: false,
        strict: false,
      }),
    );
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
    if (isScalar(node)) {
      const tag = node.tag;
      if (tag !== undefined && HA_TAG_SET.has(tag)) {
        return this.resolveTag(tag as HaTag, String(node.value ?? "").trim(), pos);
      }
      const scalar: YScalar = { kind: "scalar", value: scalarValue(node.value), pos, origin: INLINE };
      if (tag !== undefined && !tag.startsWith("tag:yaml.org")) scalar.tag = tag;
      return scalar;
    }
    if (isMap(node)) return this.convertMap(node.items, pos, viaAlias);
    if (isSeq(node)) {
      // sized up front (see convertMap)
      const items = new Array<YNode>(node.items.length);
      for (let i = 0; i < items.length; i++) items[i] = this.convert(node.items[i] as Node, viaAlias);
      return { kind: "seq", items, pos };
    }
    if (isAlias(node)) {
      const target = this.anchorBefore(node.source, node.range?.[0] ?? 0);
      if (target === undefined) {
        this.problem(pos, `unknown alias *${node.source}`);
        return nullScalar(pos);
      }
      return this.convert(target as Node, true);
    }
    this.problem(pos, "unsupported YAML node");
    return nullScalar(pos);
  }

  /**
   * A mapping's entries in order, merge keys applied. Written without per-map sets and copies (most maps
   * are small and have no merge key): this runs for every mapping of every file.
   *
   * The entries array is sized up front and trimmed at the end: an array grown by `push` from empty keeps
   * room for 17 elements, and the whole tree stays in memory for the checks (on a large home the slack was
   * a sixth of the retained heap, all of it copied by the garbage collector).
   */
  private convertMap(items: readonly unknown[], pos: SourcePos, viaAlias: boolean): YMap {
    const entries = new Array<YEntry>(items.length);
    let count = 0;
    let merged: YEntry[] | undefined;
    // key → line of its last occurrence; built only once a map is large enough for a scan to cost more
    let lineOfKey: Map<string, number> | undefined;
    for (const item of items) {
      if (!isPair(item)) continue;
      const keyNode = item.key as Node | null;
      const keyPos = keyNode?.range ? this.posAt(keyNode.range[0]) : pos;
      const key = keyText(keyNode);
      const valueNode = item.value as Node | null;
      const value = valueNode === null ? nullScalar(keyPos) : this.convert(valueNode, viaAlias);
      if (key === "<<" && keyNode !== null && isScalar(keyNode) && keyNode.type === "PLAIN") {
        // YAML 1.1 merge key: the mapping(s) it names supply keys this mapping does not set itself
        merged ??= [];
        for (const source of value.kind === "seq" ? value.items : [value]) {
          if (source.kind === "map") merged.push(...source.entries);
          else this.problem(keyPos, "merge key `<<` needs a mapping or a list of mappings");
        }
        continue;
      }
      if (lineOfKey === undefined && count >= LINEAR_KEY_SCAN_LIMIT) {
        lineOfKey = new Map();
        for (let i = 0; i < count; i++) {
          const entry = entries[i] as YEntry;
          lineOfKey.set(entry.key, entry.keyPos.line);
        }
      }
      const earlier = lineOfKey === undefined ? lastLineOf(entries, count, key) : lineOfKey.get(key);
      if (earlier !== undefined && !viaAlias) {
        this.problem(
          keyPos,
          `duplicate key "${key}" (lines ${earlier} and ${keyPos.line}); Home Assistant uses the last one`,
        );
      }
      lineOfKey?.set(key, keyPos.line);
      entries[count++] = { key, keyPos, value };
    }
    // merge keys and non-pair items leave slots unused: no holes may remain
    if (count < entries.length) entries.length = count;
    if (merged === undefined) return { kind: "map", entries, pos };
    // merged keys the mapping sets itself are dropped; among several merged maps the first one listed wins
    const taken = new Set<string>();
    for (const entry of entries) taken.add(entry.key);
    const fromMerge: YEntry[] = [];
    for (const entry of merged) {
      if (taken.has(entry.key)) continue;
      taken.add(entry.key);
      fromMerge.push(entry);
    }
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

/** Below this many entries a backward scan finds an earlier key faster than a Map is built. */
const LINEAR_KEY_SCAN_LIMIT = 8;

/** Line of the last of the first `count` entries with this key, or undefined. */
function lastLineOf(entries: readonly YEntry[], count: number, key: string): number | undefined {
  for (let i = count - 1; i >= 0; i--) {
    const entry = entries[i] as YEntry;
    if (entry.key === key) return entry.keyPos.line;
  }
  return undefined;
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
  return { kind: "scalar", value: null, pos, origin: INLINE };
}
