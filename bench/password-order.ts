// How good is the weak-password generator's order? For each of the 30 realistic weak passwords in
// bench/weak-passwords.ts, the number of hashes the audit needs to reach it: its 1-based position in the
// candidates generated for its user. Computed by generating candidates, not by hashing, so it is fast; the
// time it means on a real home is that count times bcrypt's cost (see bench/bcrypt.ts).

import { availableParallelism } from "node:os";
import { DEFAULT_PASSWORD_BUDGET } from "../src/cli/commands/audit.js";
import type { StorageAuth, StorageUser } from "../src/model/storage-facts.js";
import { type Candidate, userCandidates } from "../src/sources/storage/passwords/candidates.js";
import { homeWords } from "../src/sources/storage/passwords/home-words.js";
import { defaultWordLists } from "../src/sources/storage/passwords/word-lists.js";
import { rawCandidatesPerSecond } from "./bcrypt.js";
import { BENCH_HOME, type BenchUser, WEAK_PASSWORDS } from "./weak-passwords.js";

/** The list's horizon: candidates a small machine tests for one user in a few minutes. */
const WITHIN = 2_000;
/** Cost-12 hashes a second on two idle cores (raw @node-rs/bcrypt, bench/bcrypt.ts): ~100 in 10 s. */
const IDLE_TWO_CORES = 10;

function benchAuth(): StorageAuth {
  const users: StorageUser[] = BENCH_HOME.users.map((user, i) => ({
    id: `user${i}`,
    name: user.name,
    groupIds: [i === 0 ? "system-admin" : "system-users"],
    isOwner: i === 0,
    isActive: true,
    systemGenerated: false,
    localOnly: false,
    isAdmin: i === 0,
    usernames: [user.username],
    credentialTypes: ["homeassistant"],
    mfaModules: [],
    ...(user.person === undefined ? {} : { personName: user.person }),
  }));
  return { users, groups: [], credentials: [], refreshTokens: [] };
}

/** The candidates the audit would try for one bench user, in order. */
export async function benchCandidates(username: BenchUser): Promise<Iterable<Candidate>> {
  const auth = benchAuth();
  const persons = BENCH_HOME.users.flatMap((user, i) =>
    user.person === undefined ? [] : [{ id: user.username, name: user.person, userId: `user${i}` }],
  );
  const home = homeWords(auth, persons, { ...BENCH_HOME.coreConfig }, undefined);
  const user = BENCH_HOME.users.find((entry) => entry.username === username);
  const names: string[] = [];
  if (user?.name !== undefined) names.push(user.name);
  if (user?.person !== undefined) names.push(user.person);
  return userCandidates({ username, names }, home, await defaultWordLists(), BENCH_HOME.now);
}

export interface OrderResult {
  password: string;
  shape: string;
  /** Hashes needed to reach it; undefined when the generator never produces it. */
  rank: number | undefined;
}

export async function measureOrder(): Promise<{ results: OrderResult[]; planned: Map<BenchUser, number> }> {
  const ranks = new Map<BenchUser, Map<string, number>>();
  const planned = new Map<BenchUser, number>();
  for (const user of new Set(WEAK_PASSWORDS.map((entry) => entry.user))) {
    const wanted = new Set(WEAK_PASSWORDS.filter((entry) => entry.user === user).map((entry) => entry.password));
    const found = new Map<string, number>();
    let position = 0;
    for (const candidate of await benchCandidates(user)) {
      position++;
      if (wanted.has(candidate.password) && !found.has(candidate.password)) found.set(candidate.password, position);
    }
    ranks.set(user, found);
    planned.set(user, position);
  }
  const results = WEAK_PASSWORDS.map((entry) => ({
    password: entry.password,
    shape: entry.shape,
    rank: ranks.get(entry.user)?.get(entry.password),
  }));
  return { results, planned };
}

/** Median and worst of the ranks, counting "never" as worse than any rank. */
export function summarise(results: readonly OrderResult[], within = WITHIN) {
  const sorted = results.map((result) => result.rank ?? Number.POSITIVE_INFINITY).sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 === 1
      ? (sorted[Math.floor(middle)] ?? 0)
      : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  const worst = sorted.at(-1) ?? 0;
  const reachedWithin = (limit: number) => sorted.filter((rank) => rank <= limit).length;
  return {
    median,
    worst,
    notWithin: sorted.length - reachedWithin(within),
    never: sorted.filter((r) => !Number.isFinite(r)).length,
    reachedWithin,
  };
}

const show = (rank: number) => (Number.isFinite(rank) ? String(rank) : "never");

export async function benchPasswordOrder(): Promise<string[]> {
  const started = performance.now();
  const { results, planned } = await measureOrder();
  const ms = performance.now() - started;
  const summary = summarise(results);
  const lines = [
    `hashes the generator needs to reach each of ${results.length} realistic weak passwords (bench/weak-passwords.ts; generated, not hashed, in ${ms.toFixed(0)} ms):`,
  ];
  for (const result of results) {
    lines.push(
      `  ${show(result.rank ?? Number.POSITIVE_INFINITY).padStart(7)}  ${result.password.padEnd(16)} ${result.shape}`,
    );
  }
  const reached = [50, 100, 250, 500, 1000, WITHIN].map((limit) => `${summary.reachedWithin(limit)} within ${limit}`);
  lines.push(
    `  median ${show(summary.median)}, worst ${show(summary.worst)}; ${summary.notWithin} not reached within ${WITHIN} candidates (${summary.never} never generated)`,
    `  reached: ${reached.join(", ")}`,
    `  candidates per user: ${[...planned].map(([user, count]) => `${user} ${count}`).join(", ")}`,
  );
  // What a time budget means: cost-12 hashes a second, shared equally between users. Measured now on this
  // machine's cores (a busy machine says little), and at the ~10 a second two idle cores manage.
  const workers = availableParallelism();
  const measured = await rawCandidatesPerSecond(3, workers);
  const users = planned.size;
  const budgets = [10, 30, DEFAULT_PASSWORD_BUDGET, 120, 300].filter((b, i, all) => all.indexOf(b) === i);
  for (const [perSecond, label] of [
    [measured, `measured now on ${workers} cores`],
    [IDLE_TWO_CORES, "two idle cores"],
  ] as const) {
    lines.push(`  reached within a time budget at ${perSecond.toFixed(1)} cost-12 hashes/s (${label}):`);
    for (const seconds of budgets.sort((a, b) => a - b)) {
      const total = Math.floor(perSecond * seconds);
      const perUser = Math.floor(total / users);
      const mark = seconds === DEFAULT_PASSWORD_BUDGET ? " (the default)" : "";
      lines.push(
        `    ${String(seconds).padStart(3)} s${mark}: ${summary.reachedWithin(perUser)}/${results.length} in this ${users}-user home (${perUser} each); ` +
          `${summary.reachedWithin(total)}/${results.length} if each were the only user (${total})`,
      );
    }
  }
  return lines;
}

// Run directly: `node --import tsx bench/password-order.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await benchPasswordOrder()) process.stdout.write(`${line}\n`);
}
