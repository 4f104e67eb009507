import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type Node } from "yaml";
import type { SourcePos, ValueOrigin, YEntry, YMap, YNode, YScalar } from "../../model/yaml-node.js";
import { LIMITS } from "./limits.js";
import { parseYaml } from "./yaml-parse.js";
import { HA_TAG_SET, type HaTag } from "./yaml-schema.js";

export { HA_TAGS, type HaTag } from "./yaml-schema.js";

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
  /** Why part of the file was cut off by a budget (then what it says was not all read). */
  cutShort?: string;
}

/**
 * Parses one YAML file the way PyYAML's SafeLoader would (YAML 1.1: `on`/`off`/`yes` are booleans; see
 * yaml-parse.ts for the text it accepts) and converts it into positioned nodes. Duplicate keys, anchors,
 * aliases and merge keys are handled here; Home Assistant's tags are handed to `resolveTag`.
 */
export function convertYaml(text: string, file: string, resolveTag: TagResolver): Converted {
  const parsed = parseYaml(text);
  const problems: ConvertProblem[] = [...parsed.problems];
  if (parsed.document === undefined) return { root: undefined, problems, fatal: true };
  const position = parsed.positionIn(file);
  const posAt = (offset: number | undefined): SourcePos => position(offset ?? 0);
  const converter = new Converter(parsed.document, posAt, resolveTag, problems);
  const contents = parsed.document.contents;
  // An empty file is an empty mapping to Home Assistant (`load_yaml` returns `OrderedDict()`).
  const root = contents === null ? emptyMap(posAt(0)) : converter.convert(contents as Node, false, 0);
  return {
    root,
    problems,
    fatal: false,
    ...(converter.cutShort === undefined ? {} : { cutShort: converter.cutShort }),
  };
}

function emptyMap(pos: SourcePos): YMap {
  return { kind: "map", entries: [], pos };
}

/** How many nodes a converted value holds (as its readers walk it) and how deep it nests. */
interface Measure {
  size: number;
  depth: number;
}

class Converter {
  cutShort: string | undefined;
  private nodes = 0;
  private aliasNodes = 0;
  private readonly reported = new Set<string>();
  /** Anchored nodes, converted once: every alias of one shares the result, as PyYAML's aliases do. */
  private readonly shared = new Map<Node, YNode>();
  private readonly converting = new Set<Node>();
  /** Anchor name → the latest node carrying it so far, in document order (conversion follows that order). */
  private readonly latestAnchor = new Map<string, Node>();
  private readonly measures = new WeakMap<YNode, Measure>();
  private allAnchors: Map<string, Node[]> | undefined;

  constructor(
    private readonly document: Document.Parsed,
    private readonly posAt: (offset: number | undefined) => SourcePos,
    private readonly resolveTag: TagResolver,
    private readonly problems: ConvertProblem[],
  ) {}

  convert(node: Node, viaAlias: boolean, depth: number): YNode {
    const pos = this.posAt(node.range?.[0]);
    if (isAlias(node)) return this.alias(node.source, node.range?.[0] ?? 0, pos, depth);
    if (!this.spend(pos, depth)) return nullScalar(pos);
    const anchor = isScalar(node) || isMap(node) || isSeq(node) ? node.anchor : undefined;
    if (anchor === undefined) return this.convertNode(node, pos, viaAlias, depth);
    if (!viaAlias) this.registerAnchor(anchor, node, pos);
    this.converting.add(node);
    const converted = this.convertNode(node, pos, viaAlias, depth);
    this.converting.delete(node);
    this.shared.set(node, converted);
    return converted;
  }

