import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Writes a directory tree from `{relativePath: content}` into a fresh temp dir and returns its path. */
export function makeTree(files: Record<string, string | Buffer>, prefix = "hassguard-"): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  for (const [relative, content] of Object.entries(files)) {
    const full = path.join(root, relative);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
