import type { BanKind, BanRecord } from "./bus.js";

/** A ban as the owner sees it (`guard bans --format json`, the control channel, the console). */
export interface BanView {
  address: string;
  /** Why, in words: what failed how often, or the owner's own ban. */
  reason: string;
  failures: number;
  kind: BanKind;
  /** 1 for a first ban; each repeat offence makes the ban longer. */
  offence: number;
  bannedAt: string;
  expiresAt: string;
  /** Past its expiry but not lifted yet (the guard was not running to lift it). */
  expired: boolean;
  /** Where the ban is in force now: nftables, `ip_bans.yaml (path)`, dry-run. */
  backends: string[];
}

/** What a failure kind means, in the owner's words. */
export function describeKind(kind: BanKind): string {
  switch (kind) {
    case "password":
      return "wrong password or MFA code";
    case "token":
      return "stale or invalid token";
    case "unknown":
      return "failed login of unknown kind (this Home Assistant release does not log the URL)";
    case "manual":
      return "banned by the owner";
  }
}

function banReason(ban: BanRecord): string {
  // the detector's own words when it gave them (a /64, what a backend cannot hold)
  if (ban.reason !== undefined) return ban.reason;
  if (ban.kind === "manual") return "banned by the owner (control channel)";
  const repeat = ban.offence > 1 ? `; repeat offence ${ban.offence}, so a longer ban` : "";
  return `${ban.failures} failed logins (${describeKind(ban.kind)})${repeat}`;
}

export function banView(ban: BanRecord, backends: readonly string[], now: number): BanView {
  return {
    address: ban.address,
    reason: banReason(ban),
    failures: ban.failures,
    kind: ban.kind,
    offence: ban.offence,
    bannedAt: new Date(ban.bannedAt).toISOString(),
    expiresAt: new Date(ban.until).toISOString(),
    expired: ban.until <= now,
    backends: [...backends],
  };
}
