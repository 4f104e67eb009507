import type { CandidateOrigin } from "../../../model/storage-facts.js";

/**
 * The weak-password candidate generator. A cost-12 bcrypt check takes about a quarter of a second per
 * core, so a ten-second budget on a small machine tries a few dozen candidates per user: order matters
 * more than size. Candidates come in tiers, most likely first: the user's own words, then the home's
 * words and the top of the common list as typed, then the mutations people use to satisfy a password
 * rule (capital first letter, digits, `!`, a recent year, simple leetspeak), then the rest of the list.
 */

export interface Candidate {
  password: string;
  origin: CandidateOrigin;
}

/** Words from the home that a password may be built from (see `home-words.ts`). */
export interface HomeWords {
  homeNames: string[];
  cities: string[];
  /** Login and display names of every user, for "derived from another user's name". */
  userNames: string[];
}

export interface WordLists {
  /** Common passwords, most common first (data/common-passwords.txt). */
  common: readonly string[];
  /** Words every Home Assistant home shares: `homeassistant`, `hassio`, ... */
  homeAssistantWords: readonly string[];
}

/** The user whose hash the candidates are for. */
export interface PasswordOwner {
  username: string;
  /** The `auth` user's display name and linked person's name. */
  names: string[];
}

/** How many of the most common passwords also get the mutation tiers (the rest are tried as typed). */
export const MUTATED_COMMON_COUNT = 200;
/** How many of the most common passwords are tried before the home's mutated words. */
const TOP_COMMON_COUNT = 100;

const SHORT_SUFFIXES = ["1", "123", "!", "1!", "12", "1234", "2", "01", "!!", "123!", "12345", "@"];

/** `now`'s year and the five before it, as typed after a word (`2026`, `2026!`, `!2026`, `26`). */
export function yearSuffixes(now: Date): string[] {
  const year = now.getUTCFullYear();
  const suffixes: string[] = [];
  for (let y = year; y > year - 6; y--) suffixes.push(String(y), `${y}!`, `!${y}`, `@${y}`);
  for (let y = year; y > year - 6; y--) suffixes.push(String(y).slice(2));
  return suffixes;
}

/** Word split into the forms people type: as written, lower case, capitalised, and joined without spaces. */
export function baseForms(word: string): string[] {
  const trimmed = word.trim();
  if (trimmed.length === 0) return [];
  const joined = trimmed.replace(/[\s_.-]+/g, "");
  const lower = joined.toLowerCase();
  const camel = trimmed
    .split(/[\s_.-]+/)
    .map(capitalise)
    .join("");
  return unique([joined, lower, capitalise(lower), camel, trimmed]);
}

/** The parts of a multi-word name on their own (`Test Owner` → `test`, `owner`), 3 letters or more. */
export function nameParts(word: string): string[] {
  const parts = word.trim().split(/[\s_.@-]+/);
  return parts.length < 2 ? [] : parts.filter((part) => part.length >= 3);
}

const LEET: Record<string, string> = { a: "@", e: "3", i: "1", o: "0", s: "$" };

/** Simple leetspeak (`password` → `p@$$w0rd`) and its common half (`passw0rd`: only o→0). */
export function leetForms(word: string): string[] {
  const full = word.replace(/[aeios]/gi, (letter) => LEET[letter.toLowerCase()] ?? letter);
  const oOnly = word.replace(/o/gi, "0");
  return unique([full, oOnly, capitalise(full), capitalise(oOnly)]).filter((form) => form !== word);
}

/** One tier of mutations applied to base forms. */
function* withSuffixes(forms: readonly string[], suffixes: readonly string[]): Generator<string> {
  for (const suffix of suffixes) for (const form of forms) yield form + suffix;
}

interface Source {
  words: readonly string[];
  origin: CandidateOrigin;
}

type Tier = "as-typed" | "suffixes" | "years" | "leet";

