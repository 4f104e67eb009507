import type { ScalarTag, Tags } from "yaml";

/**
 * How plain scalars are typed: PyYAML's SafeLoader resolver (YAML 1.1), which Home Assistant uses, rather than
 * the `yaml` package's own 1.1 schema. They differ where it matters for secrets: the package reads `1e3`,
 * `123e4567` (a hex-looking key) and `0912` (a PIN) as numbers, and digits beyond 2^53 lose precision, while
 * PyYAML keeps the first three as strings and the last as an exact integer.
 * Patterns: PyYAML lib/yaml/resolver.py (`Resolver.add_implicit_resolver`), values: lib/yaml/constructor.py
 * (`construct_yaml_int`, `construct_yaml_float`), 6.0.x; checked against python3's yaml module in the tests.
 */

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
export const HA_TAG_SET: ReadonlySet<string> = new Set(HA_TAGS);

// Declared so the parser keeps these tags on scalars instead of warning about unknown ones. On a sequence or
// a mapping an unknown tag stays on the node too (with a warning): the converter reports those.
const haTags: Tags = HA_TAGS.map((tag) => ({ tag, resolve: (value: string) => value }));

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

const PYYAML_INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const PYYAML_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** `1:30:05` → 5405 (base 60, most significant first), as PyYAML's constructors do. */
function sexagesimal(digits: string): number {
  return digits.split(":").reduce((total, part) => total * 60 + Number(part), 0);
}

/**
 * construct_yaml_int. An integer beyond 2^53 cannot be held exactly in a number: its digits are kept as text,
 * so a long numeric token or chat id is still the value the owner wrote.
 */
export function pyyamlInt(source: string): number | string {
  let text = source.replace(/_/g, "");
  let sign = 1;
  if (text[0] === "-") sign = -1;
  if (text[0] === "-" || text[0] === "+") text = text.slice(1);
  let value: number;
  if (text === "0") value = 0;
  else if (text.startsWith("0b")) value = Number.parseInt(text.slice(2), 2);
  else if (text.startsWith("0x")) value = Number.parseInt(text.slice(2), 16);
  else if (text[0] === "0") value = Number.parseInt(text, 8);
  else if (text.includes(":")) value = sexagesimal(text);
  else value = Number(text);
  if (!Number.isSafeInteger(value)) return source;
  return sign * value;
}

/** construct_yaml_float. */
export function pyyamlFloat(source: string): number {
  let text = source.replace(/_/g, "").toLowerCase();
  let sign = 1;
  if (text[0] === "-") sign = -1;
  if (text[0] === "-" || text[0] === "+") text = text.slice(1);
  if (text === ".inf") return sign * Number.POSITIVE_INFINITY;
  if (text === ".nan") return Number.NaN;
  if (text.includes(":")) {
    const [whole = "", fraction = ""] = text.split(".");
    return sign * (sexagesimal(whole) + Number(`0.${fraction || "0"}`));
  }
  return sign * Number(text);
}

const NUMBER_TAGS = new Set(["tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"]);

/** The `customTags` option: PyYAML's word, boolean and number rules, the package's others, and HA's tags. */
export function pyyamlTags(tags: Tags): Tags {
  const others = tags.filter((tag) => typeof tag === "string" || !NUMBER_TAGS.has(tag.tag));
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
  // PyYAML tries float before int (resolver registration order); their patterns do not overlap anyway
  const float: ScalarTag = {
    identify: (v: unknown) => typeof v === "number" && !Number.isInteger(v),
    default: true,
    tag: "tag:yaml.org,2002:float",
    test: PYYAML_FLOAT,
    resolve: pyyamlFloat,
  };
  const int: ScalarTag = {
    identify: (v: unknown) => typeof v === "number" && Number.isInteger(v),
    default: true,
    tag: "tag:yaml.org,2002:int",
    test: PYYAML_INT,
    resolve: pyyamlInt,
  };
  return [word, bool(true, PYYAML_TRUE), bool(false, PYYAML_FALSE), float, int, ...others, ...haTags];
}