  private convertNode(node: Node, pos: SourcePos, viaAlias: boolean, depth: number): YNode {
    const tag = node.tag;
    if (isScalar(node)) {
      if (tag !== undefined && HA_TAG_SET.has(tag)) {
        return this.resolveTag(tag as HaTag, String(node.value ?? "").trim(), pos);
      }
      if (tag !== undefined && !tag.startsWith("tag:")) this.unknownTag(tag, pos);
      const scalar: YScalar = { kind: "scalar", value: scalarValue(node.value), pos, origin: INLINE };
      if (tag !== undefined && !tag.startsWith("tag:yaml.org")) scalar.tag = tag;
      return scalar;
    }
    if (tag !== undefined && HA_TAG_SET.has(tag)) {
      // loader.py hands the node's value to os.path.join / Secrets.get / str.split, which fail on a list or a
      // mapping: Home Assistant does not start with such a configuration
      this.problem(
        pos,
        `${tag} needs ${tag === "!secret" || tag === "!env_var" ? "a name" : "a path"}, not a ${isMap(node) ? "mapping" : "list"}: Home Assistant cannot load this file`,
      );
      return nullScalar(pos);
    }
    if (tag !== undefined && !tag.startsWith("tag:")) this.unknownTag(tag, pos);
    if (isMap(node)) return this.convertMap(node.items, pos, viaAlias, depth);
    if (isSeq(node)) {
      // sized up front (see convertMap)
      const items = new Array<YNode>(node.items.length);
      for (let i = 0; i < items.length; i++) items[i] = this.convert(node.items[i] as Node, viaAlias, depth + 1);
      return { kind: "seq", items, pos };
    }
    this.problem(pos, "unsupported YAML node");
    return nullScalar(pos);
  }

  /** `*name`: the node its anchor names, shared; bounded in what it adds to the tree's size and depth. */
  private alias(name: string, offset: number, pos: SourcePos, depth: number): YNode {
    const target = this.anchorBefore(name, offset);
    if (target === undefined) {
      this.problem(pos, `unknown alias *${name}: Home Assistant cannot load this file`);
      return nullScalar(pos);
    }
    if (this.converting.has(target)) {
      this.problem(pos, `alias *${name} refers to a node that contains it; not followed`);
      return nullScalar(pos);
    }
    // an anchor the conversion skipped (in a key, or past a budget) is converted here, unshared
    const value = this.shared.get(target) ?? this.convert(target, true, depth);
    const measure = this.measure(value);
    if (depth + measure.depth > LIMITS.maxNestingDepth) {
      this.once(pos, "alias-depth", `aliases nest deeper than ${LIMITS.maxNestingDepth} levels; not followed`);
      return nullScalar(pos);
    }
    if (!this.spendAlias(pos, measure.size)) return nullScalar(pos);
    return value;
  }

