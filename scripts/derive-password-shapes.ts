// Writes data/password-shapes.json: how often the shapes the weak-password generator tries appear in two
// published, ranked password lists, so its order comes from data rather than intuition. Run by hand when a
// list changes; the output is committed (the lists themselves are not dependencies of hassguard).
//
//   npm pack @zxcvbn-ts/language-common@4.1.3 && tar xzf zxcvbn-ts-language-common-4.1.3.tgz   (MIT)
//   apt-get install john-data                                                                (public domain list)
//   node --import tsx scripts/derive-password-shapes.ts package/dist/index.cjs /usr/share/john/password.lst
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [zxcvbnEntry, johnList] = process.argv.slice(2);
if (zxcvbnEntry === undefined || johnList === undefined) {
  process.stderr.write("usage: derive-password-shapes.ts <@zxcvbn-ts/language-common dist/index.cjs> <password.lst>\n");
  process.exit(2);
}

type Graph = Record<string, (string | null)[]>;
const zxcvbn = createRequire(import.meta.url)(path.resolve(zxcvbnEntry)) as {
  dictionary: { "passwords-common": string[] };
  adjacencyGraphs: { qwerty: Graph; keypad: Graph };
};
/** Ranked most common first, lower-cased (zxcvbn matches case-insensitively). */
const ranked = zxcvbn.dictionary["passwords-common"];
const rankOf = new Map(ranked.map((word, i) => [word, i + 1]));
/** john's password.lst: ranked by occurrences; `#!comment:` lines are its header. */
const john = readFileSync(johnList, "latin1")
  .split("\n")
  .filter((line) => line.length > 0 && !line.startsWith("#!comment:"));

/**
 * Zipf weight of a rank: the share of users a list entry stands for falls roughly as 1/rank. Only the order of
 * the weights matters to the generator; they are normalised so the largest in each table is 1.
 */
const zipf = (rank: number) => 1 / rank;

function normalise<T extends { weight: number }>(rows: T[]): T[] {
  const top = Math.max(...rows.map((row) => row.weight));
  return rows
    .map((row) => ({ ...row, weight: Number((row.weight / top).toPrecision(3)) }))
    .sort((a, b) => b.weight - a.weight);
}

/** Digit suffixes after a word that is itself in the list (`password` + `123`), weighted by the entry's rank. */
function digitSuffixes(): { suffix: string; weight: number; entries: number }[] {
  const bySuffix = new Map<string, { weight: number; entries: number }>();
  ranked.forEach((entry, i) => {
    const match = /^([a-z]{3,})(\d{1,4})$/.exec(entry);
    if (match?.[1] === undefined || match[2] === undefined || !rankOf.has(match[1])) return;
    const row = bySuffix.get(match[2]) ?? { weight: 0, entries: 0 };
    row.weight += zipf(i + 1);
    row.entries++;
    bySuffix.set(match[2], row);
  });
  const rows = [...bySuffix].map(([suffix, row]) => ({ suffix, ...row }));
  return normalise(rows.filter((row) => row.entries >= 20)).slice(0, 40);
}

/**
 * How much a word's digit-suffixed forms weigh against the word as typed, summed over every word the list holds
 * both ways (`password` #2 against `password1` #229, `password123` #796, ...).
 */
function suffixedToTyped(): number {
  let typed = 0;
  let suffixed = 0;
  const bases = new Set<string>();
  ranked.forEach((entry, i) => {
    const match = /^([a-z]{3,})\d{1,4}$/.exec(entry);
    if (match?.[1] === undefined || !rankOf.has(match[1])) return;
    suffixed += zipf(i + 1);
    bases.add(match[1]);
  });
  for (const base of bases) typed += zipf(rankOf.get(base) ?? Number.POSITIVE_INFINITY);
  return Number((suffixed / typed).toPrecision(3));
}

/** Share of suffixed words that carry a four-digit year (19xx, 20xx) rather than other digits. */
function yearShare(): { fourDigitYear: number; twoDigit: number } {
  let year = 0;
  let two = 0;
  let all = 0;
  ranked.forEach((entry, i) => {
    const match = /^[a-z]{3,}(\d{1,4})$/.exec(entry);
    if (match?.[1] === undefined) return;
    all += zipf(i + 1);
    if (/^(19|20)\d\d$/.test(match[1])) year += zipf(i + 1);
    if (match[1].length === 2) two += zipf(i + 1);
  });
  return { fourDigitYear: Number((year / all).toPrecision(3)), twoDigit: Number((two / all).toPrecision(3)) };
}

