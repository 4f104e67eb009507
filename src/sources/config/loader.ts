import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { SecretDefinition, SecretReference } from "../../model/config-facts.js";
import type { SourceError } from "../../model/errors.js";
import type { SourcePos, YNode } from "../../model/yaml-node.js";
import { code, isInside, safeRealpath } from "./inventory.js";
import { LIMITS } from "./limits.js";
import { SecretStore, type SecretsFile, secretsPath } from "./secrets.js";
import { convertYaml, type HaTag, nullScalar } from "./yaml-convert.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });
/** Whether every text the inventory keeps is also small enough to be loaded as YAML. */
const INVENTORY_LIMIT_FITS = LIMITS.maxTextBytes <= LIMITS.maxYamlBytes;

/**
 * Loads YAML files the way Home Assistant does: every tag resolved relative to the file that uses it,
 * includes confined to the configuration directory, cycles and bombs stopped with an error naming the file
 * and line. Problems never throw: they are collected in `errors` and the value becomes null.
 */
export class ConfigLoader {
  readonly errors: SourceError[] = [];
  readonly secretReferences: SecretReference[] = [];
  readonly loadedFiles = new Set<string>();
  /** Files a budget cut short (too many nodes, aliases or nesting) → why: loaded, but not all of them read. */
  readonly partlyReadFiles = new Map<string, string>();
  readonly secrets: SecretStore;
  private readonly realRoot: string;
  private filesLoaded = 0;

  /**
   * @param inventoryTexts text files the inventory already read and decoded (config-relative path → text),
   *   so each YAML file is read from disk once, not twice.
   */
  constructor(
    readonly root: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly inventoryTexts: ReadonlyMap<string, string> = new Map(),
  ) {
    this.realRoot = safeRealpath(root) ?? root;
    this.secrets = new SecretStore(root, (dir) => this.loadSecretsFile(dir));
  }

  /** Loads a config-relative YAML file; `stack` is the chain of files including it (for cycle errors). */
  loadFile(relative: string, stack: readonly string[] = [], at?: SourcePos): YNode | undefined {
    if (stack.includes(relative)) {
      this.error(at, `include cycle: ${[...stack.slice(stack.indexOf(relative)), relative].join(" → ")}`);
      return undefined;
    }
    if (stack.length >= LIMITS.maxIncludeDepth) {
      this.error(at, `includes nested deeper than ${LIMITS.maxIncludeDepth} files; ${relative} not loaded`);
      return undefined;
    }
    if (++this.filesLoaded > LIMITS.maxIncludedFiles) {
      if (this.filesLoaded === LIMITS.maxIncludedFiles + 1) {
        this.error(at, `more than ${LIMITS.maxIncludedFiles} included files; the rest are not loaded`);
      }
      return undefined;
    }
    const text = this.readYamlText(relative, at);
    if (text === undefined) return undefined;
    this.loadedFiles.add(relative);
    const chain = [...stack, relative];
    const converted = convertYaml(text, relative, (tag, argument, pos) => this.resolveTag(tag, argument, pos, chain));
    for (const problem of converted.problems) {
      this.errors.push({ source: "config", file: relative, line: problem.line, message: problem.message });
    }
    if (converted.cutShort !== undefined) this.partlyReadFiles.set(relative, converted.cutShort);
    return converted.root;
  }

  private resolveTag(tag: HaTag, argument: string, pos: SourcePos, chain: readonly string[]): YNode {
    if (argument === "" && tag !== "!input") {
      // loader.py `_raise_if_no_value`: "!include needs an argument"; a bare !env_var or !secret fails as well
      this.error(
        pos,
        `${tag} needs ${tag === "!secret" || tag === "!env_var" ? "a name" : "a path"}: Home Assistant cannot load this file`,
      );
      return nullScalar(pos);
    }
    switch (tag) {
      case "!secret":
        return this.secret(argument, pos);
      case "!env_var":
        return this.envVar(argument, pos);
      case "!input":
        return { kind: "scalar", value: null, pos, origin: { kind: "input", name: argument } };
      case "!include": {
        const target = this.resolvePath(pos.file, argument, pos);
        if (target === undefined) return nullScalar(pos);
        return this.loadFile(target, chain, pos) ?? nullScalar(pos);
      }
      default:
        return this.includeDir(tag, argument, pos, chain);
    }
  }

