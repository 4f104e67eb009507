/**
 * How people type a word into a password: its case, and what they put after it. Each style has a weight, the
 * relative likelihood of that way of typing; a candidate's score is its family's weight × its word's weight ×
 * its style's weight, and candidates are tried highest score first.
 *
 * Where the weights come from (data/password-shapes.json, written by scripts/derive-password-shapes.ts):
 * - the digits after a word and their order (`1`, `123`, `2`, `12`, `69`, …): the ranked zxcvbn-ts list;
 * - `!` as the symbol after a word: the only symbol john's list puts there more than once;
 * - years: recent years first, the newest but one highest (words + 20xx in the zxcvbn-ts list peak a year
 *   before its newest entries).
 * The lists predate password rules, so they say nothing about a capital and a symbol together; the weights of
 * those shapes (`Summer2024!`) were set by measuring the generator on bench/weak-passwords.ts.
 */

export interface Style {
  /** Writes the password for a word in its forms. */
  apply: (forms: WordForms) => string | undefined;
  weight: number;
}

/** One word in the forms people type it: `Oak Street`, `oakstreet`, `Oakstreet`, `OakStreet`. */
export interface WordForms {
  /** As written in the list or the home (trimmed). */
  typed: string;
  lower: string;
  capitalised: string;
  /** Each part capitalised, when the word had several (`OakStreet`); else undefined. */
  camel?: string;
}

export interface DigitSuffix {
  suffix: string;
  weight: number;
}

export function capitalise(word: string): string {
  return word.length === 0 ? word : word[0]?.toUpperCase() + word.slice(1);
}

/** A word (or several, `Oak Street`) in its typed forms; undefined when nothing of it is left. */
export function wordForms(text: string): WordForms | undefined {
  const parts = text
    .trim()
    .split(/[\s_.-]+/)
    .filter((part) => part.length > 0);
  const lower = parts.join("").toLowerCase();
  if (lower.length === 0) return undefined;
  // A capital inside a part is how its owner writes it (`RigPassw0rd`, `McDonald`): keep it.
  const written = (part: string) => capitalise(/[A-Z]/.test(part.slice(1)) ? part : part.toLowerCase());
  const typed = text.trim();
  const single = parts.length === 1 ? parts[0] : undefined;
  const capitalised = single === undefined ? capitalise(lower) : written(single);
  const camel = parts.map(written).join("");
  return camel === capitalised ? { typed, lower, capitalised } : { typed, lower, capitalised, camel };
}

/**
 * The years people put after a word, with a weight each: the last six years, the one before this year first.
 * Passwords outlive the year they were made in (an audit in 2026 meets `Summer2024!`), so the weights fall
 * slowly.
 */
export function recentYears(now: Date): { year: string; weight: number }[] {
  const year = now.getUTCFullYear();
  const byAge = [0.85, 1, 0.9, 0.8, 0.7, 0.6];
  return byAge.map((weight, age) => ({ year: String(year - age), weight })).sort((a, b) => b.weight - a.weight);
}

/** Birth years for names (`Mike1985`, `Emma2015`): flat, since nothing here says which are likelier. */
export function birthYears(now: Date): string[] {
  const newest = now.getUTCFullYear() - 6;
  return Array.from({ length: newest - 1950 + 1 }, (_, i) => String(newest - i));
}

/** The symbol people add after a word (john's list: the only one it holds more than once). */
const SYMBOL = "!";

/**
 * Styles for a season or month word: a year is the point of these passwords (`Summer2024!`, `winter2023`).
 */
