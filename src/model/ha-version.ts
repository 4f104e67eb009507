/** A Home Assistant release as written in `.HA_VERSION`, `ha_version` and advisories: `2023.11.3`, `2024.1.0b2`. */
export const HA_VERSION_PATTERN = String.raw`\d+(?:\.\d+){0,3}(?:(?:a|b|rc|\.dev)\d+)?`;

export function isVersion(text: string): boolean {
  return new RegExp(`^${HA_VERSION_PATTERN}$`).test(text.trim());
}

/** Compares Home Assistant versions (`2023.11.3`, `0.67.0`, `2024.1.0b2`): negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  for (let i = 0; i < 4; i++) {
    const diff = (pa.parts[i] ?? 0) - (pb.parts[i] ?? 0);
    if (diff !== 0) return diff;
  }
  // a pre-release (2024.1.0b2, .dev) comes before the release itself
  if (pa.pre !== pb.pre) return pa.pre === undefined ? 1 : pb.pre === undefined ? -1 : pa.pre < pb.pre ? -1 : 1;
  return 0;
}

function parseVersion(version: string): { parts: number[]; pre?: string } {
  const m = /^(\d+(?:\.\d+)*)(?:\.?(a|b|rc|dev)(\d+))?/.exec(version.trim());
  if (m === null) return { parts: [] };
  const parts = (m[1] as string).split(".").map(Number);
  return m[2] === undefined ? { parts } : { parts, pre: `${m[2]}${(m[3] ?? "").padStart(12, "0")}` };
}
