import path from "node:path";
import type { SecretDefinition } from "../../model/config-facts.js";
import type { SourcePos } from "../../model/yaml-node.js";

/** Parsed `secrets.yaml` of one folder: name → definition. */
export type SecretsFile = Map<string, SecretDefinition>;

/**
 * Home Assistant's secret lookup: start in the folder of the file that says `!secret NAME`, load
 * `secrets.yaml` there, and walk up one folder at a time until the configuration root
 * (homeassistant/util/yaml/loader.py, `Secrets.get`).
 */
export class SecretStore {
  private readonly cache = new Map<string, SecretsFile>();

  constructor(
    private readonly root: string,
    private readonly loadSecretsFile: (relativeDir: string) => SecretsFile,
  ) {}

  lookup(requestingFile: string, name: string): SecretDefinition | undefined {
    // requestingFile is config-relative; walk its folders up to ""
    let dir = path.posix.dirname(requestingFile);
    for (let guard = 0; guard < 256; guard++) {
      const normalized = dir === "." ? "" : dir;
      const found = this.folder(normalized).get(name);
      if (found !== undefined) return found;
      if (normalized === "") return undefined;
      dir = path.posix.dirname(normalized);
    }
    return undefined;
  }

  /** Every secret defined in every folder that was consulted or loaded so far. */
  allDefinitions(): SecretDefinition[] {
    return [...this.cache.values()].flatMap((file) => [...file.values()]);
  }

  folder(relativeDir: string): SecretsFile {
    let file = this.cache.get(relativeDir);
    if (file === undefined) {
      file = this.loadSecretsFile(relativeDir);
      this.cache.set(relativeDir, file);
    }
    return file;
  }

  get rootDir(): string {
    return this.root;
  }
}

export function secretsPath(relativeDir: string): string {
  return relativeDir === "" ? "secrets.yaml" : `${relativeDir}/secrets.yaml`;
}

export function definition(name: string, value: SecretDefinition["value"], pos: SourcePos): SecretDefinition {
  return { name, value, pos };
}