/** One tier for a set of words: as typed, with short suffixes, with years, or leetspeak (+ `!`, `1`, this year). */
function* tier(source: Source, which: Tier, now: Date): Generator<Candidate> {
  const forms = unique(source.words.flatMap(baseForms));
  let passwords: Iterable<string>;
  if (which === "as-typed") passwords = forms;
  else if (which === "suffixes") passwords = withSuffixes(forms, SHORT_SUFFIXES);
  else if (which === "years") passwords = withSuffixes(forms, yearSuffixes(now));
  else {
    const leet = unique(forms.flatMap(leetForms));
    const year = now.getUTCFullYear();
    passwords = [...leet, ...withSuffixes(leet, ["!", "1", "123", String(year), `!${year}`])];
  }
  yield* tagged(passwords, source.origin);
}

/**
 * Candidates for one user, in the order they are tried, without duplicates. Round by round, most likely
 * first: every word as typed (the user's login and names, other users, the home, Home Assistant, the top
 * of the common list); then the user's own words with suffixes and years; the home's words likewise;
 * leetspeak; then the common list's own tiers.
 */
export function* userCandidates(
  owner: PasswordOwner,
  home: HomeWords,
  lists: WordLists,
  now: Date,
): Generator<Candidate> {
  const seen = new Set<string>();
  const fresh = function* (candidates: Iterable<Candidate>): Generator<Candidate> {
    for (const candidate of candidates) {
      // bcrypt ignores bytes after the 72nd, and an empty password cannot be set: skip both.
      if (candidate.password.length === 0 || Buffer.byteLength(candidate.password) > 72) continue;
      if (seen.has(candidate.password)) continue;
      seen.add(candidate.password);
      yield candidate;
    }
  };
  const ownNames = owner.names.filter((name) => name.trim().length > 0);
  const loginParts = owner.username.split(/[@._-]/).filter((part) => part.length >= 3);
  const own: Source[] = [
    { words: [owner.username, ...loginParts], origin: "username" },
    { words: [...ownNames, ...ownNames.flatMap(nameParts)], origin: "user-name" },
  ];
  const others = home.userNames.filter((name) => name !== owner.username && !owner.names.includes(name));
  const shared: Source[] = [
    { words: lists.homeAssistantWords, origin: "home-assistant-word" },
    { words: home.homeNames, origin: "home-name" },
    { words: home.cities, origin: "home-city" },
    { words: [...others, ...others.flatMap(nameParts)], origin: "other-user" },
  ];
  const topCommon: Source = { words: lists.common.slice(0, TOP_COMMON_COUNT), origin: "common-list" };

  for (const source of [...own, ...shared, topCommon]) yield* fresh(tier(source, "as-typed", now));
  for (const which of ["suffixes", "years"] as const) for (const source of own) yield* fresh(tier(source, which, now));
  for (const which of ["suffixes", "years"] as const)
    for (const source of shared) yield* fresh(tier(source, which, now));
  for (const source of [...own, ...shared]) yield* fresh(tier(source, "leet", now));
  yield* fresh(commonCandidates(lists.common, now));
}

/**
 * The common list's tiers: the most common passwords as typed and capitalised, with short suffixes, the
 * whole list as typed, then years and leetspeak on the most common ones. May repeat a password; callers
 * remove repeats.
 */
export function* commonCandidates(common: readonly string[], now: Date): Generator<Candidate> {
  const mutated = common.slice(0, MUTATED_COMMON_COUNT);
  const forms = unique(mutated.flatMap((word) => [word, capitalise(word)]));
  const tag = (passwords: Iterable<string>): Generator<Candidate> => tagged(passwords, "common-list");
  yield* tag(forms);
  yield* tag(withSuffixes(forms, SHORT_SUFFIXES.slice(0, 6)));
  yield* tag(common);
  yield* tag(withSuffixes(forms, yearSuffixes(now).slice(0, 8)));
  const leet = unique(mutated.flatMap(leetForms));
  yield* tag(leet);
  yield* tag(withSuffixes(leet, ["!", "1", "123"]));
}

function* tagged(passwords: Iterable<string>, origin: CandidateOrigin): Generator<Candidate> {
  for (const password of passwords) yield { password, origin };
}

export function capitalise(word: string): string {
  return word.length === 0 ? word : word[0]?.toUpperCase() + word.slice(1);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value.length > 0))];
}
