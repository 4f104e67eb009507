/**
 * Where a source stopped, kept in the guard's store (the `meta` table) so a restart resumes there. Each source
 * writes its own text (file: generation, offset and fingerprint; journal: cursor; Supervisor: anchor and
 * chain); the source reads it in start(), never in its constructor.
 */
export interface SourceBookmark {
  read(): string | null;
  write(value: string): void;
}

/** A bookmark kept under `key` in a store's meta table. */
export function storeBookmark(
  store: { getMeta(key: string): string | null; setMeta(key: string, value: string): void },
  key: string,
): SourceBookmark {
  return { read: () => store.getMeta(key), write: (value) => store.setMeta(key, value) };
}