/** Words ranked by how often the list holds them, alone or with digits after them. */
function wordFamily(words: readonly string[]): { word: string; rank: number | null; weight: number }[] {
  return normalise(
    words.map((word) => {
      let weight = 0;
      ranked.forEach((entry, i) => {
        if (entry === word || new RegExp(`^${word}\\d{1,4}$`).test(entry)) weight += zipf(i + 1);
      });
      return { word, rank: rankOf.get(word) ?? null, weight };
    }),
  );
}

/** The direction (index in zxcvbn's adjacency graph) from key `a` to its neighbour `b`, or -1. */
function direction(graph: Graph, a: string, b: string): number {
  if (a === b) return -1;
  return (graph[a] ?? []).findIndex((neighbours) => neighbours?.includes(b) ?? false);
}

/**
 * A keyboard walk: the whole entry is made of runs of keys, each key next to the one before on the QWERTY or
 * keypad graph (`qwerty`, `1qaz2wsx`, `1q2w3e4r`, `asdf1234`). A run of three must go in one direction
 * (`qaz`, `123`), so words that happen to be neighbours (`red`, `lol`) are not walks; longer runs may turn
 * (`1q2w3e4r`). Digits alone are left to the common list.
 */
function isWalk(entry: string): boolean {
  if (entry.length < 6 || /^\d+$/.test(entry)) return false;
  const graphs = [zxcvbn.adjacencyGraphs.qwerty, zxcvbn.adjacencyGraphs.keypad];
  const runOk = (directions: readonly number[]) =>
    directions.length >= 3 || (directions.length === 2 && directions[0] === directions[1]);
  return graphs.some((graph) => {
    let directions: number[] = [];
    for (let i = 1; i < entry.length; i++) {
      const step = direction(graph, entry[i - 1] ?? "", entry[i] ?? "");
      if (step >= 0) directions.push(step);
      else if (runOk(directions)) directions = [];
      else return false;
    }
    return runOk(directions);
  });
}

function keyboardWalks(): { walk: string; rank: number }[] {
  return ranked.flatMap((entry, i) => (isWalk(entry) ? [{ walk: entry, rank: i + 1 }] : [])).slice(0, 60);
}

/** The symbols john's list puts after a word, most common first (zxcvbn's list holds almost none). */
function symbolSuffixes(): { symbol: string; entries: number }[] {
  const counts = new Map<string, number>();
  for (const entry of john) {
    const match = /^[A-Za-z0-9]{3,}([^A-Za-z0-9]+)$/.exec(entry);
    if (match?.[1] !== undefined) counts.set(match[1], (counts.get(match[1]) ?? 0) + 1);
  }
  return [...counts].map(([symbol, entries]) => ({ symbol, entries })).sort((a, b) => b.entries - a.entries);
}

/** How john's list types words: all lower case, a capital first, all capitals (zxcvbn's list is lower-cased). */
function capitalShare(): { lower: number; capitalised: number; upper: number } {
  let capitalised = 0;
  let upper = 0;
  for (const entry of john) {
    if (/^[A-Z][a-z]+$/.test(entry)) capitalised++;
    if (/^[A-Z]{2,}$/.test(entry)) upper++;
  }
  const lower = john.filter((entry) => /^[a-z]+$/.test(entry)).length;
  return { lower, capitalised, upper };
}

/** Season and month words in one table, so a season and a month compare on one scale. */
const seasonsAndMonths = [
  ...["summer", "winter", "spring", "autumn", "fall"],
  ...["january", "february", "march", "april", "may", "june", "july"],
  ...["august", "september", "october", "november", "december"],
];

const shapes = {
  generatedBy: "scripts/derive-password-shapes.ts",
  sources: [
    {
      name: "@zxcvbn-ts/language-common 4.1.3, dictionary passwords-common",
      licence: "MIT (Dan Wheeler, Dropbox, zxcvbn-ts); derived from Mark Burnett's public-domain 10M password set",
      entries: ranked.length,
    },
    {
      name: "Debian john-data 1.9.0, /usr/share/john/password.lst (Openwall, Solar Designer)",
      licence: "its header: 'It is assumed to be in the public domain'",
      entries: john.length,
    },
  ],
  digitSuffixes: digitSuffixes(),
  yearShare: yearShare(),
  suffixedToTyped: suffixedToTyped(),
  seasonsAndMonths: wordFamily(seasonsAndMonths),
  keyboardWalks: keyboardWalks(),
  symbolSuffixes: symbolSuffixes(),
  firstLetter: capitalShare(),
};

const out = path.resolve(import.meta.dirname, "../data/password-shapes.json");
writeFileSync(out, `${JSON.stringify(shapes, null, 1)}\n`);
process.stdout.write(`wrote ${out}\n`);
