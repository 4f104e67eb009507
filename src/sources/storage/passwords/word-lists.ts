import { readFile } from "node:fs/promises";
import type { WordLists } from "./candidates.js";

/**
 * data/common-passwords.txt, shipped with the package: one password per line, most common first.
 * Lines starting with `#` are comments. From src/sources/storage/passwords/ and from
 * dist/sources/storage/passwords/ alike, the package root is four levels up.
 */
export const COMMON_PASSWORDS_URL = new URL("../../../../data/common-passwords.txt", import.meta.url);

/** Words every Home Assistant home shares, and what its docs and images use as defaults. */
export const HOME_ASSISTANT_WORDS = [
  "homeassistant",
  "Home Assistant",
  "hassio",
  "hass",
  "home",
  "assistant",
  "nabucasa",
];

export function parsePasswordList(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.length === 0 || line.startsWith("#")) continue;
    seen.add(line);
  }
  return [...seen];
}

let cached: Promise<string[]> | undefined;

export async function bundledCommonPasswords(): Promise<string[]> {
  cached ??= readFile(COMMON_PASSWORDS_URL, "utf8")
    .then(parsePasswordList)
    .catch((error: unknown) => {
      cached = undefined; // a later audit may find the file again; do not remember the failure
      throw new Error(`cannot read the bundled password list ${COMMON_PASSWORDS_URL.pathname}: ${String(error)}`);
    });
  return cached;
}

export async function defaultWordLists(): Promise<WordLists> {
  return { common: await bundledCommonPasswords(), homeAssistantWords: HOME_ASSISTANT_WORDS };
}
