import path from "node:path";
import type { ConfigFacts } from "../../model/config-facts.js";
import { getPath, type YNode } from "../../model/yaml-node.js";
import { ciStubFiles } from "./ci-stubs.js";

/**
 * How the audit judges a file before it judges what is in it (docs/precision.md explains each rule):
 * - third-party: code the owner installed, not wrote (HACS cards and integrations, bundles, source maps);
 *   only credential shapes that cannot be code are searched in it.
 * - example: fakes by name or use (`secrets.fake.yaml`, the stub a CI config check copies, a tests folder);
 *   reported as information unless one of its values is also a real credential elsewhere.
 * - not-loaded: Home Assistant never reads it (`*.disabled`, `*.old`, YAML no include reaches); its
 *   credentials still leak when the folder is shared, its webhook ids expose nothing.
 * - other-software: loaded by ESPHome, zigbee2mqtt, AppDaemon, Node-RED, an add-on, or as a blueprint; live.
 * - owner: everything else, the owner's own files.
 */
export type FileRole = "owner" | "third-party" | "example" | "not-loaded" | "other-software";

export interface FileJudgement {
  role: FileRole;
  /** Why, in words for a report: "HACS frontend card `mushroom`", "copied by the CI workflow …". */
  why: string;
}

interface Context {
  loaded: Set<string>;
  ciStubs: Map<string, string>;
  dashboardFiles: Set<string>;
  reachKnown: boolean;
  cache: Map<string, FileJudgement>;
}

const contexts = new WeakMap<ConfigFacts, Context>();

function contextOf(config: ConfigFacts): Context {
  let context = contexts.get(config);
  if (context === undefined) {
    context = {
      loaded: new Set(config.loadedFiles),
      ciStubs: ciStubFiles(config),
      dashboardFiles: dashboardFiles(config),
      // without a readable configuration.yaml nobody can tell which YAML Home Assistant would load
      reachKnown: config.configuration !== undefined,
      cache: new Map(),
    };
    contexts.set(config, context);
  }
  return context;
}

/** The judgement of one file (config-relative path), memoised per audit. */
export function judgeFile(config: ConfigFacts, file: string): FileJudgement {
  const context = contextOf(config);
  let judgement = context.cache.get(file);
  if (judgement === undefined) {
    judgement = judge(config, context, file);
    context.cache.set(file, judgement);
  }
  return judgement;
}

function judge(config: ConfigFacts, context: Context, file: string): FileJudgement {
  const vendored = vendoredCode(file, config.texts.get(file));
  if (vendored !== undefined) return { role: "third-party", why: vendored };
  const stub = context.ciStubs.get(file);
  if (stub !== undefined) return { role: "example", why: stub };
  // YAML Home Assistant loads is live, whatever its name says
  if (!context.loaded.has(file)) {
    if (file.startsWith("www/") && exampleByName(file) === undefined) return { role: "owner", why: "served publicly" };
    const example = exampleByName(file);
    if (example !== undefined) return { role: "example", why: example };
    const disabled = disabledCopy(file);
    if (disabled !== undefined) return { role: "not-loaded", why: disabled };
  }
  const software = otherSoftware(file, config.texts.get(file));
  if (software !== undefined) return { role: "other-software", why: software };
  if (context.loaded.has(file)) return { role: "owner", why: "loaded by Home Assistant" };
  if (/\.ya?ml$/i.test(file) && context.reachKnown && !HA_OWN_YAML.has(file) && !context.dashboardFiles.has(file)) {
    return { role: "not-loaded", why: "no `!include` of configuration.yaml reaches it" };
  }
  return { role: "owner", why: "the owner's own file" };
}

/**
 * One sentence for a finding's message that says how its file was judged. Owner files need none: the finding
 * already names what kind of file it is.
 */
export function judgementSentence(judgement: FileJudgement): string {
  switch (judgement.role) {
    case "third-party":
      return ` The file is third-party code (${judgement.why}): only credential shapes that cannot be code were searched in it.`;
    case "example":
      return ` The file holds example values (${judgement.why}).`;
    case "not-loaded":
      return ` Home Assistant does not load this file (${judgement.why}), but it leaks with the folder when the folder is shared.`;
    case "other-software":
      return ` The file is loaded by ${judgement.why}: its credentials are live.`;
    case "owner":
      return "";
  }
}

