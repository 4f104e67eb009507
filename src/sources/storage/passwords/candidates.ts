import type { CandidateOrigin } from "../../../model/storage-facts.js";
import { type Style, seasonStyles, type WordForms, walkStyles, wordForms, wordStyles } from "./styles.js";
import type { PasswordShapes } from "./word-lists.js";

/**
 * The weak-password candidate generator. A cost-12 bcrypt check takes about a quarter of a second per core, so
 * a minute on a small machine tries a few hundred candidates in all: the order is everything. Every candidate
 * gets a score — its family's share × its word's weight × the weight of the way it is typed (styles.ts), the
 * last two normalised within the family — and candidates are tried highest score first, so the likeliest
 * shapes of every family come before the rarer shapes of any. Word weights come from published ranked lists
 * (data/password-shapes.json, the common list's own order); family shares from measuring the generator on
 * bench/weak-passwords.ts.
 */

export interface Candidate {
  password: string;
  origin: CandidateOrigin;
}

/** Words from the home that a password may be built from (see `home-words.ts`). */
export interface HomeWords {
  /** The home's name; often its address (`12 Oak Street` gives `Oak Street`). */
  homeNames: string[];
  cities: string[];
  /** House numbers found in the home's name (`12`). */
  houseNumbers: string[];
  /** Login and display names of every user, for "derived from another user's name". */
  userNames: string[];
}

export interface WordLists {
  /** Common passwords, most common first (data/common-passwords.txt). */
  common: readonly string[];
  /** Words every Home Assistant home shares: `homeassistant`, `hassio`, ... */
  homeAssistantWords: readonly string[];
  /** How often shapes appear in published lists (data/password-shapes.json). */
  shapes: PasswordShapes;
}

/** The user whose hash the candidates are for. */
export interface PasswordOwner {
  username: string;
  /** The `auth` user's display name and linked person's name. */
  names: string[];
}

/**
 * Each family's share of weak passwords; its candidates divide the share between them by word and style
 * weight, so a family of few candidates (the user's name) reaches deep into its variations early, and the
 * common list, thousands strong, mostly with its entries as typed. The published lists cannot measure the
 * families that belong to one home (its names, its address) nor shapes newer than them (`Summer2024!`), so the
 * shares were set by measuring the order on bench/weak-passwords.ts (`npm run bench`), keeping the issue's
 * order where the bench could not tell: seasons and months with a year, the home's and people's words,
 * keyboard walks, Home Assistant words, the common list.
 */
export const FAMILY_WEIGHTS: Readonly<Record<CandidateOrigin, number>> = {
  "season-or-month": 0.14,
  "home-name": 0.04,
  "home-city": 0.04,
  username: 0.12,
  "user-name": 0.12,
  "other-user": 0.08,
  "keyboard-walk": 0.08,
  "home-assistant-word": 0.06,
  "common-list": 0.7,
};

/** How many of the most common passwords also get every style (the rest are tried as typed). */
export const MUTATED_COMMON_COUNT = 200;

interface Weighted {
  text: string;
  weight: number;
}

interface Family {
  origin: CandidateOrigin;
  words: readonly Weighted[];
  styles: readonly Style[];
  /** Only this many words (the first) get every style; the rest get only the first style (as typed). */
  styledWords?: number;
}

interface Scored extends Candidate {
  score: number;
}

/** bcrypt ignores bytes after the 72nd, and an empty password cannot be set: neither is worth a hash. */
function usable(password: string | undefined): password is string {
  return password !== undefined && password.length > 0 && Buffer.byteLength(password) <= 72;
}

function scoreFamily(family: Family): Scored[] {
  const scored: Scored[] = [];
  const asTyped = family.styles.slice(0, 1);
  for (const [index, word] of family.words.entries()) {
    const forms: WordForms | undefined = wordForms(word.text);
    if (forms === undefined) continue;
    for (const style of index < (family.styledWords ?? Number.POSITIVE_INFINITY) ? family.styles : asTyped) {
      const password = style.apply(forms);
      if (usable(password)) scored.push({ password, origin: family.origin, score: word.weight * style.weight });
    }
  }
  // A family's weight is its share of all weak passwords; its candidates divide that share between them.
  const total = scored.reduce((sum, candidate) => sum + candidate.score, 0);
  const share = FAMILY_WEIGHTS[family.origin] / (total || 1);
  for (const candidate of scored) candidate.score *= share;
  return scored;
}

/** Highest score first (ties keep the order they were made in), each password once. */
function ranked(families: readonly Family[]): Scored[] {
  const all = families.flatMap(scoreFamily).sort((a, b) => b.score - a.score);
  const seen = new Set<string>();
  return all.filter((candidate) => !seen.has(candidate.password) && seen.add(candidate.password));
}

/** A list's order as weights: the n-th entry weighs 1/√n (tempered Zipf: the order of the data, gentler steps). */
function byRank(words: readonly string[], first = 1): Weighted[] {
  return words.map((text, i) => ({ text, weight: Math.sqrt(first / (i + first)) }));
}

