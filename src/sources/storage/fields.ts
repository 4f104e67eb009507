import { z } from "zod";
import { maskSecret } from "../../model/mask.js";
import { count, pick } from "../../model/words.js";
import { isRecord } from "./store-file.js";

/**
 * The field kinds of Home Assistant's store files, as zod schemas: each gives the parsed type and, as its
 * error, the words of the problem line (`is missing`, `is not a date; ignored`). Messages name fields and
 * entries, never values: in `.storage/auth` a value can be a token. A field is one of three kinds:
 * - required (the default): when it is wrong the whole entry is skipped;
 * - lenient (`lenient()`): when it is wrong the problem is reported and the field takes its fallback, and
 *   the rest of the entry is still read;
 * - a list whose items are checked: a wrong item is reported and dropped, the other items are kept.
 * Cost, measured against the field-by-field reader this replaced: a generated store of 500 users, 5,000
 * refresh tokens and 500 persons reads in 142 ms instead of 48 ms (median of 12). A real home's auth store
 * holds tens to hundreds of tokens, a few milliseconds either way: one schema per store is worth that.
 */

/** Lenient fields and what they fall back to (`undefined`: the field is dropped and its default applies). */
const fallbacks = new WeakMap<z.ZodType, { value: unknown }>();

function lenient<T extends z.ZodType>(schema: T, fallback?: unknown): T {
  fallbacks.set(schema, { value: fallback });
  return schema;
}

export const requiredString = z
  .string({ error: (issue) => (issue.input === undefined ? "is missing" : "is not a non-empty string") })
  .min(1, "is not a non-empty string");

export const optionalString = lenient(
  z
    .string({ error: "is not a string; ignored" })
    .nullish()
    .transform((value) => value ?? null),
);

export const optionalNumber = lenient(
  z
    .number({ error: "is not a number; ignored" })
    .nullish()
    .transform((value) => value ?? null),
);

/** true/false, `fallback` when absent or wrong. */
export function flag(fallback: boolean) {
  return lenient(z.boolean({ error: `is not true/false; taken as ${fallback}` }).default(fallback));
}

/** An ISO 8601 date as Home Assistant writes them (`datetime.isoformat()`). */
export const optionalDate = lenient(
  z
    .string({ error: "is not a date; ignored" })
    .nullish()
    .transform((value, context) => {
      if (value === null || value === undefined) return undefined;
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) return date;
      context.addIssue({ code: "custom", message: "is not a date; ignored" });
      return z.NEVER;
    }),
);

const stringItems = z.array(z.string({ error: "holds non-string items; they were ignored" }), {
  error: "is not a list; ignored",
});

/** A list of strings; absent is empty, other items are dropped. */
export const stringList = lenient(stringItems.nullish().transform((value) => value ?? []));

/** A list of strings the entry cannot do without; other items are dropped. */
export const requiredStringList = z.array(z.string({ error: "holds non-string items; they were ignored" }), {
  error: "is not a list",
});

/** A list of entries, each read on its own (`FieldReader.entries`); absent or not a list reads as empty. */
export const entryList = lenient(
  z.array(z.unknown(), { error: (issue) => (issue.input === undefined ? "is missing" : "is not a list") }),
  [],
);

/** A field whose value is never kept (a token, a key): only that it is there is known. */
export const secretField = z
  .unknown()
  .optional()
  .transform((value) => typeof value === "string" && value.length > 0);

/** A field hassguard knows and does not read. */
export const unreadField = z
  .unknown()
  .optional()
  .transform((): undefined => undefined);

/** A store's `data` as an object, or undefined with the problem noted. */
export function dataObject(data: unknown, reader: FieldReader): Record<string, unknown> | undefined {
  if (isRecord(data)) return data;
  reader.problems.push("`data` is not an object");
  return undefined;
}

type Shape = Record<string, z.ZodType>;

/** How many times an entry is read again after its faults were taken out (each round removes at least one). */
const MAX_ROUNDS = 8;