/** YAML files Home Assistant reads by name, without an include. */
const HA_OWN_YAML = new Set([
  "configuration.yaml",
  "secrets.yaml",
  "ip_bans.yaml",
  "known_devices.yaml",
  "ui-lovelace.yaml",
]);

/** `lovelace: dashboards: NAME: filename:` — YAML dashboards the frontend loads. */
function dashboardFiles(config: ConfigFacts): Set<string> {
  const files = new Set<string>();
  const dashboards = getPath(config.configuration, "lovelace", "dashboards");
  if (dashboards?.kind !== "map") return files;
  for (const entry of dashboards.entries) {
    const filename: YNode | undefined = getPath(entry.value, "filename");
    if (filename?.kind === "scalar" && typeof filename.value === "string")
      files.add(path.posix.normalize(filename.value));
  }
  return files;
}

/**
 * Code the owner installed rather than wrote: HACS and manually installed integrations and cards, minified or
 * bundled JavaScript and source maps anywhere.
 */
function vendoredCode(file: string, text: string | undefined): string | undefined {
  const integration = /^custom_components\/([^/]+)\//.exec(file)?.[1];
  if (integration !== undefined) return `custom integration \`${integration}\``;
  const card = /^www\/community\/([^/]+)\//.exec(file)?.[1];
  if (card !== undefined) return `HACS frontend card \`${card}\``;
  if (/\.(m?js|cjs|css)\.map$|\.map$/i.test(file) && text?.includes('"mappings"')) return "a source map";
  if (/\.min\.(m?js|css)$/i.test(file)) return "minified code";
  if (/\.(m?js|cjs|css)$/i.test(file) && text !== undefined && looksBundled(text))
    return "minified or bundled JavaScript";
  return undefined;
}

/** Build output: very long lines, a bundler's runtime, or a source map comment. */
function looksBundled(text: string): boolean {
  if (
    /^\/\/[#@] sourceMappingURL=/m.test(text) ||
    /__webpack_require__|\bparcelRequire\b|System\.register\(/.test(text)
  ) {
    return true;
  }
  if (text.length < 4096) return false;
  let lines = 1;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
  return text.length / lines > 300;
}

const EXAMPLE_WORD = /(fake|dummy|example|sample)/i;
const EXAMPLE_FOLDER = /^(tests?|__tests__|spec|\.?stubs?|examples?|samples?|fixtures?)$/i;

function exampleByName(file: string): string | undefined {
  const parts = file.split("/");
  const base = parts[parts.length - 1] ?? "";
  const folder = parts.slice(0, -1).find((part) => EXAMPLE_FOLDER.test(part));
  if (folder !== undefined) return `under a \`${folder}\` folder`;
  const word = EXAMPLE_WORD.exec(base)?.[1];
  if (word !== undefined) return `its name says \`${word.toLowerCase()}\``;
  return undefined;
}

/** Copies Home Assistant never loads: switched off by renaming, or left behind by an editor or a migration. */
function disabledCopy(file: string): string | undefined {
  const suffix = /\.(disabled|migrated|old|bak|orig|backup|save|sav|off|swp|tmp)$|(~)$/i.exec(file);
  if (suffix === null) return undefined;
  return suffix[2] === "~" ? "an editor's backup copy" : `a \`.${suffix[1]}\` copy`;
}

/** Software beside Home Assistant that loads its own files from the configuration folder. */
function otherSoftware(file: string, text: string | undefined): string | undefined {
  const top = file.split("/")[0] ?? "";
  if (top === "esphome" || (/\.ya?ml$/i.test(file) && text !== undefined && /^esphome:/m.test(text))) return "ESPHome";
  if (top === "zigbee2mqtt") return "zigbee2mqtt";
  if (/(^|\/)(docker-)?compose(\.[\w-]+)?\.ya?ml$/i.test(file)) return "Docker Compose";
  if (top === ".github" || /^\.(gitlab-ci|travis)\.ya?ml$/.test(file))
    return "the CI service that runs this repository's workflows";
  if (top === "appdaemon" || /(^|\/)appdaemon\.(ya?ml|toml)$/.test(file)) return "AppDaemon";
  if (/^node[-_]?red$/i.test(top) || /(^|\/)flows(_cred)?\.json$/.test(file)) return "Node-RED";
  if (top === "blueprints")
    return "Home Assistant's blueprint integration, when an automation or script uses the blueprint";
  const addon = /^addon_configs\/([^/]+)\//.exec(file)?.[1];
  if (addon !== undefined) return `the add-on \`${addon}\``;
  return undefined;
}
