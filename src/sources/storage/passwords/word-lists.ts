import { readFile } from "node:fs/promises";
import type { WordLists } from "./candidates.js";

/**
 * data/common-passwords.txt and data/password-shapes.json, shipped with the package. From
 * src/sources/storage/passwords/ and from dist/sources/storage/passwords/ alike, the package root is four
 * levels up.
 */
export const COMMON_PASSWORDS_URL = new URL("../../../../data/common-passwords.txt", import.meta.url);
export const PASSWORD_SHAPES_URL = new URL("../../../../data/password-shapes.json", import.meta.url);

/** Words every Home Assistant home shares, and what its docs and images use as defaults; likeliest first. */
export const HOME_ASSISTANT_WORDS = [
  "homeassistant",
  "Home Assistant",
  "hassio",
  "hass",
  "home",
  "assistant",
  "nabucasa",
];

/**
 * How often password shapes appear in published ranked lists (scripts/derive-password-shapes.ts writes it;
 * its `sources` name the lists and their licences). Weights are relative: the largest in each table is 1.
 */
export interface PasswordShapes {
  digitSuffixes: { suffix: string; weight: number }[];
  seasonsAndMonths: { word: string; weight: number }[];
  keyboardWalks: { walk: string; rank: number }[];
  /** A word's digit-suffixed forms, summed, against the word as typed (`password` vs `password1`, ...). */
  suffixedToTyped: number;
}

/** One password per line, most common first; lines starting with `#` are comments. */
export function parsePasswordList(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.length === 0 || line.startsWith("#")) continue;
    seen.add(line);
  }
  return [...seen];
}

/** Checks the shape of data/password-shapes.json, so a damaged file fails loudly instead of ordering badly. */
export function parsePasswordShapes(text: string): PasswordShapes {
  const data = JSON.parse(text) as Partial<PasswordShapes>;
  const rows = <T>(value: T[] | undefined, name: string, ok: (row: T) => boolean): T[] => {
    if (!Array.isArray(value) || value.length === 0 || !value.every(ok))
      throw new Error(`\`${name}\` is missing or malformed`);
    return value;
  };
  const positive = (value: unknown, name: string): number => {
    if (typeof value !== "number" || !(value > 0)) throw new Error(`\`${name}\` is missing or not a positive number`);
    return value;
  };
  return {
    digitSuffixes: rows(
      data.digitSuffixes,
      "digitSuffixes",
      (r) => typeof r.suffix === "string" && typeof r.weight === "number",
    ),
    seasonsAndMonths: rows(
      data.seasonsAndMonths,
      "seasonsAndMonths",
      (r) => typeof r.word === "string" && typeof r.weight === "number",
    ),
    keyboardWalks: rows(
      data.keyboardWalks,
      "keyboardWalks",
      (r) => typeof r.walk === "string" && typeof r.rank === "number",
    ),
    suffixedToTyped: positive(data.suffixedToTyped, "suffixedToTyped"),
  };
}

function cachedLoad<T>(url: URL, parse: (text: string) => T): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    cached ??= readFile(url, "utf8")
      .then(parse)
      .catch((error: unknown) => {
        cached = undefined; // a later audit may find the file again; do not remember the failure
        throw new Error(`cannot read the bundled password data ${url.pathname}: ${String(error)}`);
      });
    return cached;
  };
}

export const bundledCommonPasswords = cachedLoad(COMMON_PASSWORDS_URL, parsePasswordList);
export const bundledPasswordShapes = cachedLoad(PASSWORD_SHAPES_URL, parsePasswordShapes);

export async function defaultWordLists(): Promise<WordLists> {
  const [common, shapes] = await Promise.all([bundledCommonPasswords(), bundledPasswordShapes()]);
  return { common, homeAssistantWords: HOME_ASSISTANT_WORDS, shapes };
}