export function seasonStyles(now: Date): Style[] {
  const styles: Style[] = [];
  for (const { year, weight } of recentYears(now)) {
    const short = year.slice(2);
    styles.push(
      { apply: (f) => `${f.capitalised}${year}${SYMBOL}`, weight: weight * 1 },
      { apply: (f) => `${f.capitalised}${year}`, weight: weight * 0.9 },
      { apply: (f) => `${f.lower}${year}`, weight: weight * 0.8 },
      { apply: (f) => `${f.lower}${year}${SYMBOL}`, weight: weight * 0.5 },
      { apply: (f) => `${f.capitalised}${short}${SYMBOL}`, weight: weight * 0.4 },
      { apply: (f) => `${f.capitalised}${short}`, weight: weight * 0.4 },
      { apply: (f) => `${f.lower}${short}`, weight: weight * 0.3 },
      { apply: (f) => `${f.capitalised}${SYMBOL}${year}`, weight: weight * 0.2 },
    );
  }
  styles.push(
    { apply: (f) => f.lower, weight: 0.3 },
    { apply: (f) => f.capitalised, weight: 0.2 },
    { apply: (f) => `${f.capitalised}1`, weight: 0.2 },
    { apply: (f) => `${f.capitalised}${SYMBOL}`, weight: 0.15 },
    { apply: (f) => `${f.capitalised}1${SYMBOL}`, weight: 0.15 },
    { apply: (f) => `${f.lower}1`, weight: 0.15 },
    { apply: (f) => `${f.capitalised}123`, weight: 0.1 },
  );
  return styles;
}

/** `password` → `passw0rd`, `p@ssw0rd`, `p@$$w0rd`: the leetspeak the ranked lists hold, commonest first. */
export const LEET_FORMS: readonly { swap: (word: string) => string; weight: number }[] = [
  { swap: (word) => word.replace(/o/g, "0"), weight: 1 },
  { swap: (word) => word.replace(/o/g, "0").replace(/a/g, "@"), weight: 0.7 },
  {
    swap: (word) => word.replace(/[aeios]/g, (c) => ({ a: "@", e: "3", i: "1", o: "0", s: "$" })[c] ?? c),
    weight: 0.5,
  },
  { swap: (word) => word.replace(/e/g, "3"), weight: 0.4 },
  { swap: (word) => word.replace(/a/g, "4").replace(/e/g, "3").replace(/o/g, "0"), weight: 0.3 },
];

/** The first styles of `wordStyles`: the word as written, with or without its spaces. */
const AS_TYPED_STYLES = 2;

export interface WordStyleOptions {
  digits: readonly DigitSuffix[];
  now: Date;
  /** The home's house number (`12 Oak Street` → `12`), tried after home words. */
  houseNumbers?: readonly string[];
  /** Birth years too (people's names). */
  birthYears?: boolean;
  /**
   * Scales every style but the word as typed: the common list already holds its frequent variations as
   * entries of their own (`password1`, `password123`), so its words' own variations are rarer.
   */
  variationScale?: number;
}

/**
 * Styles for any other word (names, the home's words, Home Assistant words, the common list): as typed,
 * capitalised, with the digits the data ranks highest, with a recent year, with `!`, and in leetspeak.
 */
