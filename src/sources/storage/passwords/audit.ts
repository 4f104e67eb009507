import { availableParallelism } from "node:os";
import type { CandidateOrigin, PasswordAudit, PasswordUserResult } from "../../../model/storage-facts.js";
import { BcryptPool } from "./bcrypt-pool.js";
import type { Candidate } from "./candidates.js";

/** One login to test: its bcrypt hash (never leaves this module) and its candidates in order. */
export interface PasswordTarget {
  username: string;
  userId?: string;
  /** `auth_provider.homeassistant`'s `password` field: base64 of the bcrypt hash. */
  passwordBase64: string;
  /** A fresh iterator over the candidates, called twice: once to count them, once to try them. */
  candidates: () => Iterable<Candidate>;
}

/**
 * The test's budgets; at least one must be given. Time is what an owner sets (`--password-budget SECONDS`);
 * candidates make a run reproducible whatever the machine's load (tests, `--password-candidates N`). Both
 * are shared fairly: users are served in turn, so every user gets the same number of candidates.
 */
export interface PasswordAuditOptions {
  /** Wall-clock seconds for the whole test; 0 turns it off; absent or Infinity: no time limit. */
  budgetSeconds?: number;
  /** At most this many candidates per user (the likeliest); 0 turns it off; absent: no count limit. */
  candidatesPerUser?: number;
  /** Worker threads; defaults to every core. */
  workers?: number;
}

/** What each batch should cost a worker: long enough that messaging is noise, short enough to share fairly. */
const BATCH_TARGET_MS = 100;
const MAX_BATCH = 512;

/** `$2b$12$` + 53 characters of bcrypt's base64: what `bcrypt.hashpw` returns. */
const BCRYPT_HASH = /^\$2[abxy]\$(\d{2})\$[./A-Za-z0-9]{53}$/;

/** Decodes Home Assistant's base64 field to the bcrypt hash, or says why it is not one. */
export function decodeHash(passwordBase64: string): { hash: string; cost: number } | { error: string } {
  const hash = Buffer.from(passwordBase64, "base64").toString("latin1");
  const cost = BCRYPT_HASH.exec(hash)?.[1];
  if (cost === undefined) return { error: "the stored password is not a base64 bcrypt hash; not tested" };
  const rounds = Number(cost);
  if (rounds < 4 || rounds > 31) return { error: `the stored hash has an impossible cost (${rounds}); not tested` };
  return { hash, cost: rounds };
}

interface Running {
  result: PasswordUserResult;
  hash: string;
  iterator: Iterator<Candidate>;
  /** Candidates handed out so far (at most `candidatesPerUser`). */
  handedOut: number;
  coverage: NonNullable<PasswordUserResult["coverage"]>;
  /** Measured milliseconds per hash for this user's cost, once known. */
  msPerHash: number;
  exhausted: boolean;
}

/**
 * Tries every target's candidates on all cores until each is matched or exhausted, or the budget ends,
 * and reports how far it got. Users are served round-robin, so a short budget covers the most likely
 * candidates of every user rather than the whole list of the first.
 */
