import type { ConfigFacts } from "../../model/config-facts.js";

/**
 * Whether the folder is a running Home Assistant's configuration rather than a checkout of one: only a live
 * folder has `.storage/`, the recorder database, or a `.HA_VERSION` that git does not track (shared repositories
 * commit `.HA_VERSION` for their CI, frenck/action-home-assistant reads it). File modes of a checkout say nothing
 * about the server's.
 */
export function looksLive(config: ConfigFacts): boolean {
  const tracked = new Set(config.git?.tracked ?? []);
  return config.files.some(
    (f) =>
      (f.path === ".storage" && f.type === "directory") ||
      /^home-assistant_v2\.db$/.test(f.path) ||
      (f.path === ".HA_VERSION" && !tracked.has(f.path)),
  );
}

/**
 * Why the folder is (about to be) shared, or undefined: a git repository, or the files that go with
 * publishing one (a README or licence at the top, GitHub workflows).
 */
export function sharingSign(config: ConfigFacts): string | undefined {
  if (config.git !== undefined) return "the folder is a git repository";
  const sign = config.files.find((f) => /^(README|LICENSE|LICENCE)(\.\w+)?$/i.test(f.path) || f.path === ".github");
  return sign === undefined ? undefined : `the folder is being prepared for sharing (${sign.path})`;
}
