import { realpathSync } from "node:fs";
import path from "node:path";

export function safeRealpath(p: string): string | undefined {
  try {
    // the native realpath(3): one call, where the JavaScript version lstat()s every component of the path
    // (the loader asks for every file below an included folder)
    return realpathSync.native(p);
  } catch {
    return undefined;
  }
}

export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** The errno code of a file-system error (`EACCES`), else its message. */
export function code(error: unknown): string {
  if (error && typeof error === "object" && "code" in error) return String((error as { code: unknown }).code);
  return error instanceof Error ? error.message : String(error);
}
