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
 *
 * A bucket is a doubly linked list through its entries, least recently failed first: moving an entry costs a
 * few pointer writes, and one Map lookup per failure is the only hashing (Map reordering by delete and set
 * cost five lookups and made a spray of 2,000,000 lines three times slower).
 */

/** Counts above this share the top bucket: an owner's threshold of a million must not allocate a million. */
const MAX_BUCKET = 64;

interface WindowEntry {
  key: string;
  /** Failure times (ms), oldest first, at most `threshold` of them (replaced, never grown: see appended). */
  times: number[];
  /** Who failed at each time (the addresses of a /64), when the windows track that. */
  sources: string[] | null;
  /** The bucket this entry is in: its failure count when last touched, capped at the top bucket. */
  bucket: number;
  /** Its neighbours in the bucket's list. */
  older: WindowEntry | null;
  newer: WindowEntry | null;
}

/** The entries of one failure count, least recently failed first. */
interface Bucket {
  oldest: WindowEntry | null;
  newest: WindowEntry | null;
  size: number;
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
  readonly #index = new Map<string, WindowEntry>();
  /** Buckets by failure count (index 1 … top; 0 stays empty: an entry always has a failure). */
  readonly #buckets: Bucket[];
  /** The highest bucket: threshold - 1 (a count that reaches the threshold is the caller's to act on), capped. */
  readonly #top: number;

  constructor(options: { threshold: number; windowMs: number; capacity: number; trackSources?: boolean }) {
    this.#threshold = Math.max(1, options.threshold);
    this.#windowMs = options.windowMs;
    this.#capacity = Math.max(1, options.capacity);
    this.#trackSources = options.trackSources ?? false;
    this.#top = Math.min(MAX_BUCKET, Math.max(1, this.#threshold - 1));
    this.#buckets = Array.from({ length: this.#top + 1 }, () => ({ oldest: null, newest: null, size: 0 }));
  }

  get size(): number {
    return this.#index.size;
  }

  /**
   * Adds a failure of `key` at `now` and returns the window's count (a count ≥ threshold is the caller's to act
   * on). A new key and a source are kept as given: pass strings that hold nothing else (see detached).
   */
  add(key: string, now: number, source = ""): WindowCount {
    let entry = this.#index.get(key);
    if (entry) {
      this.#unlink(entry);
      const { times } = entry;
      const since = now - this.#windowMs;
      let from = 0;
      while (from < times.length && (times[from] ?? 0) <= since) from++;
      // only the last `threshold` failures can matter for "threshold failures within the window"
      from = Math.max(from, times.length - this.#threshold + 1);
      entry.times = appended(times, from, now);
      if (entry.sources) entry.sources = appended(entry.sources, from, source);
    } else {
      if (this.#index.size >= this.#capacity) this.#evict(now);
      const sources = this.#trackSources ? [source] : null;
      entry = { key, times: [now], sources, bucket: 1, older: null, newer: null };
      this.#index.set(key, entry);
    }
    const count = entry.times.length;
    entry.bucket = Math.min(count, this.#top);
    this.#append(entry);
    const sources = entry.sources && count >= this.#threshold ? new Set(entry.sources).size : 0;
    return { count, sources };
  }

  /** Forgets a key (its failures led to a ban, or it logged in). */
  delete(key: string): void {
    const entry = this.#index.get(key);
    if (entry) this.#forget(entry);
  }

  #forget(entry: WindowEntry): void {
    this.#index.delete(entry.key);
    this.#unlink(entry);
  }

  #unlink(entry: WindowEntry): void {
    const bucket = this.#buckets[entry.bucket];
    if (!bucket) return;
    if (entry.older) entry.older.newer = entry.newer;
    else bucket.oldest = entry.newer;
    if (entry.newer) entry.newer.older = entry.older;
    else bucket.newest = entry.older;
    entry.older = null;
    entry.newer = null;
    bucket.size--;
  }

  #append(entry: WindowEntry): void {
    const bucket = this.#buckets[entry.bucket];
    if (!bucket) return;
    entry.older = bucket.newest;
    if (bucket.newest) bucket.newest.newer = entry;
    else bucket.oldest = entry;
    bucket.newest = entry;
    bucket.size++;
  }

  /** Drops a batch (1/64 of the capacity), so the cost of a pass is shared by the many adds after it. */
  #evict(now: number): void {
    const target = this.#capacity - Math.max(1, this.#capacity >> 6);
    const idleBefore = now - this.#windowMs;
    for (const bucket of this.#buckets) {
      // an entry's last failure is its newest time (the times are in arrival order)
      while (this.#index.size > target && bucket.oldest && (bucket.oldest.times.at(-1) ?? 0) <= idleBefore) {
        this.#forget(bucket.oldest);
      }
    }
    this.#dropFrom(1, this.#index.size - target, this.#capacity >> 1);
    for (let bucket = 2; bucket < this.#top; bucket++) this.#dropFrom(bucket, this.#index.size - target);
    this.#dropFrom(1, this.#index.size - target);
    this.#dropFrom(this.#top, this.#index.size - target);
  }

  /** Drops up to `count` entries of a bucket, least recently failed first, leaving it at least `keep`. */
  #dropFrom(index: number, count: number, keep = 0): void {
    const bucket = this.#buckets[index];
    if (!bucket) return;
    for (let left = Math.min(count, bucket.size - keep); left > 0 && bucket.oldest; left--) this.#forget(bucket.oldest);
  }
}

/**
 * `list[from…]` and then `last`, in an array of exactly that length: an entry's arrays are its memory, and a
 * pushed-to array reserves room for 16 more (a spray of a million one-offs would carry that waste).
 */
function appended<T>(list: readonly T[], from: number, last: T): T[] {
  const out = new Array<T>(list.length - from + 1);
  for (let i = from; i < list.length; i++) out[i - from] = list[i] as T;
  out[out.length - 1] = last;
  return out;
}

/**
 * A copy of `text` that holds nothing else: an address cut from a log line by a regular expression is a slice
 * that keeps the whole line alive (V8 sliced strings), about 200 bytes more for every key kept. Prepending a
 * character and slicing it off again makes V8 flatten a new short string first; what is kept is at most a
 * slice of that (a few bytes more than the text), never of the line.
 */
export function detached(text: string): string {
  return ` ${text}`.slice(1);
}