export async function runPasswordAudit(
  targets: readonly PasswordTarget[],
  options: PasswordAuditOptions,
): Promise<PasswordAudit> {
  const workers = Math.max(1, options.workers ?? availableParallelism());
  const { budgetSeconds, candidatesPerUser } = options;
  if (budgetSeconds === undefined && candidatesPerUser === undefined)
    throw new Error("the password audit needs a time or a candidate budget");
  for (const [name, value] of [
    ["time budget", budgetSeconds],
    ["candidate budget", candidatesPerUser],
  ] as const) {
    if (value !== undefined && !(value >= 0))
      throw new Error(`the password audit's ${name} must be 0 or more, not ${value}`);
  }
  const maxPerUser = candidatesPerUser === undefined ? Number.POSITIVE_INFINITY : Math.floor(candidatesPerUser);
  const audit: PasswordAudit = {
    ran: false,
    ...(budgetSeconds === undefined || budgetSeconds === Number.POSITIVE_INFINITY ? {} : { budgetSeconds }),
    ...(candidatesPerUser === undefined ? {} : { candidatesPerUser: maxPerUser }),
    elapsedMs: 0,
    workers: 0,
    tested: 0,
    planned: 0,
    budgetExhausted: false,
    users: [],
  };
  if (budgetSeconds === 0 || maxPerUser === 0) {
    // Off: not even the candidate lists are built (counting them costs time on a large home).
    audit.users = targets.map((target) => ({
      username: target.username,
      ...(target.userId === undefined ? {} : { userId: target.userId }),
      tested: 0,
      planned: 0,
    }));
    audit.skippedReason =
      budgetSeconds === 0
        ? "the password budget is 0 (--password-budget 0)"
        : "the candidate budget is 0 (--password-candidates 0)";
    return audit;
  }
  const running: Running[] = [];
  for (const target of targets) {
    const result: PasswordUserResult = { username: target.username, tested: 0, planned: 0 };
    if (target.userId !== undefined) result.userId = target.userId;
    audit.users.push(result);
    const decoded = decodeHash(target.passwordBase64);
    if ("error" in decoded) {
      result.error = decoded.error;
      continue;
    }
    // Counted once up front, per kind, so the report can say how much of each kind the budget covered.
    const coverage: Running["coverage"] = {};
    let planned = 0;
    for (const candidate of target.candidates()) {
      if (planned >= maxPerUser) break;
      planned++;
      const kind = coverage[candidate.origin] ?? { tested: 0, planned: 0 };
      kind.planned++;
      coverage[candidate.origin] = kind;
    }
    result.planned = planned;
    result.coverage = coverage;
    running.push({
      result,
      hash: decoded.hash,
      iterator: target.candidates()[Symbol.iterator](),
      handedOut: 0,
      coverage,
      // bcrypt doubles its work per cost step; ~250 ms at cost 12 is the first guess until measured.
      msPerHash: 250 * 2 ** (decoded.cost - 12),
      exhausted: planned === 0,
    });
  }
  audit.planned = audit.users.reduce((sum, user) => sum + user.planned, 0);
  if (running.length === 0) {
    audit.skippedReason = targets.length === 0 ? "no Home Assistant logins to test" : "no testable password hash";
    return audit;
  }

  const started = Date.now();
  // Infinity crosses to the workers intact (structured clone) and no clock ever reaches it.
  const deadline = started + (budgetSeconds ?? Number.POSITIVE_INFINITY) * 1000;
  const poolSize = Math.min(workers, Math.max(1, audit.planned));
  const pool = new BcryptPool(poolSize);
  audit.ran = true;
  audit.workers = poolSize;
  let turn = 0;

  /** The next user with candidates left, round-robin; undefined when everyone is done. */
  const nextUser = (): Running | undefined => {
    for (let step = 0; step < running.length; step++) {
      const candidate = running[(turn + step) % running.length];
      if (candidate !== undefined && !candidate.exhausted && candidate.result.match === undefined) {
        turn = (turn + step + 1) % running.length;
        return candidate;
      }
    }
    return undefined;
  };

  const workerLoop = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const user = nextUser();
      if (user === undefined) return;
      const batchSize = Math.min(MAX_BATCH, Math.max(1, Math.round(BATCH_TARGET_MS / user.msPerHash)));
      const batch: Candidate[] = [];
      while (batch.length < batchSize) {
        const next = user.handedOut < user.result.planned ? user.iterator.next() : { done: true as const };
        if (next.done === true) {
          user.exhausted = true;
          break;
        }
        user.handedOut++;
        batch.push(next.value);
      }
      if (batch.length === 0) continue;
      const outcome = await pool.run({ hash: user.hash, candidates: batch.map((c) => c.password), deadline });
      if (outcome.tested > 0) user.msPerHash = Math.max(0.01, outcome.ms / outcome.tested);
      user.result.tested += outcome.tested;
      for (const candidate of batch.slice(0, outcome.tested)) {
        const kind = user.coverage[candidate.origin];
        if (kind !== undefined) kind.tested++;
      }
      const matched: CandidateOrigin | undefined = batch[outcome.match]?.origin;
      if (outcome.match >= 0 && matched !== undefined) user.result.match = matched;
    }
  };

  try {
    await Promise.all(Array.from({ length: pool.capacity }, workerLoop));
  } finally {
    await pool.close();
  }
  audit.elapsedMs = Date.now() - started;
  audit.tested = audit.users.reduce((sum, user) => sum + user.tested, 0);
  const unfinished = running.filter((user) => user.result.match === undefined);
  if (unfinished.some((user) => user.result.tested < user.result.planned)) {
    audit.budgetExhausted = true;
    audit.stoppedBy = "time";
  } else if (unfinished.some((user) => user.result.planned === maxPerUser && !user.iterator.next().done)) {
    // every planned candidate was tried, but the candidate budget left some of the list untried
    audit.budgetExhausted = true;
    audit.stoppedBy = "candidates";
  }
  return audit;
}
