import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";

/** `ip` with arguments, failing loudly with its stderr. */
export function ip(...args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** A short unique name (interface names are limited to 15 characters). */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(3).toString("hex")}`;
}

/** Removes namespaces the test made; their veth ends go with them. Never throws in cleanup. */
export function deleteNamespaces(...names: string[]): void {
  for (const name of names) {
    try {
      ip("netns", "del", name);
    } catch {
      // never created or already gone
    }
  }
}