  /**
   * A mapping's entries in order, merge keys applied. Written without per-map sets and copies (most maps
   * are small and have no merge key): this runs for every mapping of every file.
   *
   * The entries array is sized up front and trimmed at the end: an array grown by `push` from empty keeps
   * room for 17 elements, and the whole tree stays in memory for the checks (on a large home the slack was
   * a sixth of the retained heap, all of it copied by the garbage collector).
   */
  private convertMap(items: readonly unknown[], pos: SourcePos, viaAlias: boolean, depth: number): YMap {
    const entries = new Array<YEntry>(items.length);
    let count = 0;
    let mergeSources: YNode[] | undefined;
    // key → line of its last occurrence; built only once a map is large enough for a scan to cost more
    let lineOfKey: Map<string, number> | undefined;
    for (const item of items) {
      if (!isPair(item)) continue;
      const keyNode = item.key as Node | null;
      const keyPos = keyNode?.range ? this.posAt(keyNode.range[0]) : pos;
      const key = keyText(keyNode);
      const valueNode = item.value as Node | null;
      if (key === "<<" && keyNode !== null && isScalar(keyNode) && keyNode.type === "PLAIN") {
        // YAML 1.1 merge key: the mapping(s) it names supply keys this mapping does not set itself
        mergeSources ??= [];
        mergeSources.push(...this.mergeSources(valueNode, keyPos, depth + 1));
        continue;
      }
      const value = valueNode === null ? nullScalar(keyPos) : this.convert(valueNode, viaAlias, depth + 1);
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
    if (mergeSources === undefined) return { kind: "map", entries, pos };
    return { kind: "map", entries: [...this.merged(mergeSources, entries, pos), ...entries], pos };
  }

  /**
   * The mappings a merge key names: an alias, a mapping, or a list of them. Aliases here are read without
   * charging their size: only the entries actually merged stay in the tree (charged in `merged`).
   */
  private mergeSources(valueNode: Node | null, keyPos: SourcePos, depth: number): YNode[] {
    const one = (node: Node | null): YNode => {
      if (node === null) return nullScalar(keyPos);
      if (!isAlias(node)) return this.convert(node, false, depth);
      const target = this.anchorBefore(node.source, node.range?.[0] ?? 0);
      const shared = target === undefined ? undefined : this.shared.get(target);
      return shared ?? this.convert(node, false, depth);
    };
    const sources = isSeq(valueNode) ? valueNode.items.map((item) => one(item as Node | null)) : [one(valueNode)];
    const valid = sources.filter((source) => source.kind === "map");
    if (valid.length < sources.length) {
      this.problem(
        keyPos,
        "merge key `<<` needs a mapping or a list of mappings: Home Assistant cannot load this file",
      );
    }
    return valid;
  }

  /**
   * Entries the merge sources add: keys the mapping sets itself are dropped, and among several sources the
   * first one listed wins (PyYAML `flatten_mapping`). Linear in the entries looked at.
   */
  private merged(sources: readonly YNode[], own: readonly YEntry[], pos: SourcePos): YEntry[] {
    const taken = new Set<string>();
    for (const entry of own) taken.add(entry.key);
    const result: YEntry[] = [];
    for (const source of sources) {
      if (source.kind !== "map") continue;
      for (const entry of source.entries) {
        if (taken.has(entry.key)) continue;
        if (!this.spendAlias(pos, this.measure(entry.value).size)) return result;
        taken.add(entry.key);
        result.push(entry);
      }
    }
    return result;
  }

  private registerAnchor(name: string, node: Node, pos: SourcePos): void {
    const earlier = this.latestAnchor.get(name);
    if (earlier !== undefined) {
      // PyYAML's composer: "found duplicate anchor ...; second occurrence" (lib/yaml/composer.py)
      this.problem(
        pos,
        `anchor &${name} is defined again (first at line ${this.posAt(earlier.range?.[0]).line}): Home Assistant cannot load this file`,
      );
    }
    this.latestAnchor.set(name, node);
  }

  /**
   * The node an alias points at: the last anchor of that name defined before it. Anchors are registered as
   * the conversion meets them, in document order; one it has not met (on a key) is looked up in the document
   * (`Alias.resolve` walks the whole document for every alias, which is quadratic on large files).
   */
  private anchorBefore(name: string, offset: number): Node | undefined {
    const latest = this.latestAnchor.get(name);
    if (latest !== undefined && (latest.range?.[0] ?? 0) < offset) return latest;
    this.allAnchors ??= collectAnchors(this.document.contents as Node | null);
    let found: Node | undefined;
    for (const anchor of this.allAnchors.get(name) ?? []) {
      if ((anchor.range?.[0] ?? 0) < offset) found = anchor;
    }
    return found;
  }

  /** Size and depth of a converted value, computed once per shared node. */
  private measure(node: YNode): Measure {
    const known = this.measures.get(node);
    if (known !== undefined) return known;
    let size = 1;
    let depth = 0;
    const children = node.kind === "map" ? node.entries.map((e) => e.value) : node.kind === "seq" ? node.items : [];
    for (const child of children) {
      const inner = this.measure(child);
      size += inner.size;
      depth = Math.max(depth, inner.depth + 1);
    }
    const result = { size, depth };
    this.measures.set(node, result);
    return result;
  }

  /** Counts a spelled-out node against the file's budget; false once it is spent (reported once). */
  private spend(pos: SourcePos, depth: number): boolean {
    if (depth > LIMITS.maxNestingDepth) {
      this.once(pos, "depth", `nested deeper than ${LIMITS.maxNestingDepth} levels; the rest of this value is ignored`);
      return false;
    }
    if (++this.nodes <= LIMITS.maxNodesPerFile) return true;
    this.once(pos, "nodes", `file has more than ${LIMITS.maxNodesPerFile} nodes; the rest is ignored`);
    return false;
  }

  /** Counts what an alias or a merge adds to the tree; false once the budget is spent (reported once). */
  private spendAlias(pos: SourcePos, size: number): boolean {
    if (this.aliasNodes + size <= LIMITS.maxAliasNodesPerFile) {
      this.aliasNodes += size;
      return true;
    }
    this.once(
      pos,
      "aliases",
      `alias expansion stopped after ${LIMITS.maxAliasNodesPerFile} nodes (an alias bomb?); the rest of this value is ignored`,
    );
    return false;
  }

  private unknownTag(tag: string, pos: SourcePos): void {
    // SafeLoader has no constructor for it: "could not determine a constructor for the tag"
    this.problem(pos, `unknown tag ${tag}: Home Assistant cannot load this file (the value is read here anyway)`);
  }

  /** A problem that cut part of the file off: reported once per kind, and the file is not complete. */
  private once(pos: SourcePos, kind: string, message: string): void {
    this.cutShort ??= `line ${pos.line}: ${message}`;
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    this.problem(pos, message);
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