export function wordStyles(options: WordStyleOptions): Style[] {
  const styles: Style[] = [
    // as written (the first AS_TYPED_STYLES styles); with its spaces (`Oak Street`) less often than joined
    { apply: (f) => (/\s/.test(f.typed) ? undefined : f.typed), weight: 1 },
    { apply: (f) => (/\s/.test(f.typed) ? f.typed : undefined), weight: 0.3 },
    { apply: (f) => f.lower, weight: 1 },
    { apply: (f) => f.capitalised, weight: 0.6 },
    { apply: (f) => f.camel, weight: 0.3 },
  ];
  // The data's digit weights fall steeply (`1` is 7 times `123`); their square root keeps the data's order
  // while letting the second and third suffix come before the first suffix on much rarer words.
  // Digits and years go after letters: the data counts them there, and `1234561` is nobody's password.
  const after = (suffix: string, write: (f: WordForms) => string) => (f: WordForms) =>
    /\d$/.test(f.lower) ? undefined : write(f) + suffix;
  for (const { suffix, weight } of options.digits) {
    const w = Math.sqrt(weight);
    styles.push(
      { apply: after(suffix, (f) => f.lower), weight: 0.8 * w },
      { apply: after(suffix, (f) => f.capitalised), weight: 0.5 * w },
      { apply: after(`${suffix}${SYMBOL}`, (f) => f.capitalised), weight: 0.35 * w },
      { apply: after(`${suffix}${SYMBOL}`, (f) => f.lower), weight: 0.15 * w },
    );
  }
  styles.push({ apply: (f) => f.lower + SYMBOL, weight: 0.3 }, { apply: (f) => f.capitalised + SYMBOL, weight: 0.35 });
  for (const { year, weight } of recentYears(options.now)) {
    styles.push(
      { apply: after(year, (f) => f.lower), weight: 0.35 * weight },
      { apply: after(year, (f) => f.capitalised), weight: 0.35 * weight },
      { apply: after(`${year}${SYMBOL}`, (f) => f.capitalised), weight: 0.3 * weight },
      { apply: after(`${year}${SYMBOL}`, (f) => f.lower), weight: 0.1 * weight },
      { apply: after(`${SYMBOL}${year}`, (f) => f.capitalised), weight: 0.1 * weight },
      { apply: after(year.slice(2), (f) => f.lower), weight: 0.12 * weight },
      { apply: after(year.slice(2), (f) => f.capitalised), weight: 0.08 * weight },
    );
  }
  for (const number of options.houseNumbers ?? []) {
    styles.push(
      { apply: after(number, (f) => f.capitalised), weight: 0.5 },
      { apply: after(number, (f) => f.lower), weight: 0.5 },
      { apply: after(`${number}${SYMBOL}`, (f) => f.capitalised), weight: 0.3 },
    );
  }
  if (options.birthYears === true) {
    for (const year of birthYears(options.now)) {
      styles.push(
        { apply: after(year, (f) => f.capitalised), weight: 0.04 },
        { apply: after(year, (f) => f.lower), weight: 0.04 },
      );
    }
  }
  for (const { swap, weight } of LEET_FORMS) {
    const leet = (f: WordForms): WordForms | undefined => {
      const lower = swap(f.lower);
      return lower === f.lower ? undefined : { typed: lower, lower, capitalised: capitalise(lower) };
    };
    styles.push(
      { apply: (f) => leet(f)?.lower, weight: 0.25 * weight },
      { apply: (f) => leet(f)?.capitalised, weight: 0.25 * weight },
      { apply: (f) => (leet(f) === undefined ? undefined : `${leet(f)?.capitalised}${SYMBOL}`), weight: 0.15 * weight },
      { apply: (f) => (leet(f) === undefined ? undefined : `${leet(f)?.lower}1`), weight: 0.1 * weight },
      {
        apply: (f) => (leet(f) === undefined ? undefined : `${leet(f)?.capitalised}1${SYMBOL}`),
        weight: 0.08 * weight,
      },
    );
  }
  const scale = options.variationScale ?? 1;
  return styles.map((style, i) => (i < AS_TYPED_STYLES ? style : { ...style, weight: style.weight * scale }));
}

/** Styles for a keyboard walk (`qwerty`, `1q2w3e4r`): as typed, or dressed up for a password rule. */
export function walkStyles(): Style[] {
  return [
    { apply: (f) => f.typed, weight: 1 },
    { apply: (f) => f.capitalised, weight: 0.5 },
    { apply: (f) => f.typed + SYMBOL, weight: 0.35 },
    { apply: (f) => f.capitalised + SYMBOL, weight: 0.35 },
    { apply: (f) => `${f.typed}1`, weight: 0.3 },
    { apply: (f) => `${f.typed}123`, weight: 0.3 },
    { apply: (f) => `${f.capitalised}1${SYMBOL}`, weight: 0.2 },
    { apply: (f) => `${f.capitalised}123${SYMBOL}`, weight: 0.2 },
  ];
}