/**
 * Reads the objects of one store file through zod schemas and remembers what was wrong, so a single bad
 * entry is reported (file, entry, field) and skipped while the rest of the file is still audited.
 */
export class FieldReader {
  readonly problems: string[] = [];
  /** Field names met that the reader does not know, with where they were first seen. */
  readonly unknownFields = new Map<string, string>();

  /**
   * Reads one object with `schema`; undefined (reported) when a required field is wrong. Unknown keys of a
   * strict schema are noted under `unknownAs` and ignored.
   */
  read<S extends z.ZodObject<Shape>>(
    schema: S,
    value: Record<string, unknown>,
    where: string,
    unknownAs = where,
  ): z.output<S> | undefined {
    const reported = new Set<string>();
    const report = (line: string) => {
      if (!reported.has(line)) this.problems.push(line);
      reported.add(line);
    };
    let input: Record<string, unknown> = { ...value };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const result = schema.safeParse(input);
      if (result.success) return result.data;
      const next: Record<string, unknown> = { ...input };
      const droppedItems = new Map<string, Set<number>>();
      let skip = false;
      for (const issue of result.error.issues) {
        const [key, item] = issue.path;
        if (issue.code === "unrecognized_keys") {
          for (const unknown of issue.keys) {
            const printable = printableKey(unknown);
            if (!this.unknownFields.has(printable)) this.unknownFields.set(printable, unknownAs);
            delete next[unknown];
          }
          continue;
        }
        if (typeof key !== "string") {
          report(`${where}: ${issue.message}`);
          skip = true;
          continue;
        }
        report(`${where}: \`${key}\` ${issue.message}`);
        if (typeof item === "number" && Array.isArray(input[key])) {
          droppedItems.set(key, (droppedItems.get(key) ?? new Set()).add(item));
          continue;
        }
        const fallback = fallbacks.get(schema.shape[key] as z.ZodType);
        if (fallback === undefined) skip = true;
        else if (fallback.value === undefined) delete next[key];
        else next[key] = fallback.value;
      }
      if (skip) return undefined;
      for (const [key, items] of droppedItems) {
        next[key] = (input[key] as unknown[]).filter((_, index) => !items.has(index));
      }
      input = next;
    }
    return undefined;
  }

  /**
   * Reads each item of a list field (`entryList`) with `schema`: an item that is not an object is reported
   * and skipped, as is one whose required fields are wrong. Each entry read comes with where it was.
   */
  entries<S extends z.ZodObject<Shape>>(
    items: readonly unknown[],
    listName: string,
    schema: S,
  ): { entry: z.output<S>; where: string }[] {
    const read: { entry: z.output<S>; where: string }[] = [];
    items.forEach((item, index) => {
      const where = `${listName}[${index}]`;
      if (!isRecord(item)) {
        this.problems.push(`data: \`${where}\` is not an object; skipped`);
        return;
      }
      const entry = this.read(schema, item, where, listName);
      if (entry !== undefined) read.push({ entry, where });
    });
    return read;
  }

  /** One line per kind of fault for the report's `errors`; at most `limit` lines plus a count of the rest. */
  summary(limit = 8): string[] {
    const lines = [...this.problems];
    if (this.unknownFields.size > 0) {
      const names = [...this.unknownFields.entries()].slice(0, 10).map(([name, where]) => `\`${name}\` (${where})`);
      const size = this.unknownFields.size;
      const more = size > 10 ? ` and ${size - 10} more` : "";
      lines.push(
        `${pick(size, "unexpected field", "unexpected fields")} ${names.join(", ")}${more}: written by another ` +
          `Home Assistant version? ${pick(size, "It was", "They were")} ignored`,
      );
    }
    if (lines.length <= limit) return lines;
    return [...lines.slice(0, limit), `${count(lines.length - limit, "more problem")} of the same kind`];
  }
}

/** Field names come from the file: keep them short and printable, and mask long ones (a damaged file can turn a token into a key). */
function printableKey(key: string): string {
  const clean = key.replace(/[^\x20-\x7e]/g, "?");
  return clean.length > 32 ? maskSecret(clean) : clean;
}
