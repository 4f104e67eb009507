import { maskSecret } from "../../model/mask.js";
import { count, pick } from "../../model/words.js";
import { isRecord } from "./store-file.js";

/**
 * Reads typed fields out of one JSON object of a store file and remembers what was wrong, so a single
 * bad entry is reported (file, entry, field) and skipped while the rest of the file is still audited.
 * Messages name fields and entries, never values: in `.storage/auth` a value can be a token.
 */
export class FieldReader {
  readonly problems: string[] = [];
  /** Field names met that the reader does not know, with where they were first seen. */
  readonly unknownFields = new Map<string, string>();

  /** Notes keys of `record` outside `known` (field names are safe to print: they are not values). */
  noteUnknown(record: Record<string, unknown>, known: readonly string[], where: string): void {
    for (const key of Object.keys(record)) {
      if (!known.includes(key) && !this.unknownFields.has(key)) this.unknownFields.set(printableKey(key), where);
    }
  }

  string(record: Record<string, unknown>, key: string, where: string): string | undefined {
    const value = record[key];
    if (typeof value === "string" && value.length > 0) return value;
    this.problems.push(`${where}: \`${key}\` ${value === undefined ? "is missing" : "is not a non-empty string"}`);
    return undefined;
  }

  optionalString(record: Record<string, unknown>, key: string, where: string): string | null {
    const value = record[key];
    if (value === undefined || value === null) return null;
    if (typeof value === "string") return value;
    this.problems.push(`${where}: \`${key}\` is not a string; ignored`);
    return null;
  }

  boolean(record: Record<string, unknown>, key: string, where: string, fallback: boolean): boolean {
    const value = record[key];
    if (value === undefined) return fallback;
    if (typeof value === "boolean") return value;
    this.problems.push(`${where}: \`${key}\` is not true/false; taken as ${fallback}`);
    return fallback;
  }

  optionalNumber(record: Record<string, unknown>, key: string, where: string): number | null {
    const value = record[key];
    if (value === undefined || value === null) return null;
    if (typeof value === "number" && Number.isFinite(value)) return value;
    this.problems.push(`${where}: \`${key}\` is not a number; ignored`);
    return null;
  }

  /** An ISO 8601 date as Home Assistant writes them (`datetime.isoformat()`). */
  optionalDate(record: Record<string, unknown>, key: string, where: string): Date | undefined {
    const value = record[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) return date;
    }
    this.problems.push(`${where}: \`${key}\` is not a date; ignored`);
    return undefined;
  }

  stringList(record: Record<string, unknown>, key: string, where: string): string[] {
    const value = record[key];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) {
      const strings = value.filter((item): item is string => typeof item === "string");
      if (strings.length !== value.length)
        this.problems.push(`${where}: \`${key}\` holds non-string items; they were ignored`);
      return strings;
    }
    this.problems.push(`${where}: \`${key}\` is not a list; ignored`);
    return [];
  }

  /** `record[key]` as a list of objects; other items are reported and dropped. */
  objectList(record: Record<string, unknown>, key: string, where: string): Record<string, unknown>[] {
    const value = record[key];
    if (value === undefined) {
      this.problems.push(`${where}: \`${key}\` is missing`);
      return [];
    }
    if (!Array.isArray(value)) {
      this.problems.push(`${where}: \`${key}\` is not a list`);
      return [];
    }
    const objects: Record<string, unknown>[] = [];
    value.forEach((item, index) => {
      if (isRecord(item)) objects.push(item);
      else this.problems.push(`${where}: \`${key}[${index}]\` is not an object; skipped`);
    });
    return objects;
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
