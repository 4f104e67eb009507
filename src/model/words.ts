/**
 * Counted nouns for sentences shown to people: `1 user`, `3 users`, `0 files`. Every sentence with a number in
 * it goes through here, so "1 users" and "file(s)" cannot creep back in.
 */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** The word alone, for sentences that place the number themselves: `is`/`are`, `advisory`/`advisories`. */
export function pick(n: number, singular: string, plural: string): string {
  return n === 1 ? singular : plural;
}