  private secret(name: string, pos: SourcePos): YNode {
    if (path.posix.basename(pos.file) === "secrets.yaml") {
      this.error(pos, `!secret ${name} used inside secrets.yaml; Home Assistant does not resolve it there`);
    }
    const found = this.secrets.lookup(pos.file, name);
    this.secretReferences.push({ name, pos, found: found !== undefined });
    if (found === undefined) {
      // Home Assistant refuses to start: "Secret NAME not defined"; the value stays unknown here
      return { kind: "scalar", value: null, pos, origin: { kind: "secret", name } };
    }
    const value = typeof found.value === "object" ? null : found.value;
    return { kind: "scalar", value, pos, origin: { kind: "secret", name, definedAt: found.pos } };
  }

  private envVar(argument: string, pos: SourcePos): YNode {
    // `!env_var NAME default words`: the rest of the words form the default (loader.py `_env_var_yaml`)
    const [name = "", ...rest] = argument.split(/\s+/);
    const fromEnv = this.env[name];
    const usedDefault = fromEnv === undefined;
    const value = fromEnv ?? (rest.length > 0 ? rest.join(" ") : null);
    return { kind: "scalar", value, pos, origin: { kind: "env", name, usedDefault } };
  }

  private includeDir(tag: HaTag, argument: string, pos: SourcePos, chain: readonly string[]): YNode {
    const dir = this.resolvePath(pos.file, argument, pos);
    if (dir === undefined) return nullScalar(pos);
    const files = this.findYamlFiles(dir, pos);
    if (tag === "!include_dir_list") {
      return { kind: "seq", pos, items: files.map((file) => this.loadFile(file, chain, pos) ?? nullScalar(pos)) };
    }
    if (tag === "!include_dir_merge_list") {
      const items = files.flatMap((file) => {
        const loaded = this.loadFile(file, chain, pos);
        return loaded?.kind === "seq" ? loaded.items : [];
      });
      return { kind: "seq", pos, items };
    }
    if (tag === "!include_dir_named") {
      const entries = files.map((file) => ({
        key: path.posix.basename(file, path.posix.extname(file)),
        keyPos: { file, line: 1, column: 1 },
        value: this.loadFile(file, chain, pos) ?? nullScalar({ file, line: 1, column: 1 }),
      }));
      return { kind: "map", pos, entries };
    }
    // !include_dir_merge_named: later files override earlier keys, like dict.update
    const entries = files.flatMap((file) => {
      const loaded = this.loadFile(file, chain, pos);
      return loaded?.kind === "map" ? loaded.entries : [];
    });
    return { kind: "map", pos, entries };
  }

  /**
   * `*.yaml` files below a folder, recursively, sorted per folder, hidden files and folders and
   * `secrets.yaml` skipped (loader.py `_find_files`, `_is_file_valid`).
   */
  private findYamlFiles(dir: string, at: SourcePos): string[] {
    const result: string[] = [];
    const walk = (relative: string, depth: number): void => {
      if (depth > LIMITS.maxDepth) return;
      let names: string[];
      try {
        names = readdirSync(path.join(this.root, relative));
      } catch (error) {
        if (depth === 0) this.error(at, `cannot read folder ${relative}: ${code(error)}`);
        return;
      }
      const subdirs: string[] = [];
      for (const name of names.sort()) {
        if (name.startsWith(".")) continue;
        const child = relative === "" ? name : `${relative}/${name}`;
        const full = path.join(this.root, child);
        const real = safeRealpath(full);
        if (real === undefined || !isInside(this.realRoot, real)) {
          this.error(at, `${child} leaves the configuration directory (symlink); not followed`);
          continue;
        }
        let isDir = false;
        try {
          isDir = statSync(full).isDirectory();
        } catch {
          continue;
        }
        if (isDir) subdirs.push(child);
        else if (name.endsWith(".yaml") && name !== "secrets.yaml") result.push(child);
      }
      // os.walk(topdown=True) yields a folder's files before descending into its subfolders
      for (const sub of subdirs) walk(sub, depth + 1);
    };
    walk(dir, 0);
    return result;
  }

