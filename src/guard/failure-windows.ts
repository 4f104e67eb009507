/**
 * Sliding windows of failure times, one per key (an address, or an IPv6 /64), in bounded memory and O(1)
 * amortised work per failure, whatever the number of distinct keys (issue 8: a spray of a million addresses
 * must neither stall the guard nor make it forget the attacker hiding in it).
 *
 * When the table is full, a batch of entries is dropped in this order, least recently failed first within
 * each step:
 * 1. idle entries — none of their failures is inside the window any more: forgetting them changes no decision;
 * 2. one-offs (one failure) beyond half of the table;
 * 3. entries by how many failures they held when last seen, fewest first, from two up to (not including) one
 *    failure from a ban;
 * 4. the remaining one-offs, and last of all the entries one failure from a ban: such an entry is never
 *    forgotten while a one-off is kept.
 * Step 2 keeps a fresh one-off (perhaps an attacker's first try) for about half the table's size in newer
 * addresses, even when a spray that fails twice per address fills the rest. Each entry sits in the bucket of
 * the count it had when last touched; failures that expired since only make it look closer to a ban than it
 * is, which keeps it longer, never shorter.
 */

/** Counts above this share the top bucket: an owner's threshold of a million must not allocate a million. */
const MAX_BUCKET = 64;

interface WindowEntry {
  /** Failure times (ms), oldest first, at most `threshold` of them. */
  times: number[];
  /** Who failed at each time (the addresses of a /64), when the windows track that. */
  sources: string[] | null;
  lastSeen: number;
  /** The bucket this entry is in: its failure count when last touched, capped at the top bucket. */
  bucket: number;
}

export interface WindowCount {
  /** Failures inside the window, this one included. */
  count: number;
  /** Distinct sources among them, counted once the threshold is reached and sources are tracked (else 0). */
  sources: number;
}

export class FailureWindows {
  readonly #threshold: number;
  readonly #windowMs: number;
  readonly #capacity: number;
  readonly #trackSources: boolean;
  /** Every entry, least recently failed first: touching an entry moves it to the end. */
  readonly #entries = new Map<string, WindowEntry>();
  /** Entries by failure count (index 1 … top), least recently failed first in each. */
  readonly #buckets: Map<string, WindowEntry>[];
  /** The highest bucket: threshold - 1 (a count that reaches the threshold is the caller's to act on), capped. */
  readonly #top: number;

  constructor(options: { threshold: number; windowMs: number; capacity: number; trackSources?: boolean }) {
    this.#threshold = Math.max(1, options.threshold);
    this.#windowMs = options.windowMs;
    this.#capacity = Math.max(1, options.capacity);
    this.#trackSources = options.trackSources ?? false;
    this.#top = Math.min(MAX_BUCKET, Math.max(1, this.#threshold - 1));
    this.#buckets = Array.from({ length: this.#top + 1 }, () => new Map<string, WindowEntry>());
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Adds a failure of `key` at `now` and returns the window's count (a count ≥ threshold is the caller's to act on). */
  add(key: string, now: number, source = ""): WindowCount {
    let entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#buckets[entry.bucket]?.delete(key);
    } else {
      if (this.#entries.size >= this.#capacity) this.#evict(now);
      entry = { times: [], sources: this.#trackSources ? [] : null, lastSeen: now, bucket: 0 };
    }
    const since = now - this.#windowMs;
    while (entry.times.length > 0 && (entry.times[0] ?? 0) <= since) this.#dropOldest(entry);
    // only the last `threshold` failures can matter for "threshold failures within the window"
    if (entry.times.length >= this.#threshold) this.#dropOldest(entry);
    entry.times.push(now);
    entry.sources?.push(source);
    entry.lastSeen = Math.max(entry.lastSeen, now);
    entry.bucket = Math.min(entry.times.length, this.#top);
    this.#entries.set(key, entry);
    this.#buckets[entry.bucket]?.set(key, entry);
    const count = entry.times.length;
    const sources = entry.sources && count >= this.#threshold ? new Set(entry.sources).size : 0;
    return { count, sources };
  }

  /** Forgets a key (its failures led to a ban, or it logged in). */
  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#buckets[entry.bucket]?.delete(key);
  }

  #dropOldest(entry: WindowEntry): void {
    entry.times.shift();
    entry.sources?.shift();
  }

  /** Drops a batch (1/64 of the capacity), so the cost of a pass is shared by the many adds after it. */
  #evict(now: number): void {
    const target = this.#capacity - Math.max(1, this.#capacity >> 6);
    const idleBefore = now - this.#windowMs;
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= target || entry.lastSeen > idleBefore) break;
      this.delete(key);
    }
    this.#dropFrom(1, this.#entries.size - target, this.#capacity >> 1);
    for (let bucket = 2; bucket < this.#top; bucket++) this.#dropFrom(bucket, this.#entries.size - target);
    this.#dropFrom(1, this.#entries.size - target);
    this.#dropFrom(this.#top, this.#entries.size - target);
  }

  /** Drops up to `count` entries of a bucket, least recently failed first, leaving it at least `keep`. */
  #dropFrom(bucket: number, count: number, keep = 0): void {
    const entries = this.#buckets[bucket];
    if (!entries) return;
    let left = Math.min(count, entries.size - keep);
    for (const key of entries.keys()) {
      if (left-- <= 0) break;
      this.delete(key);
    }
  }
}