/** Words of an address that say nothing of the home on their own (`Street`, `Road`, `Weg`, ...). */
const GENERIC_WORDS = new Set(
  ["the home house street st road rd lane avenue ave drive way court place", "straat straße strasse weg laan"]
    .concat(["rue via calle gatan vej vei huis haus"])
    .join(" ")
    .split(" "),
);

/** A name and its parts with their weights: the whole name typed together, and each part of 3 letters or more. */
function nameWords(name: string, whole: number, first: number, rest: number): Weighted[] {
  const parts = name
    .trim()
    .split(/[\s_.@-]+/)
    .filter((part) => part.length >= 3 && !GENERIC_WORDS.has(part.toLowerCase()));
  if (parts.length < 2) return [{ text: name, weight: Math.max(whole, first) }];
  return [...parts.map((part, i) => ({ text: part, weight: i === 0 ? first : rest })), { text: name, weight: whole }];
}

/**
 * The candidates of one home: what every user shares (seasons, the home's words, keyboard walks, Home Assistant
 * words, the common list) is scored and sorted once; each user's own words are merged into it by score.
 */
export class CandidatePlan {
  private readonly shared: Scored[];
  private readonly sharedPasswords: Set<string>;

  constructor(
    private readonly home: HomeWords,
    private readonly lists: WordLists,
    private readonly now: Date,
  ) {
    const digits = lists.shapes.digitSuffixes;
    const words = wordStyles({ digits, now });
    const homeStyles = wordStyles({ digits, now, houseNumbers: home.houseNumbers });
    const walks = lists.shapes.keyboardWalks;
    const firstWalk = walks[0]?.rank ?? 1;
    const families: Family[] = [
      {
        origin: "season-or-month",
        words: lists.shapes.seasonsAndMonths.map((row) => ({
          text: row.word,
          weight: Math.sqrt(Math.max(row.weight, 0.005)),
        })),
        styles: seasonStyles(now),
      },
      {
        origin: "home-name",
        words: home.homeNames.flatMap((name) => nameWords(name, 1, 0.7, 0.7)),
        styles: homeStyles,
      },
      { origin: "home-city", words: home.cities.flatMap((city) => nameWords(city, 1, 0.5, 0.5)), styles: homeStyles },
      {
        origin: "keyboard-walk",
        words: walks.map((row) => ({ text: row.walk, weight: Math.sqrt(firstWalk / row.rank) })),
        styles: walkStyles(),
      },
      { origin: "home-assistant-word", words: byRank(lists.homeAssistantWords), styles: words },
      {
        origin: "common-list",
        words: byRank(lists.common),
        styles: wordStyles({ digits, now, variationScale: lists.shapes.suffixedToTyped }),
        styledWords: MUTATED_COMMON_COUNT,
      },
    ];
    this.shared = ranked(families);
    this.sharedPasswords = new Set(this.shared.map((candidate) => candidate.password));
  }

  /** Every candidate for one user, highest score first, each password once. */
  *forUser(owner: PasswordOwner): Generator<Candidate> {
    const own = this.ownWords(owner);
    const overlap = new Set(own.filter((c) => this.sharedPasswords.has(c.password)).map((c) => c.password));
    let i = 0;
    let j = 0;
    const emitted = new Set<string>();
    while (i < own.length || j < this.shared.length) {
      const mine = own[i];
      const theirs = this.shared[j];
      const takeMine = mine !== undefined && (theirs === undefined || mine.score >= theirs.score);
      const next = takeMine ? mine : theirs;
      if (takeMine) i++;
      else j++;
      if (next === undefined) break;
      if (overlap.has(next.password)) {
        if (emitted.has(next.password)) continue;
        emitted.add(next.password);
      }
      yield { password: next.password, origin: next.origin };
    }
  }

  private ownWords(owner: PasswordOwner): Scored[] {
    const ownNames = owner.names.filter((name) => name.trim().length > 0);
    const loginParts = owner.username.split(/[@._-]/).filter((part) => part.length >= 3);
    const isOwn = (name: string) => name === owner.username || ownNames.includes(name);
    const others = this.home.userNames.filter((name) => !isOwn(name));
    const digits = this.lists.shapes.digitSuffixes;
    const nameStyles = wordStyles({ digits, now: this.now, birthYears: true });
    return ranked([
      {
        origin: "username",
        words: [{ text: owner.username, weight: 1 }, ...loginParts.map((text) => ({ text, weight: 0.8 }))],
        styles: nameStyles,
      },
      { origin: "user-name", words: ownNames.flatMap((name) => nameWords(name, 0.5, 1, 0.8)), styles: nameStyles },
      {
        origin: "other-user",
        words: others.flatMap((name) => nameWords(name, 0.4, 1, 0.8)),
        styles: wordStyles({ digits, now: this.now }),
      },
    ]);
  }
}

/** The candidates for one user (builds a plan for a single user; share a `CandidatePlan` for many). */
export function userCandidates(
  owner: PasswordOwner,
  home: HomeWords,
  lists: WordLists,
  now: Date,
): Generator<Candidate> {
  return new CandidatePlan(home, lists, now).forUser(owner);
}