  /** Resolves a path written in `fromFile`, refusing anything outside the configuration directory. */
  private resolvePath(fromFile: string, written: string, at: SourcePos): string | undefined {
    const absolute = path.resolve(this.root, path.dirname(fromFile), written);
    const real = safeRealpath(absolute);
    if (!isInside(path.resolve(this.root), absolute) || (real !== undefined && !isInside(this.realRoot, real))) {
      this.error(at, `include of ${written} leaves the configuration directory; not followed`);
      return undefined;
    }
    if (real === undefined) {
      this.error(at, `included file ${written} does not exist`);
      return undefined;
    }
    return path.relative(this.root, absolute).split(path.sep).join("/");
  }

  private readYamlText(relative: string, at?: SourcePos): string | undefined {
    // The inventory keeps a text only for a regular file (not a symlink) that passed the same checks as
    // below: no NUL byte in the first 8 KiB, valid UTF-8, decoded the same way, and within a size limit
    // no larger than this one. Reading it again would give the same text.
    const known = INVENTORY_LIMIT_FITS ? this.inventoryTexts.get(relative) : undefined;
    if (known !== undefined) return known;
    const full = path.join(this.root, relative);
    let bytes: Buffer;
    try {
      const stat = statSync(full);
      if (!stat.isFile()) {
        // at the include that names it, or on the file itself when nothing included it
        this.error(at ?? { file: relative, line: 0, column: 0 }, `${relative} is not a file`);
        return undefined;
      }
      if (stat.size > LIMITS.maxYamlBytes) {
        this.errors.push({
          source: "config",
          file: relative,
          message: `file too large (${(stat.size / 1048576).toFixed(1)} MiB, limit ${LIMITS.maxYamlBytes / 1048576} MiB); not loaded`,
        });
        return undefined;
      }
      bytes = readFileSync(full);
    } catch (error) {
      this.errors.push({ source: "config", file: relative, message: `cannot read file: ${code(error)}` });
      return undefined;
    }
    if (bytes.subarray(0, 8192).includes(0)) {
      this.errors.push({
        source: "config",
        file: relative,
        message: "binary file where YAML was expected; not loaded",
      });
      return undefined;
    }
    try {
      return utf8.decode(bytes);
    } catch {
      this.errors.push({ source: "config", file: relative, message: "not valid UTF-8; not loaded" });
      return undefined;
    }
  }

  private loadSecretsFile(relativeDir: string): SecretsFile {
    const file = secretsPath(relativeDir);
    const result: SecretsFile = new Map();
    try {
      statSync(path.join(this.root, file));
    } catch {
      return result;
    }
    const root = this.loadFile(file);
    if (root === undefined) return result;
    if (root.kind !== "map") {
      this.errors.push({ source: "config", file, message: "Secrets is not a dictionary" });
      return result;
    }
    for (const entry of root.entries) {
      if (entry.key === "logger") continue; // `logger: debug` switches lookup logging, it is not a secret
      const value = entry.value.kind === "scalar" ? entry.value.value : null;
      const def: SecretDefinition = { name: entry.key, value, pos: entry.value.pos };
      result.set(entry.key, def);
    }
    return result;
  }

  private error(at: SourcePos | undefined, message: string): void {
    this.errors.push({
      source: "config",
      ...(at === undefined ? {} : { file: at.file }),
      ...(at === undefined || at.line === 0 ? {} : { line: at.line }),
      message,
    });
  }
}
